"""Promotions of the current catalog period; closed sales (for consultants only) marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from mlm_tui.core.dates import format_day
from mlm_tui.core.errors import DomainError
from mlm_tui.core.models import CatalogPeriod, CompanyProfile, Promotion, PromotionKind
from mlm_tui.core.money import format_money, format_points
from mlm_tui.display import data_text
from mlm_tui.i18n import _
from mlm_tui.widgets.fitting_table import FittingTable
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader

if TYPE_CHECKING:
    from mlm_tui.core.backend import Backend


def promotion_terms(promotion: Promotion, locale: str) -> str:
    """What the promotion gives, in a few words."""
    if promotion.kind is PromotionKind.PERCENT_OFF:
        percent = format_points(promotion.percent, locale)
        if promotion.product_code:
            return _("−{percent}% on {code}").format(percent=percent,
                                                     code=promotion.product_code)
        return _("−{percent}% on the cart").format(percent=percent)
    if promotion.kind is PromotionKind.GIFT_OVER_THRESHOLD:
        threshold = format_money(promotion.threshold, locale) if promotion.threshold else ""
        return _("{code} free from {threshold}").format(code=promotion.product_code or "",
                                                         threshold=threshold)
    return _("{code} instead of the delivery fee").format(code=promotion.product_code or "")


class PromotionsScreen(Screen[None]):
    DEFAULT_CSS = """
    PromotionsScreen #period { padding: 0 1; height: auto; text-style: bold; }
    PromotionsScreen #period.closed { color: $warning; }
    PromotionsScreen DataTable { height: 1fr; margin: 0 1; }
    PromotionsScreen #legend { padding: 0 1; color: $text-muted; height: auto; }
    """


    class Loaded(Message):
        def __init__(self, period: CatalogPeriod, promotions: list[Promotion],
                     company: CompanyProfile) -> None:
            super().__init__()
            self.period, self.promotions, self.company = period, promotions, company

    class Failed(Message):
        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading…"), id="period")
        table = FittingTable(id="promotions", cursor_type="row")
        table.add_columns("", _("Promotion"), _("Terms"))
        yield table
        yield Static(_("★ closed sale: for consultants only, not for customers"), id="legend")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Promotions")
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False, group="promotions")
    def load(self) -> None:
        try:
            company = self.backend.company()
            period = self.backend.current_period()
            promotions = self.backend.promotions()
        except DomainError as error:
            self.post_message(self.Failed(error))
            return
        self.post_message(self.Loaded(period, promotions, company))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        locale = message.company.locale
        period = message.period
        dates = f"{format_day(period.starts_on, locale)} – {format_day(period.ends_on, locale)}"
        text = f"{period.name}  ({dates})"
        if not period.ordering_open:
            text += "  " + _("ordering is closed")
        if not message.promotions:
            text += "\n" + _("No promotions in this period.")
        header = self.query_one("#period", Static)
        header.update(data_text(text, multiline=True))
        header.set_class(not period.ordering_open, "closed")
        table = self.query_one("#promotions", DataTable)
        table.clear()
        # Closed sales first: they are the reason a consultant opens this screen.
        for promotion in sorted(message.promotions, key=lambda p: (not p.closed_sale, p.id)):
            table.add_row("★" if promotion.closed_sale else "", data_text(promotion.title, end=""),
                          data_text(promotion_terms(promotion, locale), end=""),
                          key=str(promotion.id))
        table.focus()

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#period", Static).update(data_text(message.error.message))
