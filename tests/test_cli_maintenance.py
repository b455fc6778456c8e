"""``mlm-tui maintenance``: retention dry run and apply, export and erase from the shell."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from mlm_tui.cli import main
from tests import world


def run(argv: list[str], world_file) -> int:
    return main([*argv, "--data-dir", str(world_file.parent)])


def test_retention_is_a_dry_run_by_default(world_file, capsys):
    assert run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file) == 0
    out = capsys.readouterr().out
    assert "1000004  Ирина Иванова" in out
    assert "Nothing changed: run with --apply" in out
    assert run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file) == 0
    assert "1000004  Ирина Иванова" in capsys.readouterr().out


def test_retention_apply_anonymises_and_then_nothing_is_due(world_file, capsys):
    assert run(["maintenance", "retention", "--apply", "--as-of", "2026-11-20"],
               world_file) == 0
    assert "anonymised as of 2026-11-20" in capsys.readouterr().out
    run(["maintenance", "retention", "--as-of", "2026-11-20"], world_file)
    assert "No account is due for removal as of 2026-11-20." in capsys.readouterr().out


def test_export_prints_json_or_writes_a_file(world_file, capsys, tmp_path):
    assert run(["maintenance", "export-personal-data", world.KLAUS.registration_number],
               world_file) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["full_name"] == "Klaus Müller"
    target = tmp_path / "klaus.json"
    run(["maintenance", "export-personal-data", world.KLAUS.registration_number,
         "--output", str(target)], world_file)
    assert json.loads(target.read_text(encoding="utf-8"))["email"] == world.KLAUS.email


def test_erase_needs_yes(world_file, capsys):
    assert run(["maintenance", "erase-personal-data", world.IRINA.registration_number],
               world_file) == 2
    assert "--yes" in capsys.readouterr().err
    run(["maintenance", "export-personal-data", world.IRINA.registration_number], world_file)
    assert json.loads(capsys.readouterr().out)["full_name"] == world.IRINA.full_name


def test_erase_with_yes_and_an_unknown_number(world_file, capsys):
    assert run(["maintenance", "erase-personal-data", world.IRINA.registration_number,
                "--yes"], world_file) == 0
    assert "erased; orders are kept" in capsys.readouterr().out
    run(["maintenance", "export-personal-data", world.IRINA.registration_number], world_file)
    assert json.loads(capsys.readouterr().out)["email"] is None
    assert run(["maintenance", "erase-personal-data", "9999999", "--yes"], world_file) == 1
    assert "9999999" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["retention", "export-personal-data 1000001"])
def test_a_missing_store_is_named(tmp_path, command, capsys):
    assert run(["maintenance", *command.split()], tmp_path / "nowhere" / "store.db") == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "nowhere" / "store.db").exists()


# --- claims: the service lists and decides them ---------------------------------------------


@pytest.fixture
def claim_number(world_orders, settings, clock) -> str:
    """Anna's claim on one cream of her delivered order, waiting for a decision."""
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.models import ClaimLine

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        claim = backend.submit_claim(world.INVOICES[world.ORDER_ANNA_DELIVERED],
                                     [ClaimLine("32548", 1)], "Крем протёк")
    finally:
        backend.close()
    return claim.number


def anna_sees(settings, clock):
    """Anna's claims, inbox and balance, as her own screens would show them."""
    from mlm_tui.core.local import LocalBackend

    backend = LocalBackend(settings, clock=clock)
    try:
        backend.login(world.ANNA.registration_number, world.PASSWORD)
        return backend.claims(), backend.notifications(), backend.balance().amount
    finally:
        backend.close()


def test_claim_list_shows_whose_claim_its_worth_and_status(world_file, claim_number, capsys):
    assert run(["maintenance", "claim", "list"], world_file) == 0
    out = capsys.readouterr().out
    assert claim_number in out and "1000001" in out and "Анна Смирнова" in out
    assert "worth     599.20" in out and "submitted" in out and "due 2026-11-27" in out


def test_claim_list_open_leaves_decided_claims_out(world_file, claim_number, capsys):
    run(["maintenance", "claim", "decide", claim_number, "--reject", "--reason", "no"],
        world_file)
    capsys.readouterr()
    assert run(["maintenance", "claim", "list", "--open"], world_file) == 0
    assert capsys.readouterr().out == "No claim awaits a decision.\n"
    run(["maintenance", "claim", "list"], world_file)
    assert "rejected" in capsys.readouterr().out


def test_accepting_credits_the_balance_and_the_decision_is_in_the_inbox(
        world_file, claim_number, settings, clock, capsys):
    _claims, _inbox, before = anna_sees(settings, clock)
    assert run(["maintenance", "claim", "decide", claim_number, "--accept",
                "--credit", "500,50"], world_file) == 0
    out = capsys.readouterr().out
    assert f"{claim_number}: Accepted: 500,50" in out.replace("\xa0", " ")
    assert "inbox of 1000001" in out
    (claim,), inbox, after = anna_sees(settings, clock)
    assert claim.credit.amount == Decimal("500.50")
    assert after - before == Decimal("500.50")
    assert inbox[0].title == f"Claim {claim_number} accepted" and not inbox[0].read


