"""Catalog search on PostgreSQL through its word index (``product_word``): the products found,
their order and their pages are those the search's patterns say, whichever way the index is
read; a database of the schema before the index finds the same once upgraded; and a
product written anew is found by what it is now, at once."""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy import insert, text, update

from mlm_tui.core.local import LocalBackend, postgres_search
from mlm_tui.core.local import catalog as catalog_module
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.postgres import PostgresStore
from mlm_tui.core.local.postgres_search import indexed, letters_coded
from mlm_tui.core.local.search_index import SUBSTRING_AT_LEAST, WORD_START
from mlm_tui.core.rules.search_folding import search_terms
from tests import world
from tests.core.test_postgres import LOCALES
from tests.postgres import database_url, drop_database, load_into, make_database

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run


@pytest.fixture(params=list(LOCALES), scope="module")
def database(request) -> Iterator[str]:
    name = make_database("mlm_tui_test_words", **LOCALES[request.param])
    yield database_url(name)
    drop_database(name)


FIRST = ["Крем", "Кедровое масло", "Кисть", "Карандаш", "Шампунь", "Öl", "Ölbad", "Creme",
         "Гель", "Набор кистей", "Пенка", "Тушь", "Ромашка", "Süßes Bad", "Кремовый тон"]
THEN = ["для лица", "для рук", "для тела", "для волос", "", "Lavendel", "«Ромашка»",
        "«Кедр»", "Suesse", "«Нежность»", "с маслом ши"]


def catalog(seed: int = 15) -> list[dict]:
    """Products of both periods, their words shared as a catalog's are; the codes of the
    oldest in one run ("32…"), as a new range of a catalog is."""
    draw = random.Random(seed)
    rows = []
    for n in range(420):
        period = 1 if n % 7 == 0 else 2
        code = f"32{n:03d}" if n < 60 else f"{draw.randrange(40000, 99999)}{n:03d}"
        name = f"{draw.choice(FIRST)} {draw.choice(THEN)}".strip()
        rows.append(dict(period_id=period, code=code, name=name, description="",
                         category_id=1 + n % 5, retail_price=Decimal(100),
                         consultant_price=Decimal(80), points=Decimal(1), stock=5))
    return rows


@pytest.fixture
def shop(database, world_file, settings, clock) -> Iterator[LocalBackend]:
    store = PostgresStore(database)
    load_into(store, world_file)
    with store.write() as conn:
        conn.execute(insert(t.products), catalog())
    with store.engine.begin() as conn:  # the figures the words are weighed by
        conn.exec_driver_sql("ANALYZE product_word")
    backend = LocalBackend(settings, clock=clock, store=store)
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    yield backend
    backend.close()


@dataclass(frozen=True)
class Held:
    id: int
    period_id: int
    category_id: int
    code: str
    words: str
    name_words: str
    inner_words: str
    name: str
    spelling: str


def expected(backend: LocalBackend, query: str, category_id: int | None) -> list[str]:
    """Every code the search gives, page after page, as its patterns say over the folded
    words (``product_words``): the exact code first; then, if the products of any period
    holding every word are few, those with each word's start ranked (the name begins with
    the first word, then the code or name holds each, then by code) and those holding a
    word only inside one by code; else newest first: the name begins with the first word,
    the other word starts, only inside words."""
    with backend.store.read() as conn:
        coded = letters_coded(conn)
        held = [Held(*row) for row in conn.exec_driver_sql(
            "SELECT p.id, p.period_id, p.category_id, p.code, w.words, w.name_words, "
            "w.inner_words, w.name, w.spelling FROM products AS p "
            "JOIN product_words AS w ON w.product_id = p.id")]
    terms = search_terms(query)

    def fragment(word: str) -> str:
        short = len(word) < SUBSTRING_AT_LEAST or word.isdigit()
        return WORD_START + word if short else word

    def starts(text: str, spellings: tuple[str, ...]) -> bool:
        return any(indexed(WORD_START + word, coded) in text for word in spellings)

    def match(p: Held) -> bool:
        return all(starts(p.words, spellings) for spellings in terms)

    def holds(p: Held) -> bool:
        return all(any(indexed(fragment(word), coded) in p.words for word in spellings)
                   for spellings in terms)

    def initial(p: Held) -> bool:
        return (any(p.name.startswith(word) or p.spelling.startswith(word) for word in terms[0])
                and all(starts(p.words, spellings) for spellings in terms[1:]))

    def in_name(p: Held) -> bool:
        return all(starts(p.name_words, spellings) for spellings in terms)

    def inside_only(p: Held) -> bool:
        inner = any(indexed(word, coded) in p.inner_words for spellings in terms
                    for word in spellings if fragment(word) == word)
        return inner and holds(p) and not match(p)

    exact = [p for p in held if p.period_id == 2 and p.code == query.strip()
             and category_id in (None, p.category_id)]
    shown = [p for p in held if p.period_id == 2 and category_id in (None, p.category_id)
             and p not in exact]
    if sum(holds(p) for p in held) <= catalog_module.RANK_AT_MOST:
        found = sorted((p for p in shown if match(p)),
                       key=lambda p: (not initial(p), not in_name(p), p.code))
        found += sorted((p for p in shown if inside_only(p)), key=lambda p: p.code)
    else:
        newest = sorted(shown, key=lambda p: -p.id)
        found = ([p for p in newest if initial(p)]
                 + [p for p in newest if match(p) and not initial(p)]
                 + [p for p in newest if inside_only(p)])
    return [p.code for p in exact + found]


def every_page(backend: LocalBackend, query: str, category_id: int | None,
               size: int) -> list[str]:
    codes, after = [], None
    for _page in range(200):
        page = backend.search_products_page(query, category_id=category_id, after=after,
                                            limit=size)
        assert len(page.items) == size or page.next_after is None
        codes += [p.code for p in page.items]
        after = page.next_after
        if after is None:
            return codes
    raise AssertionError("the pages never end")


