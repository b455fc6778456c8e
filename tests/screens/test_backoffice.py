"""The back office as a leader uses it: history, order, invoice, tracking, cancel, claims.

Every test drives the app on the test world with its order history (``with_orders``),
signed in as Anna, and reads the screen as a person would.
"""

from __future__ import annotations

import io
from dataclasses import replace
from decimal import Decimal

import pytest
from pypdf import PdfReader
from textual.widgets import OptionList, Select, Static

from mlm_tui.core.models import OrderStatus
from mlm_tui.screens.cancel import CancelScreen
from mlm_tui.screens.claim import ClaimScreen
from mlm_tui.screens.in_transit import InTransitScreen
from mlm_tui.screens.invoice import InvoiceScreen
from mlm_tui.screens.order import OrderScreen
from mlm_tui.screens.orders import OrdersScreen
from mlm_tui.screens.pick_member import PickMemberScreen
from mlm_tui.screens.pick_month import PickMonthScreen
from mlm_tui.screens.tracking import TrackingScreen
from mlm_tui.widgets.order_grid import OrderGrid
from tests import world
from tests.screens.keys import keys
from tests.screens.snapshot_app import make_app, open_screen, screen_text, settle
from tests.smtp import free_port, smtp_server

pytestmark = pytest.mark.anyio

VISIBLE_TO_ANNA = [o for o in world.WORLD_ORDERS if o.buyer is not world.PETR]
NEWEST_FIRST = sorted(VISIBLE_TO_ANNA, key=lambda o: o.placed_at, reverse=True)


def text_of(app) -> str:
    return screen_text(app)


async def history(pilot) -> OrdersScreen:
    await settle(pilot)  # signed in, on the landing screen
    await open_screen(pilot, "orders")
    assert isinstance(pilot.app.screen, OrdersScreen)
    return pilot.app.screen


async def open_order(pilot, number: str) -> OrderScreen:
    await settle(pilot)
    await pilot.app.push_screen(OrderScreen(number))
    await settle(pilot)
    return pilot.app.screen


def grid_rows(app) -> list[str]:
    grid = app.screen.query_one(OrderGrid)
    return [grid.render_line(y).text for y in range(1, grid.size.height)]


async def move_to(pilot, number: str) -> None:
    position = [o.number for o in NEWEST_FIRST].index(number)
    for _ in range(position):
        await pilot.press("down")
    await settle(pilot)


# --- the history grid ----------------------------------------------------------------------


