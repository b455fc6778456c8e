"""SMS through the configured gateway: a real HTTP gateway on 127.0.0.1 receives the
code; an e-mail-to-SMS gateway mails it; without one the text is kept in the local mail
folder, and the backend says which, so the screens tell where a code went."""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from mlm_tui.core.local import LocalBackend
from mlm_tui.core.models import Delivery, MessageDelivery
from mlm_tui.core.notifier import read_maildir
from mlm_tui.core.settings import ConfigError, SmsSettings, load_settings
from tests import world
from tests.smtp import smtp_server


@dataclass
class Gateway:
    """What the SMS provider received; ``status`` is what it answers."""

    url: str = ""
    status: int = 200
    received: list[dict] = field(default_factory=list)


@contextmanager
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            gateway.received.append({
                "method": self.command, "query": parse_qs(urlsplit(self.path).query),
                "form": parse_qs(body), "authorization": self.headers.get("Authorization")})
            self.send_response(gateway.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_GET = do_POST = _answer

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def with_config(tmp_path, monkeypatch, text: str, data_dir):
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(config))
    return load_settings(data_dir=data_dir)


def kept(settings) -> list:
    """What the local mail folder holds, as messages."""
    return [message_from_bytes(bytes(m), policy=policy.default)
            for m in read_maildir(settings.maildir)]


def codes_in(text: str) -> list[str]:
    return re.findall(r"\b\d{8}\b", text)


def test_a_reset_code_goes_by_the_http_gateway_with_its_credentials(
        world_file, tmp_path, monkeypatch, clock):
    with sms_gateway() as gateway:
        monkeypatch.setenv("MLM_TUI_SMS_PASSWORD", "gw-secret")
        settings = with_config(tmp_path, monkeypatch, (
            '[sms]\ngateway = "http"\n'
            f'url = "{gateway.url}?to={{to}}&text={{text}}"\nuser = "office"\n'),
            world_file.parent)
        backend = LocalBackend(settings, clock=clock)
        try:
            assert backend.message_delivery() == MessageDelivery(Delivery.KEPT, Delivery.SENT)
            backend.request_password_reset(world.ANNA.phone)
        finally:
            backend.close()
    [sent] = gateway.received
    assert sent["method"] == "GET" and sent["query"]["to"] == [world.ANNA.phone]
    assert sent["authorization"] == "Basic " + base64.b64encode(b"office:gw-secret").decode()
    [emailed] = kept(settings)  # the e-mail is kept; no SMS is kept beside it
    assert emailed["To"] == world.ANNA.email
    assert codes_in(sent["query"]["text"][0]) == codes_in(emailed.get_content())


def test_a_post_gateway_gets_the_number_and_text_as_form_fields_and_a_token(tmp_path, clock):
    from mlm_tui.core.notifier import Notifier

    with sms_gateway() as gateway:
        notifier = Notifier(tmp_path / "mail", sms=SmsSettings(
            "http", url=gateway.url, method="POST", token="tok-1"))
        notifier.sms("+79161234501", "Код 12345678")
    [sent] = gateway.received
    assert sent["form"] == {"to": ["+79161234501"], "text": ["Код 12345678"]}
    assert sent["authorization"] == "Bearer tok-1"


def test_a_refusing_gateway_leaves_the_e_mailed_code_and_logs_no_code(
        world_file, tmp_path, monkeypatch, clock, caplog):
    with sms_gateway() as gateway:
        gateway.status = 503
        settings = with_config(tmp_path, monkeypatch, (
            f'[sms]\ngateway = "http"\nurl = "{gateway.url}?to={{digits}}&text={{text}}"\n'),
            world_file.parent)
        backend = LocalBackend(settings, clock=clock)
        try:
            with caplog.at_level(logging.WARNING, logger="mlm_tui.messages"):
                backend.request_password_reset(world.ANNA.email)
        finally:
            backend.close()
    assert gateway.received[0]["query"]["to"] == [world.ANNA.phone.lstrip("+")]
    [emailed] = kept(settings)
    [code] = codes_in(emailed.get_content())
    assert "refused the message (HTTP 503)" in caplog.text
    assert code not in caplog.text and world.ANNA.phone not in caplog.text


def test_an_email_to_sms_gateway_mails_the_text_to_the_numbers_address(
        world_file, tmp_path, monkeypatch, clock):
    with smtp_server() as (inbox, smtp):
        settings = replace(with_config(tmp_path, monkeypatch, (
            f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\n'
            '[sms]\ngateway = "email"\naddress = "{to}@sms.example.com"\n'),
            world_file.parent))
        backend = LocalBackend(settings, clock=clock)
        try:
            assert backend.message_delivery() == MessageDelivery(Delivery.SENT, Delivery.SENT)
            backend.request_password_reset(world.ANNA.email)
        finally:
            backend.close()
    by_address = {m["To"]: m for m in inbox.messages}
    sms = by_address[f"{world.ANNA.phone.lstrip('+')}@sms.example.com"]
    assert codes_in(sms.get_content()) == codes_in(by_address[world.ANNA.email].get_content())


def test_without_a_gateway_the_sms_is_kept_and_the_backend_says_so(backend):
    assert backend.message_delivery() == MessageDelivery(Delivery.KEPT, Delivery.KEPT)


@pytest.mark.parametrize(("text", "field"), [
    ('[sms]\ngateway = "pigeon"\n', "sms.gateway"),
    ('[sms]\ngateway = "http"\nurl = "ftp://x/{to}"\n', "sms.url"),
    ('[sms]\ngateway = "http"\nurl = "https://sms.example/send"\n', "sms.url"),
    ('[sms]\ngateway = "http"\nurl = "https://x/{to}"\nmethod = "PUT"\n', "sms.method"),
    ('[sms]\ngateway = "email"\naddress = "sms.example.com"\n', "sms.address"),
    ('[sms]\ngateway = "email"\naddress = "{to}@sms.example.com"\n', "sms.gateway"),
])
def test_a_wrong_sms_setting_is_named(tmp_path, monkeypatch, text, field):
    with pytest.raises(ConfigError) as raised:
        with_config(tmp_path, monkeypatch, text, tmp_path / "data")
    assert raised.value.field == field
