"""The team server end to end, as people use it: ``mlm-tui serve`` on a demo store, and
the real app started with ``--server`` in a pseudo-terminal at 80x24, read through a
terminal emulator (pyte).

A consultant logs in, quick-orders a product by its code, checks out, finds the order in
the history and saves its invoice as a PDF (made by the server); then her sponsor, in a
second app of his own, finds the same order in his.
"""

from __future__ import annotations

import os
import pty
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.screens.test_bursts import Terminal
from tests.served import serving

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

F3, F4, F5 = "\x1bOR", "\x1bOS", "\x1b[15~"  # as xterm sends them
TAB, ENTER, CTRL_S = "\t", "\r", "\x13"


def _isolated(tmp_path: Path, name: str) -> dict[str, str]:
    """Each person's own settings and kept session (the keyring cannot be reached), and
    the interface in English (the demo company's own language is Russian)."""
    return {"MLM_TUI_LANG": "en", "MLM_TUI_STATE_DIR": str(tmp_path / name / "state"),
            "MLM_TUI_CONFIG_DIR": str(tmp_path / name / "config"),
            "HOME": str(tmp_path / name), "PYTHON_KEYRING_BACKEND":
            "keyring.backends.fail.Keyring"}


@pytest.fixture
def demo_people(tmp_path: Path) -> dict[str, str]:
    """A demo store made for today (the server runs on the real clock): the demo login,
    a consultant in its first line, and a product she can pay for from her balance."""
    from sqlalchemy import select

    from mlm_tui.core.demo import DEMO_LOGIN, build_demo
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.local import schema as t
    from mlm_tui.core.settings import load_settings
    from tests.backoffice import DEMO_SIZE

    data = tmp_path / "data"
    data.mkdir()
    build_demo(data / "store.db", **DEMO_SIZE)
    backend = LocalBackend(load_settings(data_dir=data))
    try:
        with backend.store.read() as conn:
            sponsor_id = conn.execute(select(t.members.c.id).where(
                t.members.c.registration_number == DEMO_LOGIN.registration_number)).scalar()
            consultant = conn.execute(
                select(t.members.c.registration_number, t.members.c.full_name)
                .where(t.members.c.sponsor_id == sponsor_id, t.members.c.status == "active")
                .order_by(t.members.c.id)).first()
        assert consultant is not None
        backend.login(consultant.registration_number, DEMO_LOGIN.password)
        cheapest = min((p for p in backend.search_products("", limit=200) if p.stock > 0),
                       key=lambda p: p.price.amount)
        assert cheapest.price.amount + backend.company().delivery_fee.amount \
            <= backend.balance().amount, "the consultant cannot pay from her balance"
    finally:
        backend.close()
    return {"data": str(data), "sponsor": DEMO_LOGIN.registration_number,
            "consultant": consultant.registration_number, "name": consultant.full_name,
            "password": DEMO_LOGIN.password, "code": cheapest.code}


@pytest.fixture
def server(demo_people: dict[str, str], tmp_path: Path) -> Iterator[str]:
    env = {**os.environ, **_isolated(tmp_path, "server")}
    with serving(demo_people["data"], env=env) as (url, _process):
        yield url


class App:
    """``mlm-tui --server URL`` in a pseudo-terminal of 80x24."""

    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.pid, fd = pty.fork()
        if self.pid == 0:  # the child: the app
            os.environ.update(env, TERM="xterm-256color", COLUMNS="80", LINES="24")
            os.execv(sys.executable, [sys.executable, "-m", "mlm_tui", "--server", url])
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.fd = fd
        self.terminal = Terminal(fd)

    def log_in(self, number: str, password: str, name: str) -> str:
        self.terminal.wait_for("Password", timeout=60)
        self.terminal.settle()
        self.terminal.write(number + TAB + password + ENTER)
        self.terminal.wait_for(name, timeout=30)
        return self.terminal.settle()

    def close(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def history_line(text: str, order: str) -> str:
    return next((line for line in text.splitlines() if order in line), "")


def test_an_order_placed_through_the_server_is_in_the_sponsors_history_too(
        server: str, demo_people: dict[str, str], tmp_path: Path) -> None:
    people = demo_people
    consultant = App(server, {**_isolated(tmp_path, "consultant"),
                              "MLM_TUI_DATA_DIR": str(tmp_path / "consultant" / "data")})
    try:
        text = consultant.log_in(people["consultant"], people["password"], people["name"])
        # The header names the server and says it is reached.
        assert f"{server.removeprefix('http://')} · online" in text.splitlines()[0]

        screen = consultant.terminal
        screen.write(F3)
        screen.wait_for("Type a code")
        screen.settle()
        screen.write(people["code"] + ENTER)
        screen.settle()
        screen.write(ENTER)  # the quantity offered: 1
        screen.wait_for("1 line ready")
        screen.write(CTRL_S)
        screen.wait_for("1 line put into the cart.")
        screen.write(F4)
        screen.wait_for(people["code"])
        screen.settle()
        screen.write("c")
        screen.wait_for("Place the order")
        screen.settle()
        screen.write(CTRL_S)
        placed = re.search(r"✓ Order (\S+) is placed\.", screen.wait_for("is placed."))
        assert placed, screen.text()
        order = placed.group(1)

        screen.write(ENTER)
        screen.settle()
        screen.write(F5)
        text = screen.wait_for(order)
        assert text.startswith("Order history")
        assert "paid" in history_line(text, order)

        screen.settle()
        screen.write("i")  # the newest order's invoice
        screen.wait_for(" of ")  # "Invoice INV-… of <day>": it has come
        screen.write("p")
        screen.wait_for("Saved to")
        [saved] = (tmp_path / "consultant" / "data" / "exports").glob("invoice-*.pdf")
        assert saved.read_bytes().startswith(b"%PDF-")
    finally:
        consultant.close()

    sponsor = App(server, _isolated(tmp_path, "sponsor"))
    try:
        sponsor.log_in(people["sponsor"], people["password"], "No. " + people["sponsor"])
        sponsor.terminal.write(F5)
        text = sponsor.terminal.wait_for(order, timeout=30)
        assert text.startswith("Order history")
        # The newest order of his team, with its buyer: the consultant.
        line = history_line(text, order)
        assert people["name"][:12] in line and "SO" in line.split(), text
    finally:
        sponsor.close()