QUERIES = ["к", "кр", "крем", "кедр", "ки", "32", "320", "3205", "3", "öl", "oel", "ol",
           "lav", "крем для", "для к", "ромаш", "машка", "ашка", "ежн", "süß", "suesse",
           "набор кис", "для", "creme", "zz", "32017", "масло ши"]


@pytest.mark.parametrize("reading", ["as it is", "every way at once"])
@pytest.mark.parametrize("rank_at_most", [200, 0])
def test_search_gives_the_products_its_patterns_say_in_their_order_page_by_page(
        shop, monkeypatch, reading, rank_at_most):
    monkeypatch.setattr(catalog_module, "RANK_AT_MOST", rank_at_most)
    if reading == "every way at once":
        # Few enough that a small catalog takes every way of reading the candidates:
        # word by word, a whole range, the newest products first.
        monkeypatch.setattr(postgres_search, "MANY_WORDS", 2)
        monkeypatch.setattr(postgres_search, "NARROW", 6)
        monkeypatch.setattr(postgres_search, "WINDOW", 9)
        monkeypatch.setattr(postgres_search, "INSIDE_FEW", 4)
        monkeypatch.setattr(postgres_search, "_PROBED", 30)
    for query in QUERIES:
        for category_id in (None, 2):
            want = expected(shop, query, category_id)
            assert every_page(shop, query, category_id, 9) == want, (query, category_id)
            assert [p.code for p in shop.search_products(query, category_id=category_id)] \
                == want[:50], (query, category_id)


def test_a_product_written_anew_is_found_by_what_it_is_now_at_once(shop, monkeypatch):
    monkeypatch.setattr(catalog_module, "RANK_AT_MOST", 0)  # newest first: word by word
    with shop.store.write() as conn:
        conn.execute(update(t.products).where(t.products.c.code == "32548")
                     .values(name="Сыворотка «Утро»"))
        conn.execute(update(t.categories).where(t.categories.c.name == "Подарки")
                     .values(name="Сувениры"))
        conn.execute(update(t.products)  # into the previous period: not shown any more
                     .where(t.products.c.code == "33012", t.products.c.period_id == 2)
                     .values(period_id=1, code="33012-old"))
    assert [p.code for p in shop.search_products("сыворот")] == ["32548"]
    assert "32548" not in [p.code for p in shop.search_products("нежность", limit=500)]
    assert "38100" in [p.code for p in shop.search_products("сувенир", limit=500)]
    assert shop.search_products("подарки") == []
    assert "33012" not in [p.code for p in shop.search_products("тушь", limit=500)]
    for query in ("сыворот", "нежность", "сувенир", "подар", "тушь", "крем"):
        assert [p.code for p in shop.search_products(query, limit=500)] \
            == expected(shop, query, None)[:500]


def test_an_older_database_upgraded_finds_what_it_found(shop, database, settings, clock):
    before = {query: every_page(shop, query, None, 25) for query in QUERIES}
    with shop.store.write() as conn:  # the database as schema 14 left it
        conn.exec_driver_sql("DROP TABLE product_word")
        conn.exec_driver_sql("DROP TRIGGER product_words_stale ON products")
        conn.exec_driver_sql(postgres_search._stale_when_written(
            "product_words", "product_id", "products", "code, name, category_id")[1])
        conn.exec_driver_sql("CREATE INDEX ix_product_words_trgm ON product_words "
                             "USING gin (words gin_trgm_ops)")
        conn.execute(update(t.meta).where(t.meta.c.key == "schema_version").values(value="14"))
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'r14'")
    shop.close()
    upgraded = subprocess.run([sys.executable, "-m", "mlm_tui", "db", "upgrade", "--database",
                               database], capture_output=True, text=True, timeout=120)
    assert upgraded.returncode == 0, upgraded.stderr
    store = PostgresStore(database)
    shop = LocalBackend(settings, clock=clock, store=store)
    shop.login(world.ANNA.registration_number, world.PASSWORD)
    with store.read() as conn:
        assert conn.exec_driver_sql(  # what the word index stands in for is gone
            "SELECT to_regclass('ix_product_words_trgm')").scalar_one() is None
        products, without_words = conn.exec_driver_sql(
            "SELECT count(*), count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM product_word "
            "AS e WHERE e.product_id = p.id)) FROM products AS p").one()
    assert products > 400 and without_words == 0
    assert {query: every_page(shop, query, None, 25) for query in QUERIES} == before
    with store.write() as conn:  # and its words are kept from then on
        conn.execute(update(t.products).where(t.products.c.code == "34001")
                     .values(name="Гель-скраб «Утро»"))
    assert [p.code for p in shop.search_products("скраб")] == ["34001"]


def test_words_a_checkout_wrote_are_folded_when_it_commits(shop):
    """A checkout (a write beside others) folds the search words of the products it wrote
    when it commits, as any write does."""
    words_of = text("SELECT w.words FROM product_words AS w JOIN products AS p "
                    "ON p.id = w.product_id WHERE p.code = :code AND p.period_id = 2")
    with shop.store.write(beside_others=True) as conn:
        conn.execute(update(t.products).where(t.products.c.code == "32548")
                     .values(name="Сыворотка «Утро»"))
        assert conn.execute(words_of, {"code": "32548"}).scalar_one() is None  # stale
        conn.execute(update(t.products).where(t.products.c.code == "38100")
                     .values(name="Бальзам «Вечер»"))
    assert [p.code for p in shop.search_products("сыворот")] == ["32548"]
    assert [p.code for p in shop.search_products("бальзам веч")] == ["38100"]