def test_rejecting_needs_a_reason_and_then_tells_the_member(
        world_file, claim_number, settings, clock, capsys):
    assert run(["maintenance", "claim", "decide", claim_number, "--reject"], world_file) == 2
    assert "--reason" in capsys.readouterr().err
    assert anna_sees(settings, clock)[0][0].status.value == "submitted"
    assert run(["maintenance", "claim", "decide", claim_number, "--reject",
                "--reason", "Товар без дефекта"], world_file) == 0
    (claim,), inbox, _balance = anna_sees(settings, clock)
    assert claim.decision == "Rejected: Товар без дефекта"
    assert inbox[0].body.endswith("Rejected: Товар без дефекта")


@pytest.mark.parametrize(("argv", "code", "said"), [
    (["--accept", "--credit", "599.21"], 1, "worth 599,20"),
    (["--accept", "--credit", "lots"], 2, "not an amount: lots"),
    (["--reject", "--credit", "5", "--reason", "no"], 2, "--credit goes with --accept"),
])
def test_a_wrong_decision_is_refused_on_stderr_and_changes_nothing(
        world_file, claim_number, settings, clock, capsys, argv, code, said):
    before = anna_sees(settings, clock)
    assert run(["maintenance", "claim", "decide", claim_number, *argv], world_file) == code
    assert said in capsys.readouterr().err.replace("\xa0", " ")
    assert anna_sees(settings, clock) == before


def test_deciding_twice_or_an_unknown_claim_is_an_error(world_file, claim_number, settings,
                                                        clock, capsys):
    assert run(["maintenance", "claim", "decide", claim_number, "--accept"], world_file) == 0
    capsys.readouterr()
    before = anna_sees(settings, clock)
    assert run(["maintenance", "claim", "decide", claim_number, "--reject", "--reason", "no"],
               world_file) == 1
    assert f"Claim {claim_number} is already accepted." in capsys.readouterr().err
    assert run(["maintenance", "claim", "decide", "CL-0000-000000", "--accept"],
               world_file) == 1
    assert "There is no claim CL-0000-000000." in capsys.readouterr().err
    assert anna_sees(settings, clock) == before


def test_decide_needs_accept_or_reject(world_file, claim_number, capsys):
    with pytest.raises(SystemExit) as caught:
        run(["maintenance", "claim", "decide", claim_number], world_file)
    assert caught.value.code == 2
    assert "--accept" in capsys.readouterr().err


# --- payments ------------------------------------------------------------------------------

CAMT_SAMPLE = Path(__file__).parent / "data" / "camt053-three-transfers.xml"


def _transfers(world_file) -> tuple[str, str]:
    """Anna and Olga each ask to top up by transfer (1500 and 2000)."""
    from mlm_tui.core.local import LocalBackend
    from mlm_tui.core.models import TopUpMethod
    from mlm_tui.core.money import Money
    from mlm_tui.core.settings import load_settings

    backend = LocalBackend(load_settings(data_dir=world_file.parent), clock=lambda: world.NOW)
    try:
        references = []
        for person, amount in ((world.ANNA, 1500), (world.OLGA_MSK, 2000)):
            backend.login(person.registration_number, world.PASSWORD)
            references.append(backend.top_up(Money(Decimal(amount), "RUB"),
                                             TopUpMethod.TRANSFER).reference)
        return references[0], references[1]
    finally:
        backend.close()


def test_a_camt053_import_credits_two_transfers_and_reports_the_unknown_one(world_file, capsys):
    annas, olgas = _transfers(world_file)
    assert run(["maintenance", "payments", "import", str(CAMT_SAMPLE)], world_file) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["credited", annas, "1500.00"]
    assert out[1].split()[:3] == ["credited", olgas, "2000.00"]
    assert out[2].startswith("NOT MATCHED   2026112000003")
    assert out[2].endswith('"TU-2611-999999 thank you": unknown reference')
    assert out[3] == "2 credited, 1 not matched (of 3 credits in camt053-three-transfers.xml)."
    run(["maintenance", "payments", "list", "--pending"], world_file)
    assert capsys.readouterr().out == "No payment is awaited.\n"


def test_the_service_confirms_and_refuses_by_reference(world_file, capsys):
    annas, olgas = _transfers(world_file)
    assert run(["maintenance", "payments", "confirm", annas.lower()], world_file) == 0
    assert capsys.readouterr().out == (
        f"{annas}: 1500.00 RUB credited to the balance of {world.ANNA.registration_number}.\n")
    assert run(["maintenance", "payments", "reject", olgas, "--reason", "Never paid."],
               world_file) == 0
    assert "refused" in capsys.readouterr().out
    assert run(["maintenance", "payments", "confirm", olgas], world_file) == 1
    assert f"Payment {olgas} is already rejected." in capsys.readouterr().err
    run(["maintenance", "payments", "list"], world_file)
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [annas, olgas]
    assert listed[0].endswith("confirmed  service") and listed[1].endswith("rejected  service")


