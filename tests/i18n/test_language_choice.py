"""Which language the interface speaks: --lang, MLM_TUI_LANG, config.toml, the locale,
then the company's default, each rule beating the ones after it."""

from __future__ import annotations

import pytest

from mlm_tui.core.settings import load_settings
from mlm_tui.i18n import choose_language, install, language_of, language_of_locale


@pytest.mark.parametrize(("value", "language"), [
    ("ru_RU.UTF-8", "ru"), ("de_DE", "de"), ("de-AT", "de"), ("en_GB.utf8", "en"),
    ("ru", "ru"), ("DE", "de"), ("C", None), ("C.UTF-8", None), ("POSIX", None),
    ("fr_FR.UTF-8", None), ("", None), (None, None), ("sr_RS@latin", None),
])
def test_a_locale_or_setting_names_a_language(value, language):
    assert language_of(value) == language


def test_the_locale_is_read_language_then_lc_all_then_lc_messages_then_lang():
    full = {"LANGUAGE": "de", "LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "en_US.UTF-8",
            "LANG": "ru_RU.UTF-8"}
    assert language_of_locale(full) == "de"
    assert language_of_locale({**full, "LANGUAGE": ""}) == "ru"
    assert language_of_locale({**full, "LANGUAGE": "", "LC_ALL": ""}) == "en"
    assert language_of_locale({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert language_of_locale({"LANG": "de_DE.UTF-8"}) == "de"


def test_language_lists_languages_and_the_first_with_a_catalogue_counts():
    assert language_of_locale({"LANGUAGE": "fr:de:en", "LANG": "ru_RU.UTF-8"}) == "de"


def test_a_locale_without_a_catalogue_leaves_it_to_the_company():
    assert language_of_locale({"LANG": "fr_FR.UTF-8"}) is None
    assert language_of_locale({"LANG": "C.UTF-8"}) is None
    assert choose_language(None, {"LANG": "C"}) is None


def test_a_language_asked_for_beats_the_locale():
    assert choose_language("de", {"LANG": "ru_RU.UTF-8"}) == "de"
    assert choose_language(None, {"LANG": "ru_RU.UTF-8"}) == "ru"
    # one we have no catalogue for does not count: the locale decides
    assert choose_language("fr", {"LANG": "de_DE.UTF-8"}) == "de"


def _config(tmp_path, text):
    folder = tmp_path / "config"
    folder.mkdir(exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")
    return folder


def test_settings_take_the_flag_then_the_environment_then_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(_config(tmp_path, 'language = "ru"\n')))
    assert load_settings().language == "ru"
    monkeypatch.setenv("MLM_TUI_LANG", "de")
    assert load_settings().language == "de"
    assert load_settings(language="en").language == "en"


def test_no_setting_leaves_the_choice_to_the_locale(tmp_path, monkeypatch):
    monkeypatch.setenv("MLM_TUI_CONFIG_DIR", str(tmp_path / "none"))
    assert load_settings().language is None


def test_a_language_without_a_catalogue_installs_english():
    assert install("fr") == "en"
    assert install("ru") == "ru"
    assert install(None) == "en"


@pytest.mark.parametrize(("flag", "refusal"), [
    ("ru", "Неверный регистрационный номер, эл. почта или пароль."),
    ("de", "Mitgliedsnummer, E-Mail-Adresse oder Passwort ist falsch."),
    ("en", "The registration number, e-mail or password is wrong."),
])
def test_the_command_line_speaks_the_language_of_lang(flag, refusal, world_template, tmp_path,
                                                      capsys, monkeypatch):
    from tests import world
    from tests.cli_runner import copy_store, runner

    monkeypatch.setenv("LANG", "de_DE.UTF-8" if flag != "de" else "ru_RU.UTF-8")
    run = runner(copy_store(world_template, tmp_path), capsys, monkeypatch)
    code, _out, err = run("--lang", flag, "login", world.ANNA.registration_number,
                          "--password-stdin", stdin="not-the-password\n")
    assert code == 1
    assert err.strip() == f"mlm-tui: {refusal}"


def test_the_command_line_follows_the_locale_without_a_flag(world_template, tmp_path, capsys,
                                                            monkeypatch):
    from tests import world
    from tests.cli_runner import copy_store, runner

    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    run = runner(copy_store(world_template, tmp_path), capsys, monkeypatch)
    _code, _out, err = run("login", world.ANNA.registration_number, "--password-stdin",
                           stdin="not-the-password\n")
    assert "Неверный регистрационный номер" in err


@pytest.mark.parametrize(("asked", "words"), [
    (["--lang", "ru"], "история заказов"), (["--lang=de"], "der Bestellverlauf"),
    ([], "the order history"),
])
def test_the_command_line_help_is_in_the_language_asked(asked, words, capsys):
    from mlm_tui.cli import main

    with pytest.raises(SystemExit):
        main([*asked, "--help"])
    assert words in capsys.readouterr().out


def test_the_help_follows_mlm_tui_lang_and_the_locale(capsys, monkeypatch):
    from mlm_tui.cli import main

    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "wo der Datenspeicher liegt" in capsys.readouterr().out
    monkeypatch.setenv("MLM_TUI_LANG", "ru")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "где находится хранилище" in capsys.readouterr().out


@pytest.mark.parametrize(("flag", "words"), [
    ("ru", ("использование: mlm-tui", "параметры:", "показать эту справку и выйти")),
    ("de", ("Aufruf: mlm-tui", "Optionen:", "diese Hilfe anzeigen und beenden")),
])
def test_argparse_speaks_the_language_too(flag, words, capsys):
    from mlm_tui.cli import main

    with pytest.raises(SystemExit):
        main(["--lang", flag, "orders", "list", "--help"])
    out = capsys.readouterr().out
    assert all(word in out for word in words)
    assert "usage:" not in out and "show this help" not in out


def test_a_mistyped_argument_is_named_in_german(capsys):
    from mlm_tui.cli import main

    with pytest.raises(SystemExit):
        main(["--lang", "de", "orders", "list", "--month", "2026-13"])
    err = capsys.readouterr().err
    assert err.startswith("Aufruf: mlm-tui orders list")
    assert err.rstrip().endswith(
        "mlm-tui orders list: Fehler: Argument --month: kein Monat (JJJJ-MM): 2026-13")


def test_the_order_list_in_german_with_the_same_csv_columns(world_orders_template, tmp_path,
                                                           capsys, monkeypatch):
    import csv
    import io

    from tests import world
    from tests.cli_runner import copy_store, runner

    run = runner(copy_store(world_orders_template, tmp_path), capsys, monkeypatch)
    assert run("login", world.ANNA.registration_number, "--password-stdin",
               stdin=world.PASSWORD + "\n")[0] == 0
    code, out, _err = run("--lang", "de", "orders", "list", "--month", "2026-11")
    assert code == 0
    assert "Datum" in out and "Bestellung" in out and "Quelle" in out
    assert "zugestellt" in out or "bezahlt" in out  # statuses in German
    assert "Date" not in out and "delivered" not in out and "paid" not in out
    [german, english] = [list(csv.reader(io.StringIO(run(
        "--lang", flag, "orders", "list", "--month", "2026-11", "--csv")[1])))
        for flag in ("de", "en")]
    assert german[0][:3] == ["Bestellung", "Aufgegeben", "Mitgliedsnummer"]
    assert english[0][:3] == ["Order", "Placed", "Member number"]
    assert len(german[0]) == len(english[0]) and german[1:] == english[1:]


def test_the_inbox_prints_each_notice_in_the_language_it_is_read_in(world_orders_template,
                                                                     tmp_path, capsys,
                                                                     monkeypatch):
    from tests import world
    from tests.cli_runner import copy_store, runner

    run = runner(copy_store(world_orders_template, tmp_path), capsys, monkeypatch)
    assert run("login", world.ANNA.registration_number, "--password-stdin",
               stdin=world.PASSWORD + "\n")[0] == 0
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=tmp_path / "data"))
    backend.login(world.ANNA.registration_number, world.PASSWORD)
    backend.cancel_order(world.ORDER_ANNA_PAID)  # stored as a code, whoever reads it
    backend.close()
    code, out, _err = run("--lang", "de", "inbox")
    assert code == 0
    assert f"Konto  Bestellung {world.ORDER_ANNA_PAID} storniert" in out
    assert "dem Guthaben erstattet" in out
    code, out, _err = run("--lang", "ru", "inbox", "--unread")
    assert f"Заказ {world.ORDER_ANNA_PAID} отменён" in out
