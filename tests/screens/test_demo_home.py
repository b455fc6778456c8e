"""The demo consultant's home shows every kind of alert, so a new user meets the feature.

The app runs on a fresh demo store (built at the test world's day), signed in with the
demo login the login screen offers.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mlm_tui.core.demo import DEMO_LOGIN
from mlm_tui.core.models import AlertKind
from mlm_tui.screens.home import HomeScreen, alert_text
from tests.screens.keys import keys
from tests.screens.snapshot_app import make_app, screen_text, settings_for, settle


def demo_app(tmp_path: Path, demo_template: Path, **app_options):
    store = settings_for(tmp_path).store_path
    store.parent.mkdir(parents=True)
    shutil.copyfile(demo_template, store)

    def as_the_demo_consultant(backend):
        backend.login(DEMO_LOGIN.registration_number, DEMO_LOGIN.password)
        return backend

    return make_app(tmp_path, login=False, wrap=as_the_demo_consultant, **app_options)


async def go_home(pilot) -> None:
    await settle(pilot)
    await keys(pilot, "ctrl+o")
    await settle(pilot)


@pytest.mark.anyio
async def test_the_demo_home_shows_every_kind_of_alert(tmp_path, demo_template) -> None:
    app = demo_app(tmp_path, demo_template)
    async with app.run_test(size=(120, 40)) as pilot:
        await go_home(pilot)
        assert isinstance(app.screen, HomeScreen)
        alerts = app.backend.alerts()
        assert {alert.kind for alert in alerts} == set(AlertKind)
        text = screen_text(app)
        for alert in alerts:
            assert alert_text(alert, app.company) in text
            for member in alert.members:
                assert f"{member.full_name}  {member.registration_number}" in text


def test_the_demo_home(snap_sizes, tmp_path, demo_template):
    assert snap_sizes(demo_app(tmp_path, demo_template), go_home) == []
