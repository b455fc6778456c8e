"""Quick order: product codes and quantities typed (or pasted) from the paper catalog.

As a code is typed its name, price and points appear; an unknown or sold-out code is
flagged at once. A pasted list ("32548 2", "33012 x1", one per line or separated by
commas) spreads over rows, and every entry that could not be read is reported with its
line. Ctrl+S puts the rows into the cart; Ctrl+R repeats an earlier order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Static

from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import Cart, CompanyProfile, Product
from mlm_tui.core.money import Money
from mlm_tui.core.quick_order import BAD_QUANTITY, QuickItem
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _, ngettext
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.cart_summary import cart_summary_text
from mlm_tui.widgets.errors import error_text
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader
from mlm_tui.widgets.money import money_text, points_text
from mlm_tui.widgets.quick_order_row import CodeInput, QuickOrderRow, RowState


class QuickOrderScreen(AppScreen[None]):
    DEFAULT_CSS = """
    QuickOrderScreen #qo-intro { padding: 0 1; height: auto; color: $text-muted; }
    QuickOrderScreen #qo-columns { height: 1; padding: 0 1; text-style: bold; }
    QuickOrderScreen #qo-columns > .qo-code { width: 11; }
    QuickOrderScreen #qo-columns > .qo-quantity { width: 6; }
    QuickOrderScreen #qo-columns > .qo-name { width: 1fr; }
    QuickOrderScreen #qo-columns > .qo-sum { width: 13; text-align: right; }
    QuickOrderScreen #qo-columns > .qo-points { width: 9; text-align: right; }
    QuickOrderScreen #qo-rows { height: 1fr; padding: 0 1; }
    QuickOrderScreen #qo-total { padding: 0 1; height: 1; text-style: bold; }
    QuickOrderScreen #qo-report { padding: 0 1; height: auto; max-height: 6; }
    QuickOrderScreen #qo-report.-error { color: $text-error; }
    """

    BINDINGS = [
        Binding("ctrl+s", "add_to_cart", N_("To cart"), id="quick_order.add",
                tooltip=N_("Put every ready row into the cart")),
        Binding("ctrl+l", "paste_list", N_("Paste list"), id="quick_order.paste"),
        Binding("ctrl+r", "repeat_order", N_("Repeat order"), id="quick_order.repeat"),
        Binding("escape", "leave", N_("Back"), show=False, id="quick_order.back"),
    ]

    @dataclass
    class Looked(Message):
        codes: list[str]
        products: dict[str, Product]

    @dataclass
    class Added(Message):
        cart: Cart | None
        added: list[str]
        refused: list[tuple[str, str]]

    def __init__(self) -> None:
        super().__init__()
        self.known: dict[str, Product | None] = {}  # code -> product (None: no such code)
        self._rows_made = 0

    @property
    def company(self) -> CompanyProfile | None:
        return self.mlm_app.company

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Type a code, Enter, the quantity, Enter. Paste a whole list into a "
                       "code field or with Ctrl+L."), id="qo-intro")
        with Horizontal(id="qo-columns"):
            yield Static(_("Code"), classes="qo-code")
            yield Static(_("Qty"), classes="qo-quantity")
            yield Static(_("Product"), classes="qo-name")
            yield Static(_("Sum"), classes="qo-sum")
            yield Static(data_text(self.company.points_label) if self.company
                         else _("Points"), classes="qo-points")
        with VerticalScroll(id="qo-rows"):
            yield self._make_row()
        yield Static("", id="qo-total", markup=False)
        yield Static("", id="qo-report", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Quick order")
        self.set_focus(self.rows[0].code_input)
        self._update_total()

    # --- rows ------------------------------------------------------------------------------
    @property
    def rows(self) -> list[QuickOrderRow]:
        return list(self.query(QuickOrderRow))

    def _make_row(self, code: str = "", quantity: int = 1) -> QuickOrderRow:
        self._rows_made += 1
        return QuickOrderRow(self._rows_made, code, quantity)

    async def _new_row(self, code: str = "", quantity: int = 1) -> QuickOrderRow:
        row = self._make_row(code, quantity)
        await self.query_one("#qo-rows", VerticalScroll).mount(row)
        return row

    async def _keep_an_empty_row(self) -> None:
        rows = self.rows
        if not rows or rows[-1].code:
            await self._new_row()

    def _row_of(self, widget: Input) -> QuickOrderRow:
        row = widget.parent
        assert isinstance(row, QuickOrderRow)
        return row

    @on(Input.Changed, ".qo-code")
    async def _code_changed(self, event: Input.Changed) -> None:
        row = self._row_of(event.input)
        self._look_up(row)
        await self._keep_an_empty_row()

    @on(Input.Changed, ".qo-quantity")
    def _quantity_changed(self, event: Input.Changed) -> None:
        self._row_of(event.input).refresh_sums(self.company)
        self._update_total()

    @on(Input.Submitted, ".qo-quantity")
    async def _quantity_entered(self, event: Input.Submitted) -> None:
        # The field moves on by itself (see RowInput) unless it was the last one then:
        # the next row may have come only since. Go there, or to a new row.
        if self.focused is not event.input:
            return
        rows = self.rows
        index = rows.index(self._row_of(event.input))
        target = rows[index + 1] if index + 1 < len(rows) else await self._new_row()
        self.set_focus(target.code_input)

    # --- looking codes up ------------------------------------------------------------------
    def _look_up(self, row: QuickOrderRow) -> None:
        code = row.code
        if not code:
            row.show(RowState.EMPTY, None, self.company)
        elif not row.code_is_readable:
            row.show(RowState.NOT_A_CODE, None, self.company)
        elif code in self.known:
            self._show_known(row)
        else:
            row.show(RowState.LOOKING, None, self.company)
            # One lookup per row at a time: a newer keystroke makes the older one stale.
            self.run_worker(partial(self._find, [code]), thread=True, exclusive=True,
                            exit_on_error=False, group=f"quick-order-{row.number}")
        self._update_total()

    def _find(self, codes: list[str]) -> None:
        try:
            products = self.backend.products_by_code(codes)
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.Looked(codes, products))

    @on(Looked)
    def _looked(self, message: Looked) -> None:
        for code in message.codes:
            self.known[code] = message.products.get(code)
        for row in self.rows:
            if row.code in message.codes:
                self._show_known(row)
        self._update_total()

    def _show_known(self, row: QuickOrderRow) -> None:
        product = self.known.get(row.code)
        if product is None:
            state = RowState.UNKNOWN
        elif not product.available:
            state = RowState.SOLD_OUT
        else:
            state = RowState.READY
        row.show(state, product, self.company)

    def _update_total(self) -> None:
        ready = [row for row in self.rows if row.state is RowState.READY and row.quantity]
        total = Money.zero(self.company.currency if self.company else "RUB")
        points = Decimal(0)
        for row in ready:
            assert row.product is not None and row.quantity is not None
            total += row.product.price * row.quantity
            points += row.product.points * row.quantity
        text = "" if not ready else ngettext(
            "{lines} line ready: {total}, {points}. Ctrl+S puts it into the cart.",
            "{lines} lines ready: {total}, {points}. Ctrl+S puts them into the cart.",
            len(ready)).format(lines=len(ready), total=money_text(total, self.company),
                               points=points_text(points, self.company))
        self.query_one("#qo-total", Static).update(data_text(text))

    # --- pasting a list --------------------------------------------------------------------
    @on(CodeInput.ListPasted)
    async def _list_pasted(self, message: CodeInput.ListPasted) -> None:
        await self.take_list(message.text, start=self._row_of(message.code_input))

    def action_paste_list(self) -> None:
        from mlm_tui.screens.paste_list import PasteListScreen

        async def pasted(text: str | None) -> None:
            if text:
                await self.take_list(text)

        self.app.push_screen(PasteListScreen(), pasted)

    async def take_list(self, text: str, *, start: QuickOrderRow | None = None) -> None:
        """Spread a pasted list over the rows, from ``start`` (or the first empty row) on."""
        from mlm_tui.core.quick_order import parse_quick_order

        parsed = parse_quick_order(text)
        await self._spread(parsed.items, start)
        await self._keep_an_empty_row()
        # Typing goes on after the list, not over its first row.
        self.set_focus(next(row for row in self.rows if not row.code).code_input)
        report = [ngettext("{count} code taken from the list.",
                           "{count} codes taken from the list.",
                           len(parsed.items)).format(count=len(parsed.items))]
        for entry in parsed.unread:
            report.append("✗ " + _("Line {line}, “{text}”: {reason}").format(
                line=entry.line_no, text=entry.text, reason=_(entry.reason)))
        self._report("\n".join(report), error=bool(parsed.unread))

    async def _spread(self, items: Sequence[QuickItem],
                      start: QuickOrderRow | None) -> None:
        empty = [row for row in self.rows if not row.code]
        if start is not None and start in empty:
            empty.remove(start)
            empty.insert(0, start)
        added: list[QuickOrderRow] = []
        for item in items:
            if empty:
                row = empty.pop(0)
                row.quantity_input.value = str(item.quantity)
                row.code_input.value = item.code  # looks it up through _code_changed
            else:
                added.append(self._make_row(item.code, item.quantity))
        # The rows to add go in at once, before anything is awaited: the rows filled above
        # report their change only then, and the empty row that keeps adding goes after
        # the whole list, never into it.
        await self.query_one("#qo-rows", VerticalScroll).mount_all(added)
        for row in added:
            self._look_up(row)

    # --- into the cart ---------------------------------------------------------------------
    def action_add_to_cart(self) -> None:
        wanted: list[tuple[str, int]] = []
        problems: list[str] = []
        for row in self.rows:
            if not row.code:
                continue
            if row.state is RowState.NOT_A_CODE:
                problems.append(_("{code}: a product code is digits only").format(code=row.code))
            elif row.state is RowState.UNKNOWN:
                problems.append(_("{code}: no product with this code").format(code=row.code))
            elif row.state is RowState.SOLD_OUT:
                problems.append(_("{code}: sold out").format(code=row.code))
            elif row.quantity is None:
                problems.append(_("{code}: {reason}").format(code=row.code,
                                                             reason=_(BAD_QUANTITY)))
            else:
                wanted.append((row.code, row.quantity))
        if not wanted:
            self._report("\n".join(["✗ " + p for p in problems])
                         or _("Type a product code first."), error=True)
            return
        self._report(_("Adding to the cart…"))
        self.put_into_cart(wanted, problems)

    @work(thread=True, exclusive=True, exit_on_error=False, group="quick-order-cart")
    def put_into_cart(self, wanted: list[tuple[str, int]], problems: list[str]) -> None:
        refused = [("", problem) for problem in problems]
        try:
            # Every line in one request: each is still taken or refused on its own.
            result = self.backend.add_lines_to_cart(wanted)
        except DomainError as error:
            self.post_message(self.Added(None, [], [*refused, ("", error_text(error))]))
            return
        not_taken = {line.product_code for line in result.refused}
        added = [code for code, _quantity in wanted if code not in not_taken]
        refused += [(line.product_code, error_text(DomainError(line.message, field=line.field)))
                    for line in result.refused]
        self.post_message(self.Added(result.cart if added else None, added, refused))

    @on(Added)
    async def _added(self, message: Added) -> None:
        for row in self.rows:
            if row.code in message.added:
                await row.remove()
        await self._keep_an_empty_row()
        lines = []
        if message.added:
            lines.append(ngettext("{count} line put into the cart.",
                                  "{count} lines put into the cart.",
                                  len(message.added)).format(count=len(message.added)))
        if message.cart is not None:
            lines.append(cart_summary_text(message.cart, self.company))
        for code, reason in message.refused:
            lines.append("✗ " + (f"{code}: {reason}" if code else reason))
        self._report("\n".join(lines), error=bool(message.refused) and not message.added)
        self._update_total()
        self.set_focus(self.rows[0].code_input)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._report(error_text(message.error), error=True)

    # --- leaving ----------------------------------------------------------------------------
    async def action_leave(self) -> None:
        """Back, but not over typed rows without asking: they exist nowhere else."""
        filled = [row for row in self.rows if row.code]
        if not filled:
            await self.app.run_action("back")
            return
        from mlm_tui.screens.confirm import ConfirmScreen

        async def answered(leave: bool | None) -> None:
            if leave:
                await self.app.run_action("back")

        question = ngettext("Leave the quick order? Its {count} typed line is not in the "
                            "cart and will be lost.",
                            "Leave the quick order? Its {count} typed lines are not in the "
                            "cart and will be lost.", len(filled)).format(count=len(filled))
        self.app.push_screen(ConfirmScreen(question, _("leave and lose them")), answered)

    # --- repeating an order ----------------------------------------------------------------
    def action_repeat_order(self) -> None:
        from mlm_tui.screens.repeat_order import RepeatOrderScreen

        self.app.push_screen(RepeatOrderScreen(), self._repeated)

    def _repeated(self, result: tuple[str, Cart] | None) -> None:
        if result is None:
            return
        number, cart = result
        self._report(_("Order {number} repeated.").format(number=number) + " "
                     + cart_summary_text(cart, self.company))

    def _report(self, text: str, *, error: bool = False) -> None:
        report = self.query_one("#qo-report", Static)
        report.update(data_text(text, multiline=True))
        report.set_class(error, "-error")
