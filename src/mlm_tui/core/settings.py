"""Typed settings: a TOML file in the config dir, overridden by environment variables,
overridden in turn by CLI flags. Files live under platformdirs, never beside the code.

Environment: ``MLM_TUI_DATA_DIR``, ``MLM_TUI_CONFIG_DIR``, ``MLM_TUI_STATE_DIR``,
``MLM_TUI_SERVER``, ``MLM_TUI_SHARED_GROUP``, ``MLM_TUI_SMTP_HOST``, ``MLM_TUI_SMTP_PORT``,
``MLM_TUI_SMTP_USER``, ``MLM_TUI_SMTP_PASSWORD``, ``MLM_TUI_SMTP_FROM``,
``MLM_TUI_SMTP_STARTTLS``, ``MLM_TUI_SMS_PASSWORD``, ``MLM_TUI_SMS_TOKEN``.

``[sms]`` chooses how text messages go: ``gateway = "http"`` (an SMS provider's HTTP
API: ``url`` with ``{to}`` and ``{text}``, ``method`` GET or POST, ``user`` and
``password`` for basic auth or ``token`` for a bearer token), or ``gateway = "email"``
(the provider's e-mail-to-SMS address, ``address = "{to}@sms.example.com"``, sent through
``[smtp]``). Without it an SMS is kept in the local mail folder, as e-mail is without
``[smtp]``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mlm_tui.core.errors import DomainError
from mlm_tui.core.files import PRIVATE, FileModes, shared_with

APP_NAME = "mlm-tui"
MAX_SESSION_DAYS = 3650  # a kept session outlives no laptop; beyond it dates overflow anyway


class ConfigError(DomainError):
    """A setting that cannot be used: the file is broken, or a value is of the wrong kind.
    ``field`` names the setting."""

    code = "config"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 25
    user: str | None = None
    password: str | None = None
    sender: str = "mlm-tui@localhost"
    starttls: bool = False
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class SmsSettings:
    """How text messages leave: an HTTP gateway, or an e-mail-to-SMS address."""

    gateway: str  # "http" or "email"
    url: str = ""  # http: with {to} and {text}, e.g. https://sms.example/send?to={to}&text={text}
    method: str = "GET"  # http: GET puts both in the URL; POST also sends them as form fields
    user: str | None = None
    password: str | None = field(default=None, repr=False)  # never logged
    token: str | None = field(default=None, repr=False)
    address: str = ""  # email: with {to}, e.g. {to}@sms.example.com
    timeout: float = 10.0


@dataclass(frozen=True, slots=True)
class KeySetting:
    """One line of ``[keys]``: a binding's name and the keys it is to have."""

    name: str  # "help", "catalog", "orders.export"
    keys: str  # "f2", or several: "f2,ctrl+h"
    line: int | None  # in config.toml, for a message about it


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    config_dir: Path
    state_dir: Path
    server_url: str | None = None
    # The server's database (``postgresql://…``); None: the SQLite file in ``data_dir``.
    # Its password, if the URL holds one, is never shown (``repr``).
    database: str | None = field(default=None, repr=False)
    # Plain http:// to a server on another host (the token travels in clear): only when
    # asked for. ``server_ca``: a CA bundle to verify the server's certificate with.
    insecure: bool = False
    server_ca: Path | None = None
    # The interface language asked for (--lang, MLM_TUI_LANG, ``language`` in the file);
    # None: the locale's, else the company's (``mlm_tui.i18n.choose_language``).
    language: str | None = None
    smtp: SmtpSettings | None = None
    sms: SmsSettings | None = None
    session_days: int = 14
    # The secret the payment provider signs its notifications with (HMAC-SHA256); None:
    # the server accepts none. Never logged.
    payment_provider_secret: str | None = field(default=None, repr=False)
    file_modes: FileModes = PRIVATE  # shared with a group only when the settings say so
    # ``[keys]``: bindings given other keys (checked where the bindings are known, by the
    # app: ``mlm_tui.keymap``).
    keys: tuple[KeySetting, ...] = ()

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store.db"

    @property
    def maildir(self) -> Path:
        """Where e-mails and SMS go when no SMTP server is set: every flow stays completable."""
        return self.data_dir / "outbox-mail"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"