async def test_history_shows_the_team_orders_newest_first_with_codes_points_and_a_legend(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        text = text_of(app)
        assert "10 orders · newest first" in text
        rows = grid_rows(app)
        numbers = [o.number for o in NEWEST_FIRST]
        assert [n for row in rows for n in numbers if n in row] == numbers
        assert world.ORDER_PETR_SHIPPED not in text, "another team's orders stay invisible"
        klaus_enrolment = next(r for r in rows if world.ORDER_KLAUS_ENROLMENT in r)
        assert klaus_enrolment.startswith("!") and " IN " in klaus_enrolment
        assert " 34 " in klaus_enrolment, "its points"
        anna_loyalty = next(r for r in rows if world.ORDER_ANNA_LOYALTY in r)
        assert not anna_loyalty.startswith("!") and " AS " in anna_loyalty
        assert "SO standard · IO customer online · AS loyalty · IN enrolment" in text


async def test_the_order_under_the_cursor_says_why_its_source_looks_wrong(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        await move_to(pilot, world.ORDER_KLAUS_HERMES)
        text = text_of(app)
        assert f"{world.ORDER_KLAUS_HERMES} · IO internet order (customer) · 40 BB" in text
        assert "! IO (customer internet order) but the buyer is a consultant; expected SO" in text


async def test_filtering_to_one_month_counts_and_shows_only_that_month(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        await pilot.press("f", "enter")  # the month filter, opened
        await settle(pilot)
        await pilot.press("down", "enter")  # the newest month
        await settle(pilot)
        november = [o.number for o in NEWEST_FIRST if o.placed_at.month == 11]
        assert "4 orders · newest first · November 2026" in text_of(app)
        assert [n for row in grid_rows(app) for n in november if n in row] == november
        assert isinstance(app.focused, OrderGrid), "Enter now opens an order"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen) and app.screen.number == november[0]


async def test_source_and_status_filters_combine(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await history(pilot)
        screen.query_one("#filter-source", Select).value = "AS"
        await settle(pilot)
        assert "2 orders" in text_of(app)
        screen.query_one("#filter-status", Select).value = OrderStatus.CANCELLED.value
        await settle(pilot)
        assert "0 orders" in text_of(app)
        assert "No orders match these filters." in text_of(app)


async def test_a_common_name_asks_which_member_and_filters_to_her(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await history(pilot)
        screen.query_one("#filter-member").focus()
        await pilot.press(*"Иванова", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PickMemberScreen)
        assert "Тверь" in text_of(app) and "Казань" in text_of(app)
        options = app.screen.query_one(OptionList)
        options.highlighted = next(i for i in range(options.option_count)
                                   if "Ирина" in str(options.get_option_at_index(i).prompt))
        await pilot.press("enter")
        await settle(pilot)
        text = text_of(app)
        assert "2 orders · newest first · Ирина Иванова (1000004)" in text
        assert world.ORDER_IRINA_DELIVERED in text and world.ORDER_IRINA_CANCELLED in text


async def test_a_registration_number_filters_at_once_and_nonsense_is_named(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await history(pilot)
        screen.query_one("#filter-member").focus()
        await pilot.press(*world.KLAUS.registration_number, "enter")
        await settle(pilot)
        assert "2 orders · newest first · Klaus Müller (1000005)" in text_of(app)
        member = screen.query_one("#filter-member")
        member.value = ""
        member.focus()
        await pilot.press(*"Zzz", "enter")
        await settle(pilot)
        assert "Nobody in your team matches “Zzz”." in text_of(app)
        assert "2 orders" in text_of(app), "the filter stays as it was"


async def test_opened_for_one_member_and_month_names_both(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await app.push_screen(OrdersScreen(member=world.OLGA_MSK.id, month="2026-11"))
        await settle(pilot)
        text = text_of(app)
        assert "1 order · newest first · November 2026 · Ольга Иванова (1000002)" in text
        assert world.ORDER_OLGA_SHIPPED in text and world.ORDER_OLGA_LOYALTY not in text
        assert app.screen.query_one("#filter-month", Select).value == "2026-11"


async def test_sort_flips_to_oldest_first(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert "oldest first" in text_of(app)
        assert world.ORDER_ANNA_DELIVERED in grid_rows(app)[0]


async def test_jump_to_a_month_lists_months_with_counts_and_lands_on_its_newest_order(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        await pilot.press("j")
        await settle(pilot)
        assert isinstance(app.screen, PickMonthScreen)
        text = text_of(app)
        assert "November 2026" in text and "4 orders" in text and "August 2026" in text
        await pilot.press("down", "down", "enter")  # September 2026
        await settle(pilot)
        grid = app.screen.query_one(OrderGrid)
        assert grid.cursor_order is not None
        assert grid.cursor_order.number == world.ORDER_OLGA_LOYALTY


async def test_export_writes_what_is_shown_and_says_where(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await history(pilot)
        screen.query_one("#filter-source", Select).value = "AS"
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        [exported] = list((tmp_path / "data" / "exports").glob("orders-AS-*.csv"))
        assert f"Exported2ordersto{exported}" in "".join(text_of(app).split())
        rows = exported.read_text(encoding="utf-8-sig").splitlines()
        assert len(rows) == 3 and world.ORDER_ANNA_LOYALTY in rows[1]


async def test_the_export_counts_its_orders_as_the_history_counts_them(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await history(pilot)
        screen.post_message(OrdersScreen.Exported(15000, None, False))  # part-way
        await settle(pilot)
        assert "Exporting… 15 000 orders written" in text_of(app)
        screen.post_message(OrdersScreen.Exported(15000, "/srv/orders.csv", True))
        await settle(pilot)
        assert "Exported 15 000 orders to /srv/orders.csv" in text_of(app)


async def test_invoice_and_tracking_open_straight_from_the_grid(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await history(pilot)
        await move_to(pilot, world.ORDER_KLAUS_HERMES)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, InvoiceScreen)
        assert app.screen.number == world.INVOICES[world.ORDER_KLAUS_HERMES]
        await pilot.press("escape", "t")
        await settle(pilot)
        assert isinstance(app.screen, TrackingScreen)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, OrdersScreen), "Escape goes back"


# --- one order -----------------------------------------------------------------------------


async def test_order_view_shows_header_lines_payment_delivery_history_and_the_flag(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, world.ORDER_KLAUS_ENROLMENT)
        text = text_of(app)
        assert f"Order {world.ORDER_KLAUS_ENROLMENT} · 20.08.2026 · delivered" in text
        assert "! IN (enrolment order) 870 days after registration" in text
        for words in ("Source:    IN enrolment order", "Buyer:     Klaus Müller (1000005)",
                      "Payment:   cash to the courier",
                      "Delivery:  service centre: СЦ Москва, Тверская",
                      f"Invoice:   {world.INVOICES[world.ORDER_KLAUS_ENROLMENT]}",
                      "Ätherisches Öl Lavendel", "Straßenfeger Fußcreme",
                      "Total 1 952,60 ₽ · 34 BB", "20.08.2026 11:00  placed",
                      "26.08.2026 11:00  delivered"):
            assert words in text, words


async def test_order_view_summarises_the_parcel_on_its_way(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, world.ORDER_OLGA_SHIPPED)
        text = text_of(app)
        assert "Shipment:  СДЭК · 1099887766 · in transit · expected 28.11.2026 – " \
               "01.12.2026" in text
        assert "!" not in text.splitlines()[3], "a standard order is not flagged"


async def test_tracking_of_an_unshipped_order_says_so_instead_of_opening(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_PAID)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen)
        assert "not shipped yet: there is nothing to track" in text_of(app)


# --- the invoice ---------------------------------------------------------------------------


async def open_invoice(pilot, order_number: str) -> InvoiceScreen:
    await settle(pilot)
    await pilot.app.push_screen(InvoiceScreen(world.INVOICES[order_number]))
    await settle(pilot)
    return pilot.app.screen


async def test_invoice_lists_item_number_name_quantity_prices_totals_and_points(
        tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoice(pilot, world.ORDER_KLAUS_ENROLMENT)
        text = text_of(app)
        assert "36001    Straßenfeger Fußcreme" in text
        assert "2    327,20 ₽     654,40 ₽" in text
        assert "Total to pay:     1 952,60 ₽" in text
        assert "Points:                34 BB" in text
        assert "k***s@example.de" in text  # masked as on the customer overview
        assert world.KLAUS.email not in text


async def test_save_pdf_shows_the_path_of_a_readable_pdf(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoice(pilot, world.ORDER_KLAUS_ENROLMENT)
        await pilot.press("p")
        await settle(pilot)
        path = tmp_path / "data" / "exports" / (
            f"invoice-{world.INVOICES[world.ORDER_KLAUS_ENROLMENT]}.pdf")
        assert f"✓Savedto{path}" in "".join(text_of(app).split())
        pdf_text = PdfReader(io.BytesIO(path.read_bytes())).pages[0].extract_text()
        assert "Ätherisches Öl Lavendel" in pdf_text and "Straßenfeger" in pdf_text


class NotTheLocalStore:
    """A backend with no settings of its own to borrow, as a team server's has none."""

    def __init__(self, backend) -> None:
        self._backend = backend

    def __getattr__(self, name: str):
        if name == "settings":
            raise AttributeError(name)
        return getattr(self._backend, name)


async def test_files_go_where_the_apps_settings_say_whatever_the_backend(
        tmp_path, monkeypatch) -> None:
    # The config file names another data dir: the app must not read it behind its back.
    config_dir = tmp_path / "own-config"
    config_dir.mkdir()
    (config_dir / "config.toml").write_text(f'data_dir = "{tmp_path / "elsewhere"}"\n')
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(config_dir))
    app = make_app(tmp_path, with_orders=True, wrap=NotTheLocalStore)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoice(pilot, world.ORDER_KLAUS_ENROLMENT)
        await pilot.press("p")
        await settle(pilot)
        path = app.settings.exports_dir / (
            f"invoice-{world.INVOICES[world.ORDER_KLAUS_ENROLMENT]}.pdf")
        assert f"✓Savedto{path}" in "".join(text_of(app).split())
    assert path.is_file()
    assert not (tmp_path / "elsewhere").exists()


async def test_e_mail_sends_the_pdf_to_the_buyer_over_smtp(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    with smtp_server() as (inbox, smtp):
        app.settings = replace(app.settings, smtp=smtp)
        async with app.run_test(size=(80, 24)) as pilot:
            await open_invoice(pilot, world.ORDER_KLAUS_ENROLMENT)
            await pilot.press("e")
            await settle(pilot)
            assert "✓ Sent to k***s@example.de" in text_of(app)
            assert world.KLAUS.email not in text_of(app)
    [message] = inbox.messages
    assert message["To"] == "klaus@example.de"
    [pdf] = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"


async def test_a_mail_server_that_cannot_be_reached_is_a_clear_error(tmp_path) -> None:
    from mlm_tui.core.notifier import read_maildir
    from mlm_tui.core.settings import SmtpSettings

    app = make_app(tmp_path, with_orders=True)
    port = free_port()
    app.settings = replace(app.settings, smtp=SmtpSettings("127.0.0.1", port, timeout=2.0))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoice(pilot, world.ORDER_KLAUS_ENROLMENT)
        await pilot.press("e")
        await settle(pilot)
        text = text_of(app)
        assert f"✗ the mail server 127.0.0.1:{port} did not accept the message" in text
    assert read_maildir(app.settings.maildir) == []


async def test_without_a_mail_server_the_e_mail_is_kept_and_the_folder_named(tmp_path) -> None:
    from mlm_tui.core.notifier import read_maildir

    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoice(pilot, world.ORDER_ANNA_DELIVERED)
        await pilot.press("e")
        await settle(pilot)
        assert "kept in" in text_of(app)
        assert str(app.settings.maildir) in "".join(text_of(app).split())
    [kept] = read_maildir(app.settings.maildir)
    assert kept["To"] == world.ANNA.email


# --- tracking ------------------------------------------------------------------------------


async def test_tracking_links_the_number_and_shows_window_and_stations(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(TrackingScreen(world.ORDER_KLAUS_HERMES))
        await settle(pilot)
        text = text_of(app)
        for words in ("Carrier:         Hermes", f"Tracking number: {world.HERMES_TRACKING}",
                      "Shipped:         07.11.2026", "Status:          in transit",
                      "Delivery window: 21.11.2026 – 24.11.2026",
                      "● 08.11.2026 13:00 Hermes Depot München",
                      "○ 07.11.2026 13:00 Hermes Logistik-Center Ludwigsfelde"):
            assert words in text, words
        facts = app.screen.query_one("#tracking-facts", Static).content
        links = {span.style.link for span in facts.spans  # type: ignore[union-attr]
                 if getattr(span.style, "link", None)}
        assert links == {"https://www.myhermes.de/empfangen/sendungsverfolgung/"
                         f"sendungsinformation/#{world.HERMES_TRACKING}"}


async def test_r_on_tracking_asks_again_and_says_what_it_found(tmp_path) -> None:
    from datetime import datetime

    from sqlalchemy import insert, select

    from mlm_tui.core.local import schema as t
    from mlm_tui.core.local.store import Store

    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(TrackingScreen(world.ORDER_KLAUS_HERMES))
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert "Refreshed: no news from the carrier." in text_of(app)

        store = Store(app.settings.store_path)
        with store.write() as conn:
            shipment_id = conn.execute(select(t.shipments.c.id).where(
                t.shipments.c.tracking_number == world.HERMES_TRACKING)).scalar_one()
            conn.execute(insert(t.shipment_events).values(
                shipment_id=shipment_id, at=datetime(2026, 11, 9, 8, 0),
                station="Hermes Zustellbasis Augsburg", description="in Zustellung"))
        store.close()
        await pilot.press("r")
        await settle(pilot)
        text = text_of(app)
        assert "Refreshed: 1 new station." in text
        assert "Hermes Zustellbasis Augsburg" in text


async def test_parcels_on_the_way_lists_every_carrier_of_the_team_only(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "in_transit")
        assert isinstance(app.screen, InTransitScreen)
        text = text_of(app)
        assert "2 parcels on the way: СДЭК 1 · Hermes 1" in text
        assert world.ORDER_OLGA_SHIPPED in text and world.ORDER_KLAUS_HERMES in text
        assert world.ORDER_PETR_SHIPPED not in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TrackingScreen)
        assert app.screen.order_number == world.ORDER_OLGA_SHIPPED


# --- cancel --------------------------------------------------------------------------------


async def test_cancelling_an_unshipped_order_shows_the_fee_first_then_refunds(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_PAID)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, CancelScreen)
        text = text_of(app)
        assert "Cancellation fee withheld: 150,00 ₽" in text
        assert "– forming the order: 150,00 ₽" in text
        assert "delivery there and back" not in text  # it never left the warehouse
        assert "No delivery is charged: the order was never shipped." in text
        assert "Refund to the balance:     2 787,40 ₽" in text
        backend = app.backend
        before = backend.balance().amount
        await keys(pilot, "y")
        assert isinstance(app.screen, OrderScreen)
        text = text_of(app)
        assert f"Order {world.ORDER_ANNA_PAID} is now cancelled." in text
        assert "Cancellation fee withheld: forming the order 150,00 ₽" in text
        # The balance's ledger names the part the fee paid for.
        await open_screen(pilot, "wallet")
        fee = next(line for line in text_of(app).splitlines() if "-150,00 ₽" in line)
        assert "Fee" in fee and world.ORDER_ANNA_PAID in fee and "forming the order" in fee
        assert backend.order(world.ORDER_ANNA_PAID).status is OrderStatus.CANCELLED
        assert backend.balance().amount - before == Decimal("2787.40")


async def test_an_order_not_paid_yet_says_its_points_are_pending(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_PLACED)  # to be paid at the service centre
        assert "Total 777,40 ₽ · 10 BB pending: earned when the order is paid" in text_of(app)
        await keys(pilot, "escape")
        await open_order(pilot, world.ORDER_ANNA_PAID)
        text = text_of(app)
        assert "52,5 BB" in text and "pending" not in text


def test_the_stop_dialog_lists_what_the_fee_is_made_of() -> None:
    from mlm_tui.core.company import demo_company
    from mlm_tui.core.models import CancellationQuote, FeePart
    from mlm_tui.core.money import Money
    from mlm_tui.screens.cancel import quote_text

    def rub(amount: int) -> Money:
        return Money(Decimal(amount), "RUB")

    quote = CancellationQuote("RU-2611-000009", True, rub(450), rub(550),
                              ("stop with the carrier",),
                              (FeePart("forming the order", rub(150)),
                               FeePart("delivery there and back", rub(300))))
    text = quote_text(quote, demo_company("ru")).replace("\xa0", " ")
    assert "Credit when the parcel is back: 550,00 ₽ (fee 450,00 ₽)" in text
    assert "– forming the order: 150,00 ₽\n  – delivery there and back: 300,00 ₽" in text


async def test_keeping_the_order_changes_nothing(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_PAID)
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen)
        assert app.backend.order(world.ORDER_ANNA_PAID).status is OrderStatus.PAID


async def sign_in_as(pilot, person: world.Person) -> None:
    await settle(pilot)
    await pilot.press(*person.email, "enter", *world.PASSWORD, "enter")
    await settle(pilot)


async def test_a_shipped_order_gets_the_stop_and_credit_steps(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in_as(pilot, world.OLGA_MSK)  # her own order
        await open_order(pilot, world.ORDER_OLGA_SHIPPED)
        await pilot.press("c")
        await settle(pilot)
        text = text_of(app)
        assert "already shipped: it cannot be cancelled" in text
        assert "1. stop with the carrier" in text and "3. credit to the balance" in text
        # Paid in cash to the courier, not from the balance: nothing to withhold.
        assert "forming the order" not in text
        assert "Request stop and credit" in text
        await pilot.press("y")
        await settle(pilot)
        assert app.backend.order(world.ORDER_OLGA_SHIPPED).status is OrderStatus.STOP_REQUESTED
        assert "is now stop requested" in text_of(app)
        # Nothing is credited yet: the stop waits for the service, and the order says so.
        assert "Delivery stop: requested on 20.11.2026; the service asks the carrier" in (
            text_of(app))


async def test_an_upline_is_not_offered_cancel_on_a_downline_s_own_order(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_PAID)  # her own: she may cancel it
        assert "c Cancel order" in text_of(app)
        await keys(pilot, "escape")
        await open_order(pilot, world.ORDER_OLGA_SHIPPED)  # Olga placed and bought it
        assert "Cancel order" not in text_of(app)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen)  # nothing opened, nothing refused
        assert "✗" not in text_of(app)
        assert app.backend.order(world.ORDER_OLGA_SHIPPED).status is OrderStatus.SHIPPED


async def test_a_delivered_order_cannot_be_cancelled_and_says_why(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_DELIVERED)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, OrderScreen)
        assert "An order that is delivered cannot be cancelled." in text_of(app)


# --- returns and claims --------------------------------------------------------------------


async def test_a_claim_picks_products_and_quantities_then_a_reason(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_order(pilot, world.ORDER_ANNA_DELIVERED)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ClaimScreen)
        await pilot.press("plus", "plus", "plus")  # at most the two bought
        await settle(pilot)
        assert app.screen.quantities == {"32548": 2, "34001": 0}
        await pilot.press("minus", "tab", *"Тюбик треснул", "ctrl+s")
        await settle(pilot)
        text = text_of(app)
        assert "✓ Claim CL-2611-000001 submitted; decision by 27.11.2026" in text
        assert "Earlier: CL-2611-000001 · submitted 20.11.2026 · awaiting decision" in text
        [claim] = app.backend.claims()
        assert [(line.product_code, line.quantity) for line in claim.lines] == [("32548", 1)]
        assert claim.reason == "Тюбик треснул"


async def test_a_claim_without_products_is_refused_next_to_the_products(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(ClaimScreen(world.INVOICES[world.ORDER_ANNA_DELIVERED]))
        await settle(pilot)
        await pilot.press("tab", *"Тюбик треснул", "enter")
        await settle(pilot)
        error = app.screen.query_one("#error-lines", Static)
        assert error.display and "at least one product" in str(error.visual)
        assert app.backend.claims() == []


async def test_an_undelivered_order_warns_before_a_claim_is_typed(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(ClaimScreen(world.INVOICES[world.ORDER_ANNA_PAID]))
        await settle(pilot)
        assert "The order is paid: only a delivered order can be claimed." in text_of(app)


async def test_s_corrects_a_flagged_order_to_so_and_the_history_shows_it(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await history(pilot)
        await move_to(pilot, world.ORDER_KLAUS_HERMES)
        await keys(pilot, "enter")
        assert isinstance(app.screen, OrderScreen)
        assert "Correct type to SO" in text_of(app)
        await keys(pilot, "s")
        text = text_of(app)
        assert f"Order {world.ORDER_KLAUS_HERMES} is now SO standard order." in text
        assert "expected SO" not in text, "the flag is gone"
        assert "order type corrected from IO to SO" in text
        assert "Correct type to SO" not in text, "nothing left to correct"
        await keys(pilot, "escape")
        row = next(r for r in grid_rows(app) if world.ORDER_KLAUS_HERMES in r)
        assert not row.startswith("!") and " SO " in row


async def test_an_order_without_a_flag_offers_no_correction(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, world.ORDER_OLGA_SHIPPED)
        assert "Correct type to SO" not in text_of(app)
        await keys(pilot, "s")
        assert "is now" not in text_of(app)
        assert app.screen.view.order.source.value == "SO"
