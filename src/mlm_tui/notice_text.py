"""Inbox notices and claim decisions worded for the one reading them.

The core keeps a notice as a code with parameters and a decision as the service's own
words (``core.notices``); here they become text in the interface's language, with amounts
and days in the locale shown (``formats.shown_locale``). What was stored as text (older
notices, the company's own messages, decisions made before) is shown as written.
"""

from __future__ import annotations

from mlm_tui.core.models import Claim, ClaimStatus, Notification, NotificationKind
from mlm_tui.core.notices import Numbers, known_code, word_decision, word_notice
from mlm_tui.formats import format_money, format_points
from mlm_tui.i18n import _, render_message

# Amounts and points as the screen writes them (in ASCII on a terminal that needs it).
_ON_SCREEN = Numbers(format_money, format_points)


def notification_kind_label(kind: NotificationKind) -> str:
    return {
        NotificationKind.CLAIM: _("Claim"),
        NotificationKind.SHIPPING: _("Shipping"),
        NotificationKind.PROMOTION: _("Promotion"),
        NotificationKind.ACCOUNT: _("Account"),
    }[kind]


def notice_text(notification: Notification, locale: str) -> tuple[str, str]:
    """The notice's title and body in the interface's language; ``locale`` formats its
    amounts and days."""
    code = known_code(notification.code)
    if code is None:  # stored as text, or a code a newer version wrote
        return notification.title, notification.body
    return word_notice(code, notification.params, locale, render_message, _ON_SCREEN)


def decision_text(claim: Claim, locale: str) -> str | None:
    """A decided claim's decision in the interface's language; None while undecided."""
    if claim.note is None or claim.status is ClaimStatus.SUBMITTED:
        return claim.decision
    return word_decision(claim.status is ClaimStatus.ACCEPTED, claim.credit, claim.note,
                         locale, render_message, _ON_SCREEN)
