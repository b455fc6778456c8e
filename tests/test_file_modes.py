"""Who may read what mlm-tui writes: the user alone (folders 0700, files 0600) whatever the
umask; a team's group for the store when, and only when, the settings name one."""

from __future__ import annotations

import grp
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mlm_tui.cli import main
from mlm_tui.core.demo import DEMO_PASSWORD, build_demo
from mlm_tui.core.export import export_orders
from mlm_tui.core.invoice_pdf import save_invoice_pdf
from mlm_tui.core.local import LocalBackend
from mlm_tui.core.models import OrderFilter
from mlm_tui.core.notifier import Notifier
from mlm_tui.core.settings import load_settings
from tests import world
from tests.core.invoice_sample import sample_invoice
from tests.core.test_export import PagedOrders

SMALL = ["--products", "20", "--orders", "40", "--members", "3"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def careless_umask() -> Iterator[None]:
    """A user whose umask lets everyone read and write everything they make."""
    users = os.umask(0)
    try:
        yield
    finally:
        os.umask(users)


def open_and_write(data: Path) -> LocalBackend:
    """The store opened and written (a login), so its -wal and -shm files exist."""
    backend = LocalBackend(load_settings(data_dir=data))
    backend.login("1000001", DEMO_PASSWORD)
    assert Path(f"{backend.store.path}-wal").exists()
    return backend


# --- private, the default ------------------------------------------------------------------


def test_the_data_dir_and_the_store_are_the_users_alone(tmp_path, capsys):
    data = tmp_path / "new" / "data"
    assert main(["--data-dir", str(data), "demo", *SMALL]) == 0
    assert mode(data.parent) == mode(data) == 0o700
    assert mode(data / "store.db") == 0o600
    backend = open_and_write(data)
    try:
        assert {p.name: mode(p) for p in data.iterdir()} == {
            "store.db": 0o600, "store.db-wal": 0o600, "store.db-shm": 0o600}
    finally:
        backend.close()


def test_a_store_made_before_modes_were_set_is_made_private(tmp_path):
    data = tmp_path / "data"
    build_demo(data / "store.db", products=20, orders=10, members=1)
    (data / "store.db").chmod(0o644)
    open_and_write(data).close()
    assert mode(data / "store.db") == 0o600


def test_exports_and_invoices_are_the_users_alone(tmp_path):
    exports = tmp_path / "data" / "exports"
    exports.parent.mkdir(mode=0o700)
    result = export_orders(PagedOrders(3), OrderFilter(), exports)
    pdf = save_invoice_pdf(sample_invoice(), PagedOrders(0).company(), exports)
    assert mode(exports) == 0o700
    assert mode(result.path) == mode(pdf) == 0o600


def test_messages_in_the_maildir_are_the_users_alone(tmp_path):
    maildir = tmp_path / "data" / "outbox-mail"
    maildir.parent.mkdir(mode=0o700)
    Notifier(maildir).email("anna@example.ru", "Код", "12345678")
    Notifier(maildir).sms("+79161234501", "Код 87654321")
    (first, second) = sorted((maildir / "new").iterdir())
    assert mode(first) == mode(second) == 0o600
    assert {mode(maildir / sub) for sub in ("", "tmp", "new", "cur")} == {0o700}


def test_a_personal_data_export_is_the_operators_alone(world_file, tmp_path, capsys):
    target = tmp_path / "klaus.json"
    target.write_text("an older export, readable by all")
    target.chmod(0o644)
    assert main(["maintenance", "export-personal-data", world.KLAUS.registration_number,
                 "--output", str(target), "--data-dir", str(world_file.parent)]) == 0
    assert mode(target) == 0o600
    assert '"Klaus Müller"' in target.read_text(encoding="utf-8")


# --- shared with a team's group, when the settings say so ----------------------------------


def a_group_of_mine() -> grp.struct_group:
    """A group this user may give files to, other than the one they get anyway if any."""
    root = os.geteuid() == 0  # root may give a file to any group
    candidates = [g.gr_gid for g in grp.getgrall()] if root else os.getgroups()
    gid = next((g for g in candidates if g != os.getegid()), os.getegid())
    return grp.getgrgid(gid)


def test_a_shared_group_makes_the_store_the_teams(tmp_path, isolated_dirs, monkeypatch,
                                                  capsys):
    team = a_group_of_mine()
    config = isolated_dirs / "config"
    config.mkdir()
    (config / "config.toml").write_text(f'shared_group = "{team.gr_name}"\n')
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(config))
    data = tmp_path / "srv" / "data"
    assert main(["--data-dir", str(data), "demo", *SMALL]) == 0

    found = data.stat()
    assert stat.S_IMODE(found.st_mode) == 0o2770 and found.st_gid == team.gr_gid
    backend = open_and_write(data)
    try:
        for name in ("store.db", "store.db-wal", "store.db-shm"):
            found = (data / name).stat()
            assert (stat.S_IMODE(found.st_mode), found.st_gid) == (0o660, team.gr_gid), name
        # What is one person's stays so in the shared folder: a reset code, an export.
        backend.notifier.sms("+79161234501", "Код 12345678")
        (message,) = (data / "outbox-mail" / "new").iterdir()
        assert mode(message) == 0o600
        assert mode(data / "outbox-mail") == 0o2770
        export = export_orders(PagedOrders(1), OrderFilter(), data / "exports")
        assert mode(export.path) == 0o600 and mode(data / "exports") == 0o2770
    finally:
        backend.close()


def test_an_unknown_shared_group_is_named(isolated_dirs, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("MLM_TUI_SHARED_GROUP", "no-such-team-group")
    assert main(["--data-dir", str(tmp_path / "data"), "demo", *SMALL]) == 1
    assert capsys.readouterr().err == (
        "mlm-tui: shared_group: there is no group 'no-such-team-group' on this host\n")
    assert not (tmp_path / "data").exists()


def test_a_private_store_is_given_to_the_team_when_the_setting_comes(tmp_path):
    from mlm_tui.core.files import shared_with
    from mlm_tui.core.local.store import Store

    team = a_group_of_mine()
    store = tmp_path / "data" / "store.db"
    build_demo(store, products=20, orders=10, members=1)
    Store(store, shared_with(team.gr_gid)).close()
    for path, expected in ((store.parent, 0o2770), (store, 0o660)):
        found = path.stat()
        assert (stat.S_IMODE(found.st_mode), found.st_gid) == (expected, team.gr_gid)
