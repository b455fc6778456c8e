"""The cart in one line, for the screens that add to it: "3 lines · to pay … · 45 BB".

When some lines are paid from the points wallet, it says how many points they cost.
"""

from __future__ import annotations

from mlm_tui.core.models import Cart, CompanyProfile
from mlm_tui.i18n import _, ngettext
from mlm_tui.widgets.money import money_text, points_text


def cart_summary_text(cart: Cart, company: CompanyProfile | None) -> str:
    lines = len(cart.lines)
    text = ngettext("The cart: {lines} line, to pay {to_pay}, {points}.",
                    "The cart: {lines} lines, to pay {to_pay}, {points}.", lines).format(
        lines=lines, to_pay=money_text(cart.to_pay, company),
        points=points_text(cart.points, company))
    if cart.points_spent:
        text += " " + _("Paid with {points} from the wallet.").format(
            points=points_text(cart.points_spent, company))
    return text
