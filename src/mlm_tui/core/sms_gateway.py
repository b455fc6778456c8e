"""Text messages through an SMS provider's HTTP API.

The address is the configured template with ``{to}`` (the number as +79161234501),
``{digits}`` (79161234501) and ``{text}`` filled in, URL-encoded. GET sends nothing
else; POST also sends ``to`` and ``text`` as form fields, for gateways that want them
in the body. Credentials go as HTTP basic auth (``user``/``password``) or a bearer
``token``. Any answer but 2xx, or no answer, is ``DeliveryFailed``; its message names
the gateway's host and status only, never the text (it may carry a code) nor the
credentials.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import httpx

from mlm_tui.core.errors import DeliveryFailed
from mlm_tui.core.settings import SmsSettings


def send_by_http(gateway: SmsSettings, to: str, text: str) -> None:
    fill = {"to": quote(to, safe=""), "digits": quote(to.lstrip("+"), safe=""),
            "text": quote(text, safe="")}
    url = gateway.url.format_map(fill)
    host = urlsplit(gateway.url).hostname or "the SMS gateway"
    headers = {"Authorization": f"Bearer {gateway.token}"} if gateway.token else {}
    auth = (gateway.user, gateway.password or "") if gateway.user else None
    try:
        answer = httpx.request(
            gateway.method, url, headers=headers, auth=auth, timeout=gateway.timeout,
            data={"to": to, "text": text} if gateway.method == "POST" else None)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"the SMS gateway {host} could not be reached "
                             f"({type(exc).__name__})") from None
    if not answer.is_success:
        raise DeliveryFailed(f"the SMS gateway {host} refused the message "
                             f"(HTTP {answer.status_code})")