def test_a_service_account_is_added_once_with_a_long_password(world_file, capsys,
                                                              monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("too-short\n"))
    assert run(["maintenance", "service-accounts", "add", "irina", "--password-stdin"],
               world_file) != 0
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-service-password\n"))
    assert run(["maintenance", "service-accounts", "add", "Irina", "--password-stdin"],
               world_file) == 0
    assert "Service account irina added." in capsys.readouterr().out
    run(["maintenance", "service-accounts", "list"], world_file)
    assert capsys.readouterr().out.startswith("irina ")


# --- in the operator's language ------------------------------------------------------------


@pytest.mark.parametrize(("language", "said"), [
    ("ru", ["показать учётные записи, подлежащие удалению", "позиционные аргументы",
            "сотрудники сервисной службы"]),
    ("de", ["die zur Löschung fälligen Konten auflisten", "Positionsargumente",
            "die Servicemitarbeiter des Unternehmens"]),
])
def test_the_maintenance_help_speaks_the_language(capsys, language, said):
    with pytest.raises(SystemExit) as caught:
        main(["maintenance", "--help", "--lang", language])
    assert caught.value.code == 0
    out = " ".join(capsys.readouterr().out.split())  # argparse wraps at the terminal width
    for words in said:
        assert words in out
    assert "operator tasks" not in out and "list the accounts due" not in out


@pytest.mark.parametrize(("language", "due", "summary"), [
    ("ru", "срок 2023-11-20  (без заказов)",
     "6 учётных записей подлежат удалению на 2026-11-20. Ничего не изменено"),
    ("de", "fällig 2023-11-20  (nie bestellt)",
     "6 Konten sind zum 2026-11-20 fällig. Nichts geändert"),
])
def test_the_retention_run_speaks_the_language(world_file, capsys, language, due, summary):
    assert run(["maintenance", "retention", "--as-of", "2026-11-20", "--lang", language],
               world_file) == 0
    out = capsys.readouterr().out
    assert due in out and summary in out
    assert "due" not in out and "Nothing changed" not in out


def test_a_statement_import_in_russian_says_why_a_transfer_was_not_credited(world_file,
                                                                           capsys):
    annas, _olgas = _transfers(world_file)
    assert run(["maintenance", "payments", "import", str(CAMT_SAMPLE), "--lang", "ru"],
               world_file) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["зачислен", annas, "1500.00"]
    assert out[2].startswith("НЕ СОПОСТАВЛЕН 2026112000003")
    assert out[2].endswith('"TU-2611-999999 thank you": неизвестный номер')
    assert out[3] == ("зачислено: 2, не сопоставлено: 1 "
                      "(из 3 поступлений в camt053-three-transfers.xml).")
    assert run(["maintenance", "payments", "import", str(CAMT_SAMPLE), "--lang", "de"],
               world_file) == 0
    again = capsys.readouterr().out.splitlines()
    assert again[0].endswith(": bereits bestätigt")


def test_no_store_is_said_in_german(tmp_path, capsys):
    assert main(["maintenance", "claim", "list", "--lang", "de",
                 "--data-dir", str(tmp_path / "nowhere")]) == 1
    assert f"kein Datenbestand unter {tmp_path / 'nowhere' / 'store.db'}" in (
        capsys.readouterr().err)


def test_a_claim_decided_before_says_its_day_in_german(world_file, claim_number, capsys):
    assert run(["maintenance", "claim", "decide", claim_number, "--accept"], world_file) == 0
    capsys.readouterr()
    assert run(["maintenance", "claim", "decide", claim_number, "--reject", "--reason", "no",
                "--lang", "de"], world_file) == 1
    err = capsys.readouterr().err
    assert f"Die Reklamation {claim_number} ist bereits angenommen. Entschieden am " in err
    day = err.rsplit("Entschieden am ", 1)[1].strip().rstrip(".")
    assert len(day) == 10 and day[2] == day[5] == "."  # 20.11.2026, not 2026-11-20


@pytest.mark.parametrize(("language", "said"), [
    ("ru", "Принята: 500,50"),
    ("de", "Angenommen: 500,50"),
])
def test_a_claim_decision_is_said_in_the_operators_language(world_file, claim_number,
                                                            capsys, language, said):
    assert run(["maintenance", "claim", "decide", claim_number, "--accept", "--credit",
                "500,50", "--lang", language], world_file) == 0
    out = capsys.readouterr().out.replace("\xa0", " ")
    assert f"{claim_number}: {said}" in out and "Accepted" not in out


@pytest.mark.parametrize(("language", "said"), [
    ("ru", "в заголовке CSV нет currency, reference"),
    ("de", "in der Kopfzeile der CSV-Datei fehlt currency, reference"),
])
def test_a_statement_that_cannot_be_read_says_why_in_the_language(world_file, tmp_path,
                                                                 capsys, language, said):
    file = tmp_path / "statement.csv"
    file.write_text("booked_on,amount\n2026-11-20,1500.00\n", encoding="utf-8")
    assert run(["maintenance", "payments", "import", str(file), "--lang", language],
               world_file) == 1
    err = capsys.readouterr().err
    assert said in err and "header lacks" not in err
