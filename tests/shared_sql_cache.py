"""SQL compiled once per test process, not once per store.

A test opens a store of its own (the app's, the contract fixture's, the test server's
for each test), and SQLAlchemy keeps what it compiled per engine, keyed by the engine's
dialect object: each test compiled every statement it ran anew, about a sixth of a core
test's time. Every file store's engine here shares one cache, keyed by the dialect's
kind instead of its object. The stores' dialects are alike (same driver, same SQLite
library, same options), so a statement compiled for one runs the same on another. The
shipped app opens one store per process and keeps its engine's own cache.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import util


class _ByDialectKind(util.LRUCache):  # type: ignore[type-arg]
    @staticmethod
    def _kind(key: Any) -> Any:
        dialect = key[0]
        return (type(dialect), dialect.server_version_info, dialect.paramstyle, *key[1:])

    def get(self, key: Any, default: Any = None) -> Any:
        return super().get(self._kind(key), default)

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(self._kind(key), value)


def share_compiled_sql() -> None:
    from mlm_tui.core.local.store import Store

    shared = _ByDialectKind(5000)
    make_engine = Store._engine

    def engine_sharing_compiled_sql(self: Store) -> Any:
        engine = make_engine(self)
        engine._compiled_cache = shared
        return engine

    Store._engine = engine_sharing_compiled_sql  # type: ignore[method-assign]
