"""How a code left, in the words a reset or registration screen says it."""

from __future__ import annotations

from mlm_tui.core.models import Delivery, MessageDelivery
from mlm_tui.i18n import _


def how_sent(delivery: MessageDelivery) -> str:
    """``by e-mail; SMS not configured``: each way, and whether it really went out."""
    email = (_("by e-mail") if delivery.email is Delivery.SENT
             else _("by e-mail into the local mail folder (no mail server set)"))
    sms = _("by SMS") if delivery.sms is Delivery.SENT else _("SMS not configured")
    return f"{email}; {sms}"
