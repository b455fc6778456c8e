"""Alembic's entry: the revisions run on the connection the store hands over, inside the
store's write transaction (a failure anywhere leaves the store as it was). SQLite alters
tables in batch mode (a new table copied over), since it cannot alter most columns."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from mlm_tui.core.local import schema


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=schema.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


# Alembic loads this file under a name of its own for each command; imported as a module
# of the package (as a check of every module does), it only defines ``run``.
if __name__ != "mlm_tui.core.local.revisions.env":
    run(context.config.attributes["connection"])