def _dirs() -> tuple[Path, Path, Path]:
    import platformdirs

    return (
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)),
    )


def load_settings(*, data_dir: Path | None = None, server_url: str | None = None,
                  insecure: bool = False, language: str | None = None,
                  database: str | None = None) -> Settings:
    """Defaults <- config.toml <- environment <- the arguments (CLI flags)."""
    env = os.environ
    default_data, default_config, default_state = _dirs()
    config_dir = Path(env.get("MLM_TUI_CONFIG_DIR", default_config))
    path = config_dir / "config.toml"
    values = _Values(_read_toml(path), path)

    # Every value in the file is read, even one overridden below: a broken file is named.
    in_file = {key: values.text(key)
               for key in ("data_dir", "state_dir", "server", "shared_group", "server_ca",
                           "language", "database")}
    chosen_data = data_dir or env.get("MLM_TUI_DATA_DIR") or in_file["data_dir"]
    settings = Settings(
        data_dir=Path(chosen_data).expanduser() if chosen_data else default_data,
        config_dir=config_dir,
        state_dir=Path(env.get("MLM_TUI_STATE_DIR") or in_file["state_dir"] or default_state),
        server_url=server_url or env.get("MLM_TUI_SERVER") or in_file["server"],
        database=database or env.get("MLM_TUI_DATABASE") or in_file["database"],
        insecure=insecure or values.flag("insecure", False),
        server_ca=Path(in_file["server_ca"]).expanduser() if in_file["server_ca"] else None,
        language=language or env.get("MLM_TUI_LANG") or in_file["language"],
        session_days=values.whole("session_days", 14, 1, MAX_SESSION_DAYS),
        file_modes=_file_modes(env.get("MLM_TUI_SHARED_GROUP") or in_file["shared_group"]),
    )
    smtp = _smtp_settings(values.section("smtp"), env)
    secret = (env.get("MLM_TUI_PAYMENT_PROVIDER_SECRET")
              or values.section("payments").text("provider_secret"))
    return replace(settings, smtp=smtp, payment_provider_secret=secret or None,
                   sms=_sms_settings(values.section("sms"), env, smtp),
                   keys=_key_settings(values.section("keys")))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"{path} cannot be read: {exc.strerror}", field="config") from exc
    import tomllib  # only when there is a config file to read

    with fh:
        try:
            return tomllib.load(fh)
        except OSError as exc:
            raise ConfigError(f"{path} cannot be read: {exc.strerror}",
                              field="config") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}", field="config") from exc


def _file_modes(group_name: str | None) -> FileModes:
    if not group_name:
        return PRIVATE
    import grp

    try:
        group = grp.getgrnam(group_name)
    except KeyError:
        raise ConfigError(f"shared_group: there is no group {group_name!r} on this host",
                          field="shared_group") from None
    mine = {os.getegid(), *os.getgroups()}
    if os.geteuid() != 0 and group.gr_gid not in mine:
        raise ConfigError(f"shared_group: this user is not in the group {group_name!r} "
                          "(ask for it, then log in again)", field="shared_group")
    return shared_with(group.gr_gid)


class _Values:
    """The settings of one table of the file, each checked for its kind as it is read:
    a wrong one is named with the file, never met later as a traceback."""

    def __init__(self, table: dict[str, Any], path: Path, prefix: str = "") -> None:
        self.table, self.path, self.prefix = table, path, prefix

    def _wrong(self, key: str, kind: str) -> ConfigError:
        name = self.prefix + (key.upper() if self.prefix.isupper() else key)
        return ConfigError(f"{self.path}: {name} must be {kind}", field=name)

    def text(self, key: str, default: str | None = None) -> str | None:
        value = self.table.get(key, default)
        if value is not None and not isinstance(value, str):
            raise self._wrong(key, "text in quotes")
        return value

    def whole(self, key: str, default: int, least: int, most: int) -> int:
        value = self.table.get(key, default)
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)  # from the environment, or quoted in the file
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            raise self._wrong(key, f"a whole number from {least} to {most}")
        return value

    def flag(self, key: str, default: bool) -> bool:
        value = self.table.get(key, default)
        if isinstance(value, str) and value.lower() in _FLAGS:
            value = _FLAGS[value.lower()]
        if not isinstance(value, bool):
            raise self._wrong(key, "true or false")
        return value

    def section(self, key: str) -> _Values:
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self._wrong(key, f"a table ([{key}])")
        return _Values(value, self.path, f"{self.prefix}{key}.")


