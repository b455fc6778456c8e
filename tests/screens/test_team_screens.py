"""The team back office as a field leader uses it: find a customer, read her months, open
one, walk the downline, register and activate a newcomer, money, news, training, home.

Every test drives the app on the test world (with its order history where months matter),
signed in as Anna, and reads the screen as a person would.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import insert, select
from textual.widgets import DataTable, Input, OptionList, Tree

from mlm_tui.core.local import schema as t
from mlm_tui.core.local.payments import confirm_payment
from mlm_tui.core.local.store import Store
from mlm_tui.core.models import PaymentSource
from mlm_tui.messages import Refused
from mlm_tui.screens.customer import CustomerScreen
from mlm_tui.screens.customers import CustomersScreen
from mlm_tui.screens.home import HomeScreen
from mlm_tui.screens.orders import OrdersScreen
from mlm_tui.screens.team import TeamScreen
from tests import world
from tests.screens.keys import keys, typed
from tests.screens.snapshot_app import codes_sent_to, make_app, open_screen, screen_text, settle

pytestmark = pytest.mark.anyio

PETR_SIGNS = ("Пётр", "Чужой", world.PETR.registration_number, world.ORDER_PETR_DELIVERED,
              world.ORDER_PETR_SHIPPED)




async def type_text(pilot, text: str) -> None:
    await keys(pilot, *text)


def assert_no_petr(app) -> None:
    text = screen_text(app)
    for sign in PETR_SIGNS:
        assert sign not in text


async def search(pilot, name: str) -> str:
    await settle(pilot)
    await open_screen(pilot, "customers")
    await type_text(pilot, name)
    return screen_text(pilot.app)


# --- customers: search as you type, pick by city ---------------------------------------------


async def test_three_ivanovas_are_listed_with_what_tells_them_apart(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await search(pilot, "иванова")
        assert "3 matches" in text
        rows = [line for line in text.splitlines() if "Иванова" in line]
        assert len(rows) == 3
        kazan = next(row for row in rows if "Казань" in row)
        assert "1000003" in kazan and "+7 *** ***-**-03" in kazan and "never" in kazan
        moscow = next(row for row in rows if "Москва" in row)
        assert "12.11.2026" in moscow  # her last order
        assert "+79161234502" not in text  # phones only masked


async def test_typing_on_narrows_the_list_and_emptying_it_clears(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "ольга")
        assert app.screen.query_one("#matches", DataTable).row_count == 2
        await type_text(pilot, " иванова")
        assert app.screen.query_one("#matches", DataTable).row_count == 2
        await keys(pilot, *["backspace"] * len("ольга иванова"))
        assert app.screen.query_one("#matches", DataTable).row_count == 0
        assert "Type a name to search your team." in screen_text(app)


async def test_nobody_outside_the_team_is_found(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await search(pilot, "Пётр")
        assert "Nobody in your team is called “Пётр”." in text
        assert app.screen.query_one("#matches", DataTable).row_count == 0
        await keys(pilot, *["backspace"] * 4)
        await type_text(pilot, "чужой")
        assert app.screen.query_one("#matches", DataTable).row_count == 0


async def test_one_match_opens_with_enter_from_the_search(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "ирина")
        await keys(pilot, "enter")
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.member_id == world.IRINA.id


async def test_the_right_olga_is_picked_by_city_and_escape_goes_back(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "ольга")
        await keys(pilot, "down", "down", "enter")  # Казань sorts before Москва
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.member_id == world.OLGA_MSK.id
        assert "Москва, ***" in screen_text(app)
        await keys(pilot, "escape")
        assert isinstance(app.screen, CustomersScreen)
        assert app.screen.query_one("#search", Input).value == "ольга"


# --- the overview: contacts masked, three months, drill into one ----------------------------


async def open_overview(pilot, member: world.Person) -> CustomerScreen:
    await settle(pilot)
    await pilot.app.push_screen(CustomerScreen(member.id))
    await settle(pilot)
    return pilot.app.screen


async def test_a_downline_s_contacts_stay_masked_and_passport_and_birth_date_unsaid(
    tmp_path,
) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.OLGA_KZN)
        text = screen_text(app)
        assert "o***n@example.ru" in text and "+7 *** ***-**-03" in text
        assert "Казань, ***" in text
        assert "only the member sees them in full" in text
        assert "Born" not in text and "Passport" not in text
        assert "Show contacts" not in text  # no key offers them
        await keys(pilot, "r")
        text = screen_text(app)
        assert world.OLGA_KZN.email not in text and world.OLGA_KZN.phone not in text
        assert "17.05.1985" not in text and "ул. Примерная" not in text


async def test_one_s_own_contacts_are_masked_until_asked_for(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.ANNA)
        text = screen_text(app)
        assert "a***a@example.ru" in text and "+7 *** ***-**-01" in text
        assert world.ANNA.email not in text and "29.02.1980" not in text
        await keys(pilot, "r")
        text = screen_text(app)
        assert world.ANNA.email in text and world.ANNA.phone in text
        assert "29.02.1980" in text and "101000 Москва, ул. Примерная, 1" in text
        await keys(pilot, "r")
        assert world.ANNA.email not in screen_text(app)


async def test_overview_names_enroller_sponsor_status_and_loyalty(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.KLAUS)
        text = screen_text(app)
        assert "Klaus Müller  ·  1000005" in text
        assert "Enroller: Ольга Иванова (1000002)" in text
        assert "Sponsor: Ольга Иванова (1000002)" in text
        assert "Consultant, active; registered 02.04.2024" in text
        assert "Loyalty programme: not enrolled" in text
        await open_overview(pilot, world.OLGA_MSK)
        assert "Loyalty programme: enrolled since 01.06.2021" in screen_text(app)


async def test_three_months_of_points_newest_first(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.OLGA_MSK)
        lines = screen_text(app).splitlines()
        months = [line.split() for line in lines
                  if line.strip().startswith(("November", "October", "September"))]
        assert [row[0] for row in months] == ["November", "October", "September"]
        november, october, september = months
        assert november[2:4] == ["46", "1"]  # 30 + 2 x 8 BB, one order
        assert october[2:5] == ["0", "no", "order"]
        assert september[2:5] == ["40", "1", "1"]  # the loyalty (AS) order


async def test_a_month_opens_the_history_of_that_member_and_month(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.OLGA_MSK)
        await keys(pilot, "down", "down", "enter")  # September
        assert isinstance(app.screen, OrdersScreen)
        text = screen_text(app)
        assert "1 order" in text and "September 2026" in text
        assert world.ORDER_OLGA_LOYALTY in text
        assert world.ORDER_OLGA_SHIPPED not in text
        await keys(pilot, "enter")  # the order itself
        assert f"Order {world.ORDER_OLGA_LOYALTY}" in screen_text(app)


async def test_all_orders_of_the_member(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.OLGA_MSK)
        await keys(pilot, "o")
        text = screen_text(app)
        assert world.ORDER_OLGA_LOYALTY in text and world.ORDER_OLGA_SHIPPED in text
        assert world.ORDER_ANNA_PAID not in text


# --- authorisation: no path leads outside the downline ---------------------------------------


async def test_a_member_outside_the_team_cannot_be_opened(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_overview(pilot, world.PETR)
        assert "This member cannot be shown." in screen_text(app)
        assert_no_petr(app)
        await keys(pilot, "enter", "r", "o")  # nothing to open, reveal or list
        assert isinstance(app.screen, CustomerScreen)
        assert_no_petr(app)


async def test_orders_of_a_member_outside_the_team_are_not_listed(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(OrdersScreen(member=world.PETR.id, month="2026-10"))
        await settle(pilot)
        assert_no_petr(app)


async def test_an_upline_member_is_outside_a_downline_view(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True, login=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.backend.login(world.KLAUS.registration_number, world.PASSWORD)
        await open_overview(pilot, world.OLGA_MSK)  # Klaus's sponsor
        assert "This member cannot be shown." in screen_text(app)
        assert world.OLGA_MSK.email not in screen_text(app)


async def test_the_tree_holds_only_the_downline(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "team")
        tree = app.screen.query_one(Tree)
        for node in tree.root.children[0].children:
            if node.allow_expand:
                node.expand()
        await settle(pilot)
        shown = {node.data.member.id for node in _walk(tree.root) if node.data}
        assert shown == {world.ANNA.id, world.OLGA_MSK.id, world.OLGA_KZN.id, world.IRINA.id,
                         world.KLAUS.id, world.NEWBIE.id, world.CLOSED.id}
        assert_no_petr(app)


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


# --- the team tree ---------------------------------------------------------------------------


async def test_tree_shows_points_this_month_and_loads_a_branch_when_opened(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "team")
        assert isinstance(app.screen, TeamScreen)
        text = screen_text(app)
        # Her order waiting to be paid at the service centre (10 BB) earns nothing yet.
        assert "Анна Смирнова  1000001  52,5 BB  (5)" in text
        assert "Ольга Иванова  1000002  46 BB  (1)" in text
        assert "Светлана Новикова  1000006  0 BB  not activated" in text
        assert "Klaus" not in text  # not read until Olga's branch opens
        tree = app.screen.query_one(Tree)
        olga_row = next(i for i in range(tree.last_line + 1)
                        if tree.get_node_at_line(i).data
                        and tree.get_node_at_line(i).data.member.id == world.OLGA_MSK.id)
        await keys(pilot, *["down"] * olga_row, "right")
        assert "Klaus Müller  1000005  40 BB" in screen_text(app)
        await keys(pilot, "down", "enter")
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.member_id == world.KLAUS.id


async def test_a_branch_is_read_once(tmp_path) -> None:
    calls: list[int] = []

    def counting(backend):
        original = backend.team_children

        def team_children(member_id: int):
            calls.append(member_id)
            return original(member_id)

        backend.team_children = team_children
        return backend

    app = make_app(tmp_path, wrap=counting)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "team")
        tree = app.screen.query_one(Tree)
        olga = next(n for n in _walk(tree.root) if n.data and n.data.member.id == 2)
        for _ in range(3):
            olga.expand()
            await settle(pilot)
            olga.collapse()
            await settle(pilot)
        assert calls == [world.OLGA_MSK.id]  # her own level came with the tree (team_root)


# --- register and activate -------------------------------------------------------------------

NEWCOMER = {
    "full_name": "Мария Петрова", "birth_date": "03.04.1990", "passport": "",
    "postcode": "420111", "city": "Казань", "street": "ул. Баумана, 5",
    "phone": "+7 917 555-12-34", "email": "maria@example.ru",
}


async def fill_form(pilot, values: dict[str, str]) -> None:
    for name, value in values.items():
        pilot.app.screen.query_one(f"#{name}", Input).value = value
    await settle(pilot)


async def register(pilot, values: dict[str, str]) -> str:
    await settle(pilot)
    await open_screen(pilot, "register")
    await fill_form(pilot, values)
    await keys(pilot, "ctrl+s")
    return screen_text(pilot.app)


async def test_each_error_shows_under_its_field_and_keeps_what_was_typed(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await register(pilot, {**NEWCOMER, "email": "maria.example.ru"})
        assert "✗ Enter an e-mail address like name@example.ru." in text
        assert app.screen.query_one("#email", Input).has_focus
        assert app.screen.query_one("#full_name", Input).value == "Мария Петрова"
        assert "Please correct the marked field." in text

        await fill_form(pilot, {"email": NEWCOMER["email"], "birth_date": "1.1.2015"})
        await keys(pilot, "ctrl+s")
        text = screen_text(app)
        assert "✗ A member must be at least 18 years old." in text
        assert "e-mail address like" not in text  # the old error is gone

        await fill_form(pilot, {"birth_date": "31.02.1990"})
        await keys(pilot, "ctrl+s")
        assert "✗ There is no 31.02.1990: that month has 28 days." in screen_text(app)

        await fill_form(pilot, {"birth_date": NEWCOMER["birth_date"], "postcode": "4201"})
        await keys(pilot, "ctrl+s")
        assert "✗ A postcode in this country has 6 digits." in screen_text(app)
        assert app.screen.query_one("#postcode", Input).has_focus


async def test_every_error_shows_at_its_own_field_in_one_submit(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 40)) as pilot:
        wrong = {**NEWCOMER, "full_name": "Мария", "birth_date": "31.02.2020",
                 "postcode": "4201", "email": "maria.example.ru"}
        text = await register(pilot, wrong)
        lines = text.splitlines()

        def line_after(label: str) -> str:
            return next(lines[i + 1] for i, line in enumerate(lines) if label in line)

        assert "✗ Enter both the first and the last name." in line_after("Full name")
        assert "✗ There is no 31.02.2020: that month has 29 days." in line_after(
            "Date of birth")
        assert "✗ A postcode in this country has 6 digits." in line_after("Postcode")
        assert "✗" not in line_after("Street, house")
        assert "✗ Enter an e-mail address like name@example.ru." in line_after("E-mail")
        assert text.count("✗") == 4
        assert "Please correct the 4 marked fields." in text
        assert app.screen.query_one("#full_name", Input).has_focus  # the first of them
        assert {name: app.screen.query_one(f"#{name}", Input).value for name in wrong} == wrong


async def test_errors_the_backend_names_together_show_at_their_fields(tmp_path) -> None:
    from mlm_tui.core.errors import ValidationError, ValidationErrors

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 40)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "register")
        screen = app.screen
        screen.post_message(Refused(ValidationErrors([
            ValidationError("The city is unknown.", field="address.city"),
            ValidationError("The phone is taken.", field="phone"),
        ])))
        await settle(pilot)
        assert screen.query_one("#city-error").render().plain == "✗ The city is unknown."
        assert screen.query_one("#phone-error").render().plain == "✗ The phone is taken."
        assert screen.query_one("#city", Input).has_focus


async def test_a_duplicate_is_refused_with_the_reason(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await register(pilot, {**NEWCOMER, "email": world.IRINA.email})
        assert "✗" in text and "already" in text.lower()
        store = Store(app.settings.store_path)
        with store.read() as conn:
            count = len(conn.execute(select(t.members.c.id)).all())
        store.close()
        assert count == 8  # nobody added


async def test_register_then_the_newcomer_activates_and_is_signed_in(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        text = await register(pilot, NEWCOMER)
        assert "Мария Петрова is registered as" in text
        number = text.split("registered as ")[1].split(".")[0]
        assert "m***a@example.ru" in text
        assert app.screen.query_one("#full_name", Input).value == ""  # ready for the next
        [code] = codes_sent_to(app, "maria@example.ru")
        store = Store(app.settings.store_path)
        with store.read() as conn:  # she reads the language she was registered in
            language = conn.execute(select(t.members.c.language).where(
                t.members.c.registration_number == number)).scalar_one()
        store.close()
        assert language == "en"

        from mlm_tui.screens.activate import ActivateScreen

        await pilot.app.push_screen(ActivateScreen(number))
        await settle(pilot)
        await keys(pilot, typed("00000000"), "enter", typed("Kazan-spring-90"), "enter",
                   typed("Kazan-spring-90"), "enter")
        assert "✗" in screen_text(app)  # a wrong code, shown under the code
        assert app.screen.query_one("#code", Input).has_focus
        app.screen.query_one("#code", Input).value = code
        await keys(pilot, "ctrl+s")
        assert app.session is not None and app.session.full_name == "Мария Петрова"
        assert "Мария Петрова" in screen_text(app)  # the header: signed in as her


# --- balance and points ----------------------------------------------------------------------


async def test_a_top_up_is_pending_until_the_service_confirms_it(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        assert "On your account: 10 000,00 ₽" in screen_text(app)
        await keys(pilot, "t", *"1 500,50")
        app.screen.query_one("#terminal").press()
        await settle(pilot)
        text = screen_text(app)
        assert "Top-up TU-2611-000001 of 1 500,50 ₽ is pending" in text
        assert "TU-2611-000001  1 500,50 ₽  at a terminal  pending" in text
        assert "On your account: 10 000,00 ₽" in text  # nothing credited yet
        assert app.screen.query_one("#ledger", DataTable).row_count == 1
        assert not app.screen.query_one("#demo-pay").display  # a real company's store

        store = Store(app.settings.store_path)
        try:  # the service confirms it, from outside the app
            confirm_payment(store, "TU-2611-000001", now=world.NOW,
                            source=PaymentSource.SERVICE, decided_by="irina.service")
        finally:
            store.close()
        app.check_for_changes()
        await settle(pilot)
        text = screen_text(app)
        assert "On your account: 11 500,50 ₽" in text
        assert "pending" not in text.split("Top up:")[0]
        ledger = app.screen.query_one("#ledger", DataTable)
        assert ledger.row_count == 2
        assert ledger.get_row_at(0)[4].plain == "service · TU-2611-000001"
        assert "is pending" not in text  # the result line no longer says so


async def test_a_wrong_amount_is_refused_and_nothing_is_recorded(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        await keys(pilot, "t", *"много", "enter")
        assert "Enter an amount, e.g. 1500 or 1 500,50." in screen_text(app)
        await keys(pilot, *["backspace"] * 5, "-", "5", "enter")
        assert "On your account: 10 000,00 ₽" in screen_text(app)
        assert app.screen.query_one("#ledger", DataTable).row_count == 1


async def test_points_wallet_and_history(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "wallet")
        await keys(pilot, "p")
        text = screen_text(app)
        assert "Points in your wallet: 100 BB" in text
        assert "Earned" in text and "01.12.2026" in text and "-20" in text


# --- promotions, inbox, training -------------------------------------------------------------


async def test_promotions_of_the_period_with_closed_sales_first(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "promotions")
        lines = screen_text(app).splitlines()
        assert "Каталог 16/2026  (10.11.2026 – 30.11.2026)" in lines[2]
        rows = [line for line in lines if "%" in line or "instead" in line or "free" in line]
        assert rows[0].strip().startswith("★  Закрытая распродажа: кисти −30%")
        assert sum("★" in row for row in rows) == 1
        assert any("34001 free from 3 000,00 ₽" in row for row in rows)


async def test_enter_on_a_promotion_opens_its_product_ready_to_add(tmp_path) -> None:
    from mlm_tui.screens.product_detail import ProductDetailScreen

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "promotions")
        promotions = app.screen
        rows = [line for line in screen_text(app).splitlines() if "free from" in line]
        assert rows and "Open product" in screen_text(app)  # the footer names the key
        table = promotions.query_one("#promotions", DataTable)
        gift_row = next(index for index in range(table.row_count)
                        if "34001 free from" in str(table.get_row_at(index)[2]))
        table.move_cursor(row=gift_row)
        await keys(pilot, "enter")
        assert isinstance(app.screen, ProductDetailScreen)
        assert app.screen.product.code == "34001"
        assert "Add to cart" in screen_text(app)


def add_notifications(app) -> None:
    store = Store(app.settings.store_path)
    with store.write() as conn:
        conn.execute(insert(t.notifications), [
            dict(member_id=world.ANNA.id, at=datetime(2026, 11, 18, 9), kind="claim",
                 title="Claim RC-1 accepted", body="A refund of 599,20 ₽ is on your balance.",
                 read_at=None),
            dict(member_id=world.ANNA.id, at=datetime(2026, 11, 19, 9), kind="shipping",
                 title="Your parcel is on its way", body="СДЭК 1099887766.",
                 read_at=datetime(2026, 11, 19, 10)),
            dict(member_id=world.PETR.id, at=datetime(2026, 11, 19, 9), kind="promotion",
                 title="Only for Petr", body="-", read_at=None),
        ])
    store.close()


async def test_inbox_marks_a_message_read_when_opened(tmp_path) -> None:
    app = make_app(tmp_path)
    add_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "inbox")
        text = screen_text(app)
        assert "1 unread" in text and "Only for Petr" not in text
        assert "●  18.11.2026  Claim" in text
        await keys(pilot, "down", "enter")  # the claim decision is second (oldest)
        text = screen_text(app)
        assert "A refund of 599,20 ₽ is on your balance." in text
        assert "0 unread" in text
        assert all(n.read for n in app.backend.notifications())


async def test_inbox_shows_only_unread_on_request(tmp_path) -> None:
    app = make_app(tmp_path)
    add_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "inbox")
        await keys(pilot, "u")
        assert app.screen.query_one("#messages", DataTable).row_count == 1
        assert "(unread only; u shows all)" in screen_text(app)
        await keys(pilot, "u")
        assert app.screen.query_one("#messages", DataTable).row_count == 2


async def test_training_progress_is_kept(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "training")
        assert "0 of 7 lessons done" in screen_text(app)
        await keys(pilot, "d")
        text = screen_text(app)
        assert "1 of 7 lessons done" in text and "✓ Welcome to the team" in text
        assert "A new catalog starts every few weeks." in text  # on to the next lesson
        assert app.backend.training_progress() == {"welcome"}
        await keys(pilot, "escape")
        await open_screen(pilot, "training")
        lessons = app.screen.query_one(OptionList)
        assert lessons.highlighted == 1  # it opens where the newcomer left off


# --- home ------------------------------------------------------------------------------------


async def test_home_says_what_needs_doing_and_opens_a_member(tmp_path) -> None:
    app = make_app(tmp_path, with_orders=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await open_screen(pilot, "home")
        assert isinstance(app.screen, HomeScreen)
        text = screen_text(app)
        assert "Hello, Анна Смирнова!" in text
        # 52,5 BB paid this month; the order waiting for its money adds nothing yet.
        assert "97,5 BB short of this month's target of 150: 11 days left." in text
        assert "100 BB in your wallet expire on 01.12.2026" in text
        assert "1 member of your first level is already due for removal" in text
        assert "Ольга Иванова  1000003" in text
        await keys(pilot, "down", "enter")  # the first member named
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.member_id == world.OLGA_KZN.id


async def test_home_when_nothing_needs_doing(tmp_path) -> None:
    app = make_app(tmp_path, login=False)
    store = Store(app.settings.store_path)
    with store.write() as conn:
        conn.execute(insert(t.orders).values(
            number="K-1", buyer_id=world.KLAUS.id, placed_by_id=world.KLAUS.id, source="SO",
            status="delivered", period_id=2, placed_at=datetime(2026, 11, 19, 9),
            retail=Decimal(2499), discount=Decimal(500), delivery_fee=Decimal(0),
            total=Decimal(1999), points=Decimal(150), payment_method="balance",
            delivery_method="pickup_point"))
    store.close()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.backend.login(world.KLAUS.registration_number, world.PASSWORD)
        await pilot.app.push_screen(HomeScreen())
        await settle(pilot)
        assert "Nothing needs doing today." in screen_text(app)



# --- register: each field checked on leaving it ----------------------------------------------


async def open_register_at(pilot, name: str) -> None:
    await settle(pilot)
    await open_screen(pilot, "register")
    pilot.app.screen.query_one(f"#{name}", Input).focus()
    await settle(pilot)


async def test_a_malformed_email_is_said_on_leaving_it_and_cleared_once_fixed(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register_at(pilot, "email")
        await type_text(pilot, "maria.example.ru")
        assert "e-mail address like" not in screen_text(app)  # not while typing
        await keys(pilot, "tab")
        text = screen_text(app)
        assert "✗ Enter an e-mail address like name@example.ru." in text
        assert "Please correct" not in text  # said at the field only, nothing was sent
        assert app.screen.query_one("#email", Input).value == "maria.example.ru"
        assert not app.screen.query_one("#email", Input).has_focus  # the user moved on

        await keys(pilot, "shift+tab", "end")  # back into it, the cursor at the end
        await keys(pilot, *["backspace"] * len(".example.ru"), *"@example.ru", "tab")
        assert "e-mail address like" not in screen_text(app)
        assert app.screen.query_one("#email", Input).value == "maria@example.ru"


async def test_an_under_age_birth_date_is_refused_at_its_field(tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register_at(pilot, "full_name")
        await type_text(pilot, "Мария Петрова")
        await keys(pilot, "tab", typed("01.01.2015"), "tab")
        text = screen_text(app)
        assert "✗ A member must be at least 18 years old." in text
        assert "Enter both" not in text  # the name is right: nothing under it
        assert app.screen.query_one("#birth_date", Input).value == "01.01.2015"
        assert app.screen.query_one("#full_name", Input).value == "Мария Петрова"
        # Passing through empty fields (passport, postcode) says nothing about them.
        await keys(pilot, "tab", "tab")
        assert app.screen.query_one("#city", Input).has_focus
        text = screen_text(app)
        assert text.count("✗") == 1 and "✗ A member must be at least 18" in text


async def test_an_address_line_is_checked_alone_and_an_unchanged_field_keeps_its_error(
        tmp_path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_register_at(pilot, "postcode")
        # the city is still empty: only the postcode is said
        await keys(pilot, typed("4201"), "tab")
        assert "✗ A postcode in this country has 6 digits." in screen_text(app)
        await keys(pilot, typed("Казань"), "tab")
        assert "✗ A postcode in this country has 6 digits." in screen_text(app)
        await keys(pilot, "shift+tab", "shift+tab", "end", typed("11"), "tab")
        assert "postcode in this country" not in screen_text(app)
