"""Delivery of codes, links and documents: by SMTP when configured, else into a Maildir.

With no SMTP server (a laptop, a train) every message lands in ``<data dir>/outbox-mail``
as a standard Maildir, so reset codes and activation codes can still be read and every
flow completed. Text messages (SMS) go through the gateway ``[sms]`` names (an HTTP API,
or an e-mail-to-SMS address); without one they are written there too, with an
``X-SMS-To`` header. :attr:`Notifier.delivery` says which, so a screen can say where a
code went.
Each message file is 0600 from its first byte: a reset code is read by its writer only,
in a team's shared data dir as well.
"""

from __future__ import annotations

import mailbox
import os
import smtplib
import socket
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from mlm_tui.core.errors import DeliveryFailed
from mlm_tui.core.files import make_folder, private_file
from mlm_tui.core.models import Delivery, MessageDelivery
from mlm_tui.core.settings import Settings, SmsSettings, SmtpSettings


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime: str = "application/pdf"


class Notifier:
    def __init__(self, maildir: Path, smtp: SmtpSettings | None = None,
                 sms: SmsSettings | None = None) -> None:
        self.maildir = maildir
        self.smtp = smtp
        self.sms_gateway = sms

    @classmethod
    def from_settings(cls, settings: Settings) -> Notifier:
        return cls(settings.maildir, settings.smtp, settings.sms)

    @property
    def delivery(self) -> MessageDelivery:
        """Where e-mail and SMS go: out through a server, or kept in the local folder."""
        return MessageDelivery(
            email=Delivery.SENT if self.smtp else Delivery.KEPT,
            sms=Delivery.SENT if self.sms_gateway else Delivery.KEPT)

    def email(
        self,
        to: str,
        subject: str,
        body: str,
        attachments: tuple[Attachment, ...] = (),
    ) -> None:
        """Send one e-mail whole, or raise ``DeliveryFailed`` having sent nothing."""
        message = EmailMessage()
        message["From"] = self.smtp.sender if self.smtp else "mlm-tui@localhost"
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        for item in attachments:
            maintype, subtype = item.mime.split("/", 1)
            message.add_attachment(
                item.content, maintype=maintype, subtype=subtype, filename=item.filename
            )
        if self.smtp:
            self._send_smtp(message)
        else:
            self._drop(message)

    def sms(self, to: str, body: str) -> None:
        """Send one text message through the gateway, or raise ``DeliveryFailed`` (which
        never holds the text: it may be a code). Without a gateway it is kept in the
        Maildir for the member to read."""
        gateway = self.sms_gateway
        if gateway is None:
            message = EmailMessage()
            message["From"] = "sms@localhost"
            message["To"] = f"{to}@sms.invalid"
            message["X-SMS-To"] = to
            message["Subject"] = "SMS"
            message.set_content(body)
            self._drop(message)
        elif gateway.gateway == "email":
            self.email(gateway.address.format(to=to.lstrip("+")), "SMS", body)
        else:
            from mlm_tui.core.sms_gateway import send_by_http

            send_by_http(gateway, to, body)

    def _drop(self, message: EmailMessage) -> None:
        # Delivered as Maildir asks (written in tmp/, renamed into new/), by hand: the
        # mailbox module makes its files 0666 less the umask.
        try:
            for folder in ("tmp", "new", "cur"):
                make_folder(self.maildir / folder)
            name = _unique_name()
            written = self.maildir / "tmp" / name
            with private_file(written, "wb") as fh:
                fh.write(message.as_bytes())
                fh.flush()
                os.fsync(fh.fileno())
            written.rename(self.maildir / "new" / name)
        except OSError as exc:
            raise DeliveryFailed(f"could not write the message to {self.maildir}: {exc}") from exc

    def _send_smtp(self, message: EmailMessage) -> None:
        smtp = self.smtp
        assert smtp is not None
        try:
            with smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout) as client:
                if smtp.starttls:
                    client.starttls()
                if smtp.user:
                    client.login(smtp.user, smtp.password or "")
                refused = client.send_message(message)
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise DeliveryFailed(
                f"the mail server {smtp.host}:{smtp.port} did not accept the message: {exc}"
            ) from exc
        if refused:
            raise DeliveryFailed(f"the mail server refused: {', '.join(refused)}")


def _unique_name() -> str:
    """A Maildir file name: the time, something unique, the host (no "/" or ":")."""
    host = socket.gethostname().replace("/", r"\057").replace(":", r"\072")
    return f"{int(time.time())}.{uuid.uuid4().hex}.{host}"


def read_maildir(maildir: Path) -> list[EmailMessage]:
    """Every message kept in the Maildir, oldest first (for tests and the CLI)."""
    if not maildir.exists():
        return []
    box = mailbox.Maildir(maildir, create=False)
    messages = sorted(box, key=lambda m: m.get_date())
    return messages  # type: ignore[return-value]
