"""The store on PostgreSQL: what differs from SQLite (search, the schema's version, the
server started on a database URL). The contract tests marked ``on_postgres`` cover the
rest through the test server (``tests.postgres``)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest
from sqlalchemy import func, make_url, select, text, update

from mlm_tui.core.errors import DomainError
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.local import cart as cart_module
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.postgres import PostgresStore
from mlm_tui.core.local.store import Store, StoreBusy, StoreError
from mlm_tui.core.models import Checkout, DeliveryMethod, OrderFilter, PaymentMethod
from mlm_tui.core.remote.backend import RemoteBackend
from tests import postgres, world
from tests.postgres import database_url, drop_database, load_into, make_database
from tests.served import serving
from tests.smtp import free_port

# The machine's own locale, and one whose ctype is plain C: there pg_trgm and lower() know
# no letter outside ASCII, and the search must find the same all the same.
LOCALES = {
    "as the server makes it": {},
    "ctype C": {"LC_CTYPE": "C", "LC_COLLATE": "C", "TEMPLATE": "template0"},
}


@pytest.fixture(params=list(LOCALES), scope="module")
def database(request) -> Iterator[str]:
    name = make_database("mlm_tui_test_locale", **LOCALES[request.param])
    yield database_url(name)
    drop_database(name)


@pytest.fixture
def anna_on_postgres(database, world_file, settings, clock) -> Iterator[LocalBackend]:
    store = PostgresStore(database)
    load_into(store, world_file)
    backend = LocalBackend(settings, clock=clock, store=store)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    yield backend
    backend.close()


@pytest.mark.parametrize(("query", "codes"), [
    ("крем", ["32548", "38000"]),  # the name that begins with it first
    ("КРЕМ ЛИЦ", ["32548", "38000"]),  # the second: its category is «Уход за лицом»
    ("ежно", ["32548", "38000"]),  # inside a word
    ("ёлочная", ["38100"]),
    ("елочная", ["38100"]),
    ("strasse", ["36001"]),
    ("STRAẞE", ["36001"]),
    ("fußcreme", ["36001"]),
    ("oel", ["36000"]),
    ("Öl", ["36000"]),
    ("ol lav", ["36000"]),
    ("325", ["32548"]),  # a code from its start
    ("254", []),  # not from its middle
    ("сияние северное", ["35555"]),
    ("крем тушь", []),  # every word must be there
])
def test_search_finds_what_sqlite_finds_in_any_locale(anna_on_postgres, settings, query,
                                                      codes):
    assert [p.code for p in anna_on_postgres.search_products(query)] == codes
    on_file = LocalBackend(settings)
    on_file.login(world.ANNA.registration_number, world.PASSWORD)
    assert sorted(p.code for p in on_file.search_products(query)) == sorted(codes)
    on_file.close()


def test_a_renamed_product_and_a_renamed_member_are_found_by_their_new_names(anna_on_postgres):
    with anna_on_postgres.store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == "32548")
                     .values(name="Сыворотка «Утро»"))
        conn.execute(update(t.members).where(t.members.c.id == world.KLAUS.id)
                     .values(full_name="Klaus Größer"))
    assert [p.code for p in anna_on_postgres.search_products("сыворот")] == ["32548"]
    assert anna_on_postgres.search_products("нежность")[0].code == "38000"
    assert [m.id for m in anna_on_postgres.search_members("grosser")] == [world.KLAUS.id]
    assert anna_on_postgres.search_members("müller") == []


def test_members_are_found_by_any_spelling_within_the_downline_only(anna_on_postgres):
    assert {m.id for m in anna_on_postgres.search_members("иванова")} == {
        world.OLGA_MSK.id, world.OLGA_KZN.id, world.IRINA.id}
    assert [m.id for m in anna_on_postgres.search_members("mueller")] == [world.KLAUS.id]
    assert anna_on_postgres.search_members("пётр") == []  # another team


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = make_database("mlm_tui_test_serve")
    yield database_url(name)
    drop_database(name)


def test_a_database_of_an_older_schema_is_refused_naming_the_upgrade(empty_database):
    PostgresStore(empty_database).close()
    store = PostgresStore(empty_database)
    with store.write() as conn:
        conn.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value="12"))
    store.close()
    with pytest.raises(StoreError) as caught:
        PostgresStore(empty_database)
    assert "mlm-tui db upgrade" in caught.value.message
    served = subprocess.run(
        [sys.executable, "-m", "mlm_tui", "serve", "--database", empty_database,
         "--port", "1"], capture_output=True, text=True, timeout=60)
    assert served.returncode != 0
    assert "needs upgrading" in served.stderr and "mlm-tui db upgrade" in served.stderr


def test_the_server_serves_a_store_copied_into_a_database(empty_database, world_file,
                                                          settings, tmp_path):
    on_file = LocalBackend(settings)
    on_file.login(world.ANNA.registration_number, world.PASSWORD)
    summary = on_file.account_summary()
    on_file.close()
    database = PostgresStore(empty_database)
    load_into(database, world_file)
    database.close()
    elsewhere = tmp_path / "nothing-here"  # the server must not fall back to a store file
    with serving(elsewhere, database=empty_database) as (url, _process):
        client = RemoteBackend(url)
        try:
            client.login(world.ANNA.registration_number, world.PASSWORD)
            assert [p.code for p in client.search_products("fußcreme")] == ["36001"]
            assert client.account_summary() == summary
        finally:
            client.close()
    assert not (elsewhere / "store.db").exists()


def test_a_company_profile_changed_in_the_database_is_served_at_the_next_request(
        empty_database, world_file, tmp_path):
    # Each request asks whether the kept profile still stands (one statement): an edit made
    # from elsewhere is served at once, and the profile kept meanwhile is the right one.
    from dataclasses import replace

    import httpx

    from mlm_tui.core.company import demo_company, profile_to_json

    database = PostgresStore(empty_database)
    load_into(database, world_file)
    with serving(tmp_path / "server", database=empty_database) as (url, _process):
        names = [httpx.get(f"{url}/api/v1/company").json()["name"] for _ in range(2)]
        with database.write() as conn:
            conn.execute(update(t.company).values(
                profile=profile_to_json(replace(demo_company("ru"), name="ООО «Новое имя»"))))
        after = [httpx.get(f"{url}/api/v1/company").json()["name"] for _ in range(2)]
    database.close()
    assert names[0] == names[1] != "ООО «Новое имя»"
    assert after == ["ООО «Новое имя»"] * 2


def mlm_tui(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mlm_tui", *args], capture_output=True,
                          text=True, timeout=120)


def test_db_upgrade_brings_an_older_database_to_this_schema_and_serve_then_starts(
        empty_database):
    PostgresStore(empty_database).close()
    store = PostgresStore(empty_database)
    with store.write() as conn:
        conn.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value="12"))
        conn.exec_driver_sql("DROP TABLE provider_events")  # what step 12 -> 13 makes
    store.close()
    upgraded = mlm_tui("db", "upgrade", "--database", empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"is at schema {t.SCHEMA_VERSION}" in upgraded.stdout
    store = PostgresStore(empty_database)  # opens: no upgrade is wanted any more
    with store.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM provider_events").scalar_one() == 0
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() \
            == f"r{t.SCHEMA_VERSION}"
    store.close()


def test_db_upgrade_starts_the_id_sequences_after_the_ids_an_earlier_version_wrote(
        empty_database, world_orders, settings, clock):
    # Up to schema 15 an order's id was the last one plus one, which left its table's
    # sequence behind; new orders now take their ids from it, so the upgrade moves it on.
    store = PostgresStore(empty_database)
    load_into(store, world_orders)
    with store.write() as conn:
        highest = conn.execute(select(func.max(t.orders.c.id))).scalar_one()
        conn.execute(text("SELECT setval(pg_get_serial_sequence('orders', 'id'), 1, false)"))
        conn.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value="15"))
    store.close()
    upgraded = mlm_tui("db", "upgrade", "--database", empty_database)
    assert upgraded.returncode == 0, upgraded.stderr
    anna = LocalBackend(settings, clock=clock, store=PostgresStore(empty_database))
    try:
        anna.login(world.ANNA.registration_number, world.PASSWORD)
        anna.add_to_cart("32548", 1)
        order = anna.place_order(Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE,
                                          "after-the-upgrade", "PP-MSK-2"))
    finally:
        anna.close()
    assert highest > 1 and order.number.endswith(f"-{highest + 1:06d}")


def test_db_copy_moves_a_store_file_into_a_database_verified_and_can_run_again(
        empty_database, world_orders, settings):
    for _run in range(2):
        copied = mlm_tui("db", "copy", "--from", f"sqlite:///{world_orders}",
                         "--to", empty_database)
        assert copied.returncode == 0, copied.stderr
        assert "rows and amounts agree" in copied.stdout
    on_file = LocalBackend(settings)
    on_file.login(world.ANNA.registration_number, world.PASSWORD)
    database = PostgresStore(empty_database)
    on_database = LocalBackend(settings, store=database)
    on_database.login(world.ANNA.registration_number, world.PASSWORD)
    assert on_database.account_summary() == on_file.account_summary()
    assert on_database.order_history(OrderFilter()) == on_file.order_history(OrderFilter())
    on_file.close()
    on_database.close()


def test_a_copy_over_a_large_database_empties_it_at_once_and_still_agrees(
        empty_database, world_orders, settings, monkeypatch):
    from sqlalchemy import event

    from mlm_tui.core.local import copy
    from mlm_tui.core.local.store import Store

    monkeypatch.setattr(copy, "TRUNCATE_FROM_BYTES", 0)  # the world counts as large
    source, target = Store(world_orders), PostgresStore(empty_database)
    sent: list[str] = []
    event.listen(target.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *rest: sent.append(statement))
    first = copy.copy_store(source, target)
    again = copy.copy_store(source, target)  # over the first copy: emptied, not added to
    assert again == first and first["orders"] > 0
    assert any(statement.startswith("TRUNCATE") for statement in sent)
    with target.read() as conn:
        assert conn.execute(select(func.count()).select_from(t.orders)).scalar_one() \
            == first["orders"]
    source.close()
    target.close()
    on_database = LocalBackend(settings, store=PostgresStore(empty_database))
    on_database.login(world.ANNA.registration_number, world.PASSWORD)
    on_file = LocalBackend(settings)
    on_file.login(world.ANNA.registration_number, world.PASSWORD)
    assert on_database.order_history(OrderFilter()) == on_file.order_history(OrderFilter())
    on_database.close()
    on_file.close()


@pytest.mark.parametrize("typed", ["машка", "ёлоч", "süße"])
def test_the_trigram_index_has_something_to_look_up_for_any_letters(anna_on_postgres, typed):
    # On a database whose ctype is C, pg_trgm sees no trigram in Cyrillic or umlauts; a
    # search that gives the index none reads every row of it.
    from mlm_tui.core.local.postgres_search import indexed, letters_coded
    from mlm_tui.core.rules.search_folding import fold

    with anna_on_postgres.store.read() as conn:
        kept = indexed(fold(typed), letters_coded(conn))
        trigrams = conn.exec_driver_sql("SELECT show_trgm(%(text)s)",
                                        {"text": kept}).scalar_one()
    assert len(trigrams) >= len(typed) - 2


# --- the suite's own databases ---------------------------------------------------------------


def _made(name: str, comment: str) -> None:
    with postgres._admin() as admin:
        admin.execute(f"CREATE DATABASE {name}")
        admin.execute(f"COMMENT ON DATABASE {name} IS '{comment}'")


def _existing(names: list[str]) -> list[str]:
    with postgres._admin() as admin:
        found = {row[0] for row in admin.execute("SELECT datname FROM pg_database")}
    return [name for name in names if name in found]


def test_a_killed_runs_databases_are_dropped_and_a_live_runs_are_kept():
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead = int(finished.stdout)  # its process has ended: as a killed run's worker
    host = postgres.HOST
    made = {"orphan": f"made by the mlm-tui tests, process {dead} on {host}",
            "live": f"made by the mlm-tui tests, process {os.getpid()} on {host}",
            "elsewhere": f"made by the mlm-tui tests, process {dead} on not-{host}",
            "unsigned": "a database someone made by hand"}
    names = {kind: f"mlm_tui_test_{kind}_{uuid.uuid4().hex[:8]}" for kind in made}
    for kind, comment in made.items():
        _made(names[kind], comment)
    try:
        with postgres._admin() as admin:
            dropped = postgres.drop_leftovers(admin)
        assert names["orphan"] in dropped
        assert _existing(list(names.values())) == [
            names["live"], names["elsewhere"], names["unsigned"]]
    finally:
        for name in names.values():
            drop_database(name)


def test_a_database_the_suite_makes_says_which_process_made_it():
    name = make_database()
    try:
        with postgres._admin() as admin:
            [(comment,)] = admin.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                "WHERE datname = %s", (name,)).fetchall()
            assert comment == f"made by the mlm-tui tests, process {os.getpid()} on {postgres.HOST}"
            assert name not in postgres.drop_leftovers(admin)  # this process runs
    finally:
        drop_database(name)


def test_no_server_there_skips_the_tests_over_postgresql_saying_so(monkeypatch):
    monkeypatch.setattr(postgres, "SERVER", f"postgresql://postgres@127.0.0.1:{free_port()}/x")
    monkeypatch.setattr(postgres, "REQUIRED", False)
    with pytest.raises(pytest.skip.Exception) as caught:
        make_database()
    assert "cannot be used" in str(caught.value) and "are skipped" in str(caught.value)
    monkeypatch.setattr(postgres, "REQUIRED", True)  # CI: the same is a failure
    with pytest.raises(pytest.fail.Exception) as failed:
        make_database()
    assert "must run (MLM_TUI_REQUIRE_POSTGRES=1)" in str(failed.value)


def test_a_server_that_refuses_fails_the_test_instead_of_skipping_it(monkeypatch):
    import psycopg

    monkeypatch.setattr(postgres, "REQUIRED", False)
    with pytest.raises(psycopg.Error, match="no_such_locale"):  # a locale nobody has
        make_database(LC_CTYPE="no_such_locale", TEMPLATE="template0")
    server = make_url(postgres.SERVER).set(username="no_such_role")
    monkeypatch.setattr(postgres, "SERVER", server.render_as_string(hide_password=False))
    with pytest.raises(psycopg.OperationalError, match="no_such_role"):
        make_database()

def test_checkouts_side_by_side_sell_the_stock_exactly_and_spend_no_more_than_held(
        anna_on_postgres, settings, clock):
    # Checkouts run beside each other on PostgreSQL (row locks, not one lock for every
    # write): the scarce product (15 in stock) is sold exactly, no balance goes below
    # zero, and no order number is given twice.
    store = anna_on_postgres.store
    people = [world.ANNA, world.ANNA, world.OLGA_MSK, world.PETR]
    shoppers = []
    for person in people:
        backend = LocalBackend(settings, clock=clock, store=store)
        backend.login(person.registration_number, world.PASSWORD)
        shoppers.append(backend)
    errors: list[BaseException] = []

    def shop(backend: LocalBackend) -> None:
        try:
            for _round in range(6):
                try:
                    backend.add_to_cart("35555", 2)
                    backend.place_order(Checkout(DeliveryMethod.PICKUP_POINT,
                                                 PaymentMethod.BALANCE, uuid.uuid4().hex,
                                                 "PP-MSK-2"))
                except DomainError:
                    pass  # sold out, not enough on the balance, the cart emptied by a twin
        except BaseException as exc:  # anything else fails the test
            errors.append(exc)

    threads = [threading.Thread(target=shop, args=(b,)) for b in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with store.read() as conn:
        p, lines, o, b = t.products, t.order_lines, t.orders, t.balance_ledger
        stock = conn.execute(select(p.c.stock).where(p.c.code == "35555",
                                                     p.c.period_id == 2)).scalar_one()
        sold = conn.execute(select(func.coalesce(func.sum(lines.c.quantity), 0))
                            .where(lines.c.product_code == "35555")).scalar_one()
        numbers = conn.execute(select(o.c.number)).scalars().all()
        balances = conn.execute(select(b.c.member_id, func.sum(b.c.amount))
                                .group_by(b.c.member_id)).all()
    assert stock >= 0 and sold > 0
    assert sold == 15 - stock
    assert len(numbers) == len(set(numbers))
    assert all(balance >= Decimal(0) for _member, balance in balances)


def test_a_checkout_undone_by_a_deadlock_runs_again_and_orders_once(anna_on_postgres,
                                                                   monkeypatch):
    # Two checkouts beside each other may deadlock: the database undoes one whole, and
    # the member gets one order, charged once, not an error.
    anna = anna_on_postgres
    take_stock, met = cart_module._take_stock, []

    def deadlocked_once(conn, period_id, cart):
        take_stock(conn, period_id, cart)
        if not met:
            met.append(True)
            raise StoreBusy("deadlock detected", field="store")

    monkeypatch.setattr(cart_module, "_take_stock", deadlocked_once)
    balance = anna.balance().amount
    stock = anna.product("32548").stock
    anna.add_to_cart("32548", 2)
    order = anna.place_order(Checkout(DeliveryMethod.PICKUP_POINT, PaymentMethod.BALANCE,
                                      "once", "PP-MSK-2"))
    assert met and anna.count_orders(OrderFilter()) == 1
    assert anna.balance().amount == balance - order.total.amount
    assert anna.product("32548").stock == stock - 2
    assert anna.cart().is_empty


def test_a_copy_from_nothing_is_refused_and_the_target_keeps_its_rows(empty_database,
                                                                      world_orders, tmp_path):
    """A mistyped source must not empty the target: a path with no store there is named
    (and no empty store is made there), and a store that holds nobody is refused too."""
    def orders_held() -> int:
        database = PostgresStore(empty_database)
        try:
            with database.read() as conn:
                return conn.execute(select(func.count()).select_from(t.orders)).scalar_one()
        finally:
            database.close()

    assert mlm_tui("db", "copy", "--from", str(world_orders),
                   "--to", empty_database).returncode == 0
    orders = orders_held()
    missing = tmp_path / "typo" / "store.db"

    refused = mlm_tui("db", "copy", "--from", f"sqlite:///{missing}", "--to", empty_database)
    assert refused.returncode == 1
    assert f"There is no store at {missing}: nothing was copied." in refused.stderr
    assert not missing.exists()

    Store(tmp_path / "empty.db").close()  # a store made, and never filled
    refused = mlm_tui("db", "copy", "--from", str(tmp_path / "empty.db"),
                      "--to", empty_database)
    assert refused.returncode == 1
    assert "holds no store (no members): nothing was copied" in refused.stderr
    assert orders_held() == orders > 0


def test_no_query_is_compiled_to_machine_code_not_even_after_a_write_undone(empty_database):
    """PostgreSQL compiled a history page at 1M orders to machine code (JIT) for 10 ms, to
    run a query of 0.3 ms: the store turns that off on each of its connections, and a
    write that is undone does not turn it back on."""
    store = PostgresStore(empty_database)
    with pytest.raises(RuntimeError), store.write():
        raise RuntimeError("undone")
    for opened in (store.read, store.read_one, store.write):
        with opened() as conn:
            assert conn.execute(text("SHOW jit")).scalar_one() == "off"
    store.close()


def test_a_large_copy_is_vacuumed_so_indexes_are_read_without_their_tables(
        empty_database, demo_template, monkeypatch):
    """A member's volume is read from an index that holds all it needs; until the copied
    tables are vacuumed, every row is looked up in the table as well (19 ms instead of
    10 at 1M orders). A large copy vacuums and analyses them at once."""
    import psycopg

    from mlm_tui.core.local import copy

    monkeypatch.setattr(copy, "MANY_ROWS", 1)  # the demo store counts as large
    with psycopg.connect(postgres.SERVER, autocommit=True) as admin:
        # Commits flushed as a real server's are (the test databases' are not): VACUUM
        # may not mark rows visible to all while their commit is not yet on disk.
        admin.execute(f"ALTER DATABASE {make_url(empty_database).database} "
                      "RESET synchronous_commit")
    source, target = Store(demo_template), PostgresStore(empty_database)
    copy.copy_store(source, target)
    source.close()
    target.close()
    with psycopg.connect(empty_database) as conn:
        pages = {table: (held, all_visible) for table, held, all_visible in conn.execute(
            "SELECT relname, relpages, relallvisible FROM pg_class "
            "WHERE relname IN ('orders', 'order_lines', 'product_word')")}
    assert set(pages) == {"orders", "order_lines", "product_word"}
    for table, (held, all_visible) in pages.items():
        assert held > 0 and all_visible == held, f"{table}: {all_visible} of {held} pages"
