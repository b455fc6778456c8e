"""Typed settings: a TOML file in the config dir, overridden by environment variables,
overridden in turn by CLI flags. Files live under platformdirs, never beside the code.

Environment: ``MLM_TUI_DATA_DIR``, ``MLM_TUI_CONFIG_DIR``, ``MLM_TUI_STATE_DIR``,
``MLM_TUI_SERVER``, ``MLM_TUI_SMTP_HOST``, ``MLM_TUI_SMTP_PORT``, ``MLM_TUI_SMTP_USER``,
``MLM_TUI_SMTP_PASSWORD``, ``MLM_TUI_SMTP_FROM``, ``MLM_TUI_SMTP_STARTTLS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

APP_NAME = "mlm-tui"


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
class Settings:
    data_dir: Path
    config_dir: Path
    state_dir: Path
    server_url: str | None = None
    smtp: SmtpSettings | None = None
    session_days: int = 14
    extra: dict[str, object] = field(default_factory=dict)

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


def load_settings(*, data_dir: Path | None = None, server_url: str | None = None) -> Settings:
    """Defaults <- config.toml <- environment <- the arguments (CLI flags)."""
    env = os.environ
    default_data, default_config, default_state = _dirs()
    config_dir = Path(env.get("MLM_TUI_CONFIG_DIR", default_config))
    file_values = _read_toml(config_dir / "config.toml")

    chosen_data = data_dir or env.get("MLM_TUI_DATA_DIR") or file_values.get("data_dir")
    settings = Settings(
        data_dir=Path(chosen_data).expanduser() if chosen_data else default_data,
        config_dir=config_dir,
        state_dir=Path(env.get("MLM_TUI_STATE_DIR", file_values.get("state_dir", default_state))),
        server_url=server_url or env.get("MLM_TUI_SERVER") or file_values.get("server"),
        session_days=int(file_values.get("session_days", 14)),
    )
    smtp = _smtp_settings(file_values.get("smtp", {}), env)
    return replace(settings, smtp=smtp)


def _read_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            import tomllib  # only when there is a config file to read

            return tomllib.load(fh)
    except FileNotFoundError:
        return {}


def _smtp_settings(section: dict, env: os._Environ[str] | dict[str, str]) -> SmtpSettings | None:
    host = env.get("MLM_TUI_SMTP_HOST") or section.get("host")
    if not host:
        return None
    starttls = env.get("MLM_TUI_SMTP_STARTTLS", str(section.get("starttls", False)))
    return SmtpSettings(
        host=host,
        port=int(env.get("MLM_TUI_SMTP_PORT") or section.get("port", 25)),
        user=env.get("MLM_TUI_SMTP_USER") or section.get("user"),
        password=env.get("MLM_TUI_SMTP_PASSWORD") or section.get("password"),
        sender=env.get("MLM_TUI_SMTP_FROM") or section.get("from", "mlm-tui@localhost"),
        starttls=starttls.lower() in {"1", "true", "yes"},
    )
