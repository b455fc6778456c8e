"""``mlm-tui maintenance shipments`` and ``delivery-stops`` from the shell: the warehouse's
file ships orders, the carriers' file delivers or returns them, the service decides the
stops; refused lines are named and the exit code says so."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from mlm_tui.cli import main
from tests import world

PAID = world.ORDER_ANNA_PAID


def run(argv: list[str], world_file) -> int:
    return main([*argv, "--data-dir", str(world_file.parent)])


def anna_sees(settings, clock, number: str = PAID):
    """Anna's order, balance and inbox titles, as her own screens would show them."""
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        return (backend.order(number), backend.balance().amount,
                [n.title for n in backend.notifications()])
    finally:
        backend.close()


@pytest.fixture
def shipped(world_orders, tmp_path, capsys) -> None:
    """Anna's paid order handed to СДЭК."""
    file = tmp_path / "shipped.csv"
    file.write_text("order_number;carrier;tracking_number;shipped_at\n"
                    f"{PAID};cdek;1500000011;2026-11-19 16:00\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 0
    assert capsys.readouterr().out.startswith("1 shipped, 0 seen before, 0 refused")


def test_a_shipments_file_ships_and_names_what_it_refused(world_orders, tmp_path, capsys,
                                                          settings, clock):
    file = tmp_path / "shipped.json"
    file.write_text(json.dumps([
        {"order_number": PAID, "carrier": "cdek", "tracking_number": "1500000011",
         "shipped_at": "2026-11-19T16:00:00"},
        {"order_number": world.ORDER_ANNA_DELIVERED, "carrier": "cdek",
         "tracking_number": "1500000012", "shipped_at": "2026-11-19T16:00:00"}]),
        encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    out = capsys.readouterr().out
    assert (f"REFUSED  line 2  {world.ORDER_ANNA_DELIVERED}: already shipped with tracking "
            "number 1098765432") in out
    assert "1 shipped, 0 seen before, 1 refused (of 2 in shipped.json)." in out
    order, _balance, inbox = anna_sees(settings, clock)
    assert order.status.value == "shipped" and order.shipment.tracking_number == "1500000011"
    assert inbox[0] == f"Order {PAID} shipped"
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    assert "0 shipped, 1 seen before, 1 refused" in capsys.readouterr().out


def test_an_unreadable_file_changes_nothing_and_says_where(world_orders, tmp_path, capsys,
                                                           settings, clock):
    file = tmp_path / "shipped.csv"
    file.write_text("order_number,carrier,tracking_number,shipped_at\n"
                    f"{PAID},cdek,1500000011,2026-11-19 16:00\n"
                    f"{PAID},cdek,,2026-11-19 16:00\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file)], world_orders) == 1
    assert "line 3: tracking_number is empty" in capsys.readouterr().err
    assert anna_sees(settings, clock)[0].status.value == "paid"


def test_events_deliver_the_order(world_orders, shipped, tmp_path, capsys, settings, clock):
    file = tmp_path / "events.csv"
    file.write_text("tracking_number,at,status,station,description\n"
                    "1500000011,2026-11-20 09:00,out_for_delivery,Москва,Передан курьеру\n"
                    "1500000011,2026-11-20 11:00,delivered,Москва,Вручено\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "events", "import", str(file)], world_orders) == 0
    assert "2 recorded, 0 seen before, 0 refused" in capsys.readouterr().out
    order, _balance, inbox = anna_sees(settings, clock)
    assert order.status.value == "delivered"
    assert [e.description for e in order.shipment.events][-2:] == ["Передан курьеру",
                                                                   "Вручено"]
    assert inbox[0] == f"Order {PAID} delivered"


def test_the_service_lists_and_credits_a_stop(world_orders, shipped, capsys, settings, clock):
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        total = backend.request_delivery_stop(PAID).total.amount
    finally:
        backend.close()
    _order, before, _inbox = anna_sees(settings, clock)
    assert run(["maintenance", "delivery-stops", "list", "--open"], world_orders) == 0
    out = capsys.readouterr().out
    assert PAID in out and "1000001" in out and "requested" in out
    assert "asked by the member" in out
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--refuse"],
               world_orders) == 2
    assert "--note" in capsys.readouterr().err
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--credit"],
               world_orders) == 0
    credit = total - Decimal(450)  # less forming the order and the parcel's round trip
    assert f"{PAID}: {credit} RUB credited to the balance." in capsys.readouterr().out
    order, after, inbox = anna_sees(settings, clock)
    assert after - before == credit and order.status.value == "credited"
    assert inbox[0] == f"Delivery stop for order {PAID} credited"
    assert run(["maintenance", "delivery-stops", "list", "--open"], world_orders) == 0
    assert capsys.readouterr().out == "No delivery stop awaits a decision.\n"
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--credit"],
               world_orders) == 1
    assert "already credited" in capsys.readouterr().err
    assert anna_sees(settings, clock)[1] == after


# --- in the operator's language ------------------------------------------------------------


@pytest.mark.parametrize(("language", "said"), [
    ("ru", ["отгрузить заказы по файлу склада", "очередь остановок доставки"]),
    ("de", ["Bestellungen laut Datei des Lagers versenden", "Warteschlange der Zustellstopps"]),
])
def test_the_shipments_help_speaks_the_language(capsys, language, said):
    with pytest.raises(SystemExit) as caught:
        main(["maintenance", "--help", "--lang", language])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps at the terminal width
    for words in said:
        assert words in out
    assert "from the warehouse's file" not in out and "queue of delivery stops" not in out


@pytest.mark.parametrize(("language", "refused", "summary"), [
    ("ru", "ОТКЛОНЕНО  строка 3  {number}: заказ: отменён",
     "отправлено: 1, уже были: 0, отклонено: 1 (из 2 в shipped.csv)."),
    ("de", "ABGELEHNT  Zeile 3  {number}: die Bestellung ist storniert",
     "1 versandt, 0 bereits bekannt, 1 abgelehnt (von 2 in shipped.csv)."),
])
def test_a_refused_line_says_why_and_the_status_in_the_language(world_orders, tmp_path,
                                                                capsys, language, refused,
                                                                summary):
    file = tmp_path / "shipped.csv"
    file.write_text("order_number,carrier,tracking_number,shipped_at\n"
                    f"{PAID},cdek,1500000011,2026-11-19 16:00\n"
                    f"{world.ORDER_IRINA_CANCELLED},cdek,1500000013,2026-11-19 16:00\n",
                    encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file), "--lang", language],
               world_orders) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [refused.format(number=world.ORDER_IRINA_CANCELLED), summary]


