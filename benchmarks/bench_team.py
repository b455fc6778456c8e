"""Team figures at scale: name search among 100k members, the 3-month volume of a whole
first level of 500 members in a 10k-member downline, and expanding a tree node.

The store is built here by bulk inserts, so its shape is exactly what the figures need:
a leader with 500 first-level members and 10,000 in her downline, the rest of the 100k
members in other teams, three orders a month for everyone in her team over four months.
Each figure is printed beside a baseline measured in the same run on the same file.

    .venv/bin/python benchmarks/bench_team.py
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _stores import OUT
from _terminal import summary

MEMBERS = 100_000
FIRST_LEVEL = 500
DOWNLINE = 10_000
NOW = datetime(2026, 11, 20, 12, 0, 0)
PASSWORD = "Bench-pass-2026"
REPEAT = 20
QUERIES = ["иванова", "ива", "ольга иванова", "смирнов", "петр", "кузнецова анна", "müller",
           "ан", "zz", "новиков"]

FIRST_NAMES = ["Анна", "Ольга", "Ирина", "Елена", "Мария", "Наталья", "Татьяна", "Светлана",
               "Юлия", "Екатерина", "Пётр", "Иван", "Сергей", "Klaus", "Jürgen", "Petra"]
LAST_NAMES = ["Иванова", "Смирнова", "Кузнецова", "Попова", "Васильева", "Петрова",
              "Соколова", "Михайлова", "Новикова", "Фёдорова", "Морозова", "Волкова",
              "Müller", "Schmidt", "Schneider", "Fischer"] + [f"Фамилия{n}" for n in range(300)]
CITIES = ["Москва", "Казань", "Тверь", "Тула", "Омск", "Самара", "München", "Berlin"]


def build(path: Path) -> None:
    """Members, a tree and orders, written with plain sqlite3 for speed."""
    from mlm_tui.core.company import demo_company, profile_to_json
    from mlm_tui.core.local.search_index import add_search_functions
    from mlm_tui.core.local.store import Store
    from mlm_tui.core.passwords import hash_secret

    Store(path).close()  # the schema, FTS tables and triggers
    rng = random.Random(5)
    conn = sqlite3.connect(path)
    add_search_functions(conn)  # the search index's triggers call them
    conn.execute("INSERT INTO company(id, profile) VALUES (1, ?)",
                 (profile_to_json(demo_company("ru")),))
    conn.execute("INSERT INTO periods(id, code, name, starts_on, ends_on, ordering_open) "
                 "VALUES (1, '2026-16', 'Каталог 16/2026', '2026-07-01', '2026-11-30', 1)")
    password_hash = hash_secret(PASSWORD)

    paths: dict[int, str] = {}
    team_root = 1
    rows = []
    for member_id in range(1, MEMBERS + 1):
        if member_id == 1:
            sponsor = None
        elif member_id <= FIRST_LEVEL + 1:
            sponsor = 1  # the leader's first level
        elif member_id <= DOWNLINE:
            sponsor = rng.randint(2, member_id - 1)  # deeper in her downline
        elif (member_id - DOWNLINE - 1) % 1000 == 0:
            sponsor, team_root = None, member_id  # another team of a thousand starts
        else:
            sponsor = rng.randint(team_root, member_id - 1)
        paths[member_id] = (paths[sponsor] if sponsor else "/") + f"{member_id}/"
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append((
            member_id, f"{3000000 + member_id}", "consultant", "active", name, name.casefold(),
            f"m{member_id}@example.ru", f"+7916{member_id:07d}", "1985-05-17", "101000",
            rng.choice(CITIES), "ул. Примерная, 1", "RU", sponsor, sponsor, paths[member_id],
            "2020-01-01T09:00:00", "2020-01-01T09:00:00",
            password_hash if member_id == 1 else None, 0,
        ))
    conn.executemany(
        "INSERT INTO members(id, registration_number, kind, status, full_name, name_folded, "
        "email, phone, birth_date, postcode, city, street, country, sponsor_id, enroller_id, "
        "path, registered_at, activated_at, password_hash, loyalty_enrolled) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)

    orders = []
    number = 0
    for member_id in range(1, DOWNLINE + 1):
        for months_back in range(4):
            for _ in range(3):
                number += 1
                placed = NOW - timedelta(days=30 * months_back + rng.randint(0, 27),
                                         minutes=rng.randint(0, 600))
                orders.append((
                    f"B{number:08d}", member_id, member_id, rng.choice(["SO", "IO", "AS"]),
                    "delivered", 1, placed.isoformat(), 150000, 30000, 0, 120000,
                    rng.choice([500, 1250, 2000, 4000]), "balance", "pickup_point",
                ))
    conn.executemany(
        "INSERT INTO orders(number, buyer_id, placed_by_id, source, status, period_id, "
        "placed_at, retail, discount, delivery_fee, total, points, payment_method, "
        "delivery_method) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", orders)
    conn.execute("UPDATE members SET last_order_at = (SELECT max(placed_at) FROM orders "
                 "WHERE buyer_id = members.id) WHERE id <= ?", (DOWNLINE,))
    conn.commit()
    conn.execute("ANALYZE")
    conn.close()


def team_store() -> Path:
    folder = OUT / f"team-m{MEMBERS}-d{DOWNLINE}-f{FIRST_LEVEL}"
    path = folder / "store.db"
    if not (folder / "built").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for leftover in folder.glob("store.db*"):
            leftover.unlink()
        started = time.perf_counter()
        print(f"building {path} ...", flush=True)
        build(path)
        print(f"built in {time.perf_counter() - started:.1f} s", flush=True)
        (folder / "built").write_text("ok")
    return path


def timed(fn, repeat: int = REPEAT) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    path = team_store()
    backend = LocalBackend(load_settings(data_dir=path.parent), clock=lambda: NOW)
    backend.login("3000001", PASSWORD)
    raw = sqlite3.connect(path)
    members = raw.execute("SELECT count(*) FROM members").fetchone()[0]
    downline = raw.execute("SELECT count(*) FROM members WHERE path >= '/1/' AND path < '/10'"
                           ).fetchone()[0]
    orders = raw.execute("SELECT count(*) FROM orders").fetchone()[0]
    print(f"store: {members:,} members, leader's downline {downline:,} (first level "
          f"{FIRST_LEVEL}), {orders:,} orders\n")

    print("name search in the leader's downline (per query, all queries pooled)")
    search, like = [], []
    for q in QUERIES:
        backend.search_members(q)  # warm
        search += timed(lambda q=q: backend.search_members(q))
        like += timed(lambda q=q: raw.execute(
            "SELECT id FROM members WHERE name_folded LIKE ? AND path >= '/1/' AND path < '/10' "
            "LIMIT 50", (f"%{q}%",)).fetchall(), repeat=5)
    print(f"  search_members       {summary(search)}")
    print(f"  baseline LIKE '%q%'  {summary(like)}\n")

    print(f"3-month volume of the whole first level ({FIRST_LEVEL} members)")
    team = timed(lambda: backend.team_volume(1, months=3), repeat=10)
    volumes = backend.team_volume(1, months=3)
    assert len(volumes) == FIRST_LEVEL, len(volumes)
    one_by_one = timed(lambda: [backend.monthly_volume(m, months=3)
                                for m in range(2, FIRST_LEVEL + 2)], repeat=2)
    print(f"  team_volume          {summary(team)}")
    print(f"  baseline 500 x monthly_volume  {summary(one_by_one)}\n")

    print("expanding a tree node")
    root = timed(lambda: backend.team_children(1))
    busiest = raw.execute(
        "SELECT sponsor_id FROM members WHERE sponsor_id > 1 AND path >= '/1/' AND path < '/10' "
        "GROUP BY sponsor_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    deep = timed(lambda: backend.team_children(busiest))
    scan = timed(lambda: raw.execute(
        "SELECT count(*) FROM members WHERE path LIKE '/1/%'").fetchone(), repeat=5)
    print(f"  team_children(leader, {FIRST_LEVEL} children)  {summary(root)}")
    print(f"  team_children(member {busiest}, "
          f"{len(backend.team_children(busiest))} children)  {summary(deep)}")
    print(f"  baseline downline LIKE scan  {summary(scan)}")


if __name__ == "__main__":
    main()
