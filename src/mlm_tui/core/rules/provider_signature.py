"""The payment provider's notifications are signed: HMAC-SHA256 with a shared secret.

The provider sends two headers with the JSON body:

    Payment-Timestamp: 1796205600            (Unix seconds when it signed)
    Payment-Signature: v1=<hex of HMAC-SHA256(secret, "<timestamp>.<body>")>

The signature covers the timestamp, so an old notification cannot be sent again with a
new time; one older (or newer) than the window is refused even with a good signature, and
within the window the provider's event id (kept by the store) stops a second credit. The
comparison takes the same time whatever the signature says.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime

from mlm_tui.core.errors import NotAuthenticated, ValidationError
from mlm_tui.i18n import N_

TIMESTAMP_HEADER = "Payment-Timestamp"
SIGNATURE_HEADER = "Payment-Signature"
WINDOW_SECONDS = 300
_VERSION = "v1="


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` signed at ``timestamp``."""
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return _VERSION + digest.hexdigest()


def check(secret: str, timestamp: str | None, signature: str | None, body: bytes,
          now: datetime, *, window: int = WINDOW_SECONDS) -> None:
    """``NotAuthenticated`` unless ``signature`` is the secret's over this body and time,
    and the time is within ``window`` seconds of ``now`` (an aware or UTC-naive time)."""
    if not secret:
        raise NotAuthenticated(N_("Payment notifications are not accepted here."))
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or not signature:
        raise NotAuthenticated(N_("The notification is not signed."))
    expected = sign(secret, int(timestamp), body)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise NotAuthenticated(N_("The notification's signature is wrong."))
    seconds = (now if now.tzinfo else now.replace(tzinfo=UTC)).timestamp()
    if abs(seconds - int(timestamp)) > window:
        raise ValidationError(N_("The notification is too old or from the future."),
                              field="timestamp")