@pytest.mark.parametrize(("language", "listed", "credited"), [
    ("ru", ["запрошена", "по просьбе участника", "на сумму"], "RUB зачислено на баланс."),
    ("de", ["angefragt", "vom Mitglied erbeten", "Wert"], "RUB dem Guthaben gutgeschrieben."),
])
def test_the_stops_are_listed_and_decided_in_the_language(world_orders, shipped, capsys,
                                                          settings, clock, language, listed,
                                                          credited):
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        backend.request_delivery_stop(PAID)
    finally:
        backend.close()
    assert run(["maintenance", "delivery-stops", "list", "--lang", language],
               world_orders) == 0
    out = capsys.readouterr().out
    for words in listed:
        assert words in out
    assert "requested" not in out and "asked by the member" not in out
    assert run(["maintenance", "delivery-stops", "decide", PAID, "--credit", "--lang",
                language], world_orders) == 0
    out = capsys.readouterr().out
    assert credited in out and "credited to the balance" not in out


def test_an_unreadable_file_is_named_in_russian(world_orders, tmp_path, capsys):
    file = tmp_path / "shipped.csv"
    file.write_text("order_number,carrier,tracking_number,shipped_at\n"
                    f"{PAID},cdek,,2026-11-19 16:00\n"
                    f"{PAID},cdek,1500000011,завтра\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file), "--lang", "ru"],
               world_orders) == 1
    assert "строка 2: tracking_number не заполнено" in capsys.readouterr().err
    file.write_text("order_number,carrier,tracking_number,shipped_at\n"
                    f"{PAID},cdek,1500000011,завтра\n", encoding="utf-8")
    assert run(["maintenance", "shipments", "import", str(file), "--lang", "de"],
               world_orders) == 1
    assert ("Zeile 2: shipped_at „завтра“ ist kein Datum mit Uhrzeit"
            in capsys.readouterr().err)