def _key_settings(section: _Values) -> tuple[KeySetting, ...]:
    """``[keys]``, dotted names (``orders.export = "e"``, a table to TOML) made whole."""
    lines = _key_lines(section.path)
    found: list[KeySetting] = []

    def walk(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            name = prefix + key
            if isinstance(value, dict):
                walk(value, name + ".")
                continue
            if not isinstance(value, str):
                where = f"{section.path}, line {lines[name]}" if name in lines else section.path
                raise ConfigError(f"{where}: [keys] {name} must be keys in quotes, "
                                  'like "f2" or "ctrl+h"', field=f"keys.{name}")
            found.append(KeySetting(name, value, lines.get(name)))

    walk(section.table, "")
    return tuple(found)


def _key_lines(path: Path) -> dict[str, int]:
    """The line of each name in the file's ``[keys]`` table, as it is written there."""
    lines: dict[str, int] = {}
    inside = False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return lines
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[keys]"
            continue
        match = re.match(r"""\s*([\w.\-"']+)\s*=""", line)
        if inside and match:
            name = ".".join(part.strip("\"' ") for part in match.group(1).split("."))
            lines.setdefault(name, number)
    return lines


_FLAGS = {"1": True, "true": True, "yes": True, "on": True,
          "0": False, "false": False, "no": False, "off": False}


def _smtp_settings(section: _Values, env: os._Environ[str] | dict[str, str]
                   ) -> SmtpSettings | None:
    # The environment wins over the file; a wrong value is named where it was set.
    from_env = _Values({key: env[name] for key, name in _SMTP_ENV.items() if env.get(name)},
                       Path("the environment"), "MLM_TUI_SMTP_")

    def where(key: str) -> _Values:
        return from_env if key in from_env.table else section

    host = where("host").text("host")
    if not host:
        return None
    return SmtpSettings(
        host=host,
        port=where("port").whole("port", 25, 1, 65535),
        user=where("user").text("user"),
        password=where("password").text("password"),
        sender=where("from").text("from") or "mlm-tui@localhost",
        starttls=where("starttls").flag("starttls", False),
    )


_SMTP_ENV = {key: f"MLM_TUI_SMTP_{key.upper()}"
             for key in ("host", "port", "user", "password", "from", "starttls")}


def _sms_settings(section: _Values, env: os._Environ[str] | dict[str, str],
                  smtp: SmtpSettings | None) -> SmsSettings | None:
    gateway = section.text("gateway")
    if not gateway:
        return None
    # Secrets may stay out of the file: the environment's win.
    password = env.get("MLM_TUI_SMS_PASSWORD") or section.text("password")
    token = env.get("MLM_TUI_SMS_TOKEN") or section.text("token")
    if gateway == "http":
        url = section.text("url") or ""
        method = (section.text("method", "GET") or "GET").upper()
        if method not in ("GET", "POST"):
            raise ConfigError(f"{section.path}: sms.method must be GET or POST",
                              field="sms.method")
        # GET carries the number in the address; POST carries it as a form field too.
        if not url.startswith(("https://", "http://")) or (
                method == "GET" and "{to}" not in url and "{digits}" not in url):
            raise ConfigError(f"{section.path}: sms.url must be an http(s) address with "
                              "{to} (or {digits}) and {text} in it", field="sms.url")
        return SmsSettings("http", url=url, method=method, user=section.text("user"),
                           password=password, token=token)
    if gateway == "email":
        address = section.text("address") or ""
        if "{to}" not in address or "@" not in address:
            raise ConfigError(f"{section.path}: sms.address must be an e-mail address with "
                              "{to} in it, like \"{to}@sms.example.com\"", field="sms.address")
        if smtp is None:
            raise ConfigError(f"{section.path}: an e-mail-to-SMS gateway sends through "
                              "[smtp]: set its host too", field="sms.gateway")
        return SmsSettings("email", address=address)
    raise ConfigError(f"{section.path}: sms.gateway must be \"http\" or \"email\"",
                      field="sms.gateway")
