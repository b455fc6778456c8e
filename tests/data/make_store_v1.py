"""Makes ``store-v1.db``: a store file as schema version 1 wrote it, with a little data.

The file is committed; this script only documents how it was made. Never regenerate it
with a newer schema: its whole point is to stay old.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

from sqlalchemy import create_engine, insert

from mlm_tui.core.company import demo_company, profile_to_json
from mlm_tui.core.local import migrations
from mlm_tui.core.local import schema as t
from mlm_tui.core.passwords import hash_secret


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrations.create_version_1(conn)
        conn.execute(insert(t.company).values(id=1, profile=profile_to_json(demo_company("de"))))
        conn.execute(
            insert(t.members).values(
                id=1, registration_number="3000001", kind="consultant", status="active",
                full_name="Jürgen Groß", name_folded="jürgen groß", email="juergen@example.de",
                phone="+4915112345678", birth_date="1970-01-02", postcode="10115",
                city="Berlin", street="Invalidenstraße 12", country="DE", path="/1/",
                registered_at="2025-01-10T09:00:00", activated_at="2025-01-10T09:05:00",
                loyalty_enrolled=True, loyalty_since="2025-02-01",
                password_hash=hash_secret("Old-store-2025"),
            )
        )
        conn.execute(
            insert(t.balance_ledger).values(
                member_id=1, at="2025-01-11T10:00:00", kind="top_up", amount=123.45,
                note="card", order_id=None,
            )
        )
    engine.dispose()
    sqlite3.connect(path).execute("VACUUM").connection.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("store-v1.db"))
