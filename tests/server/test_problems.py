"""Every domain error crosses the wire as a problem and comes back as itself."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

# Imported for their errors, which are domain errors too.
import mlm_tui.core.local.store
import mlm_tui.core.settings  # noqa: F401
from mlm_tui.core import errors
from mlm_tui.server import problems

NOW = datetime(2026, 11, 20, 12, 0)


def _example(kind: type[errors.DomainError]) -> errors.DomainError:
    if issubclass(kind, errors.ValidationErrors):
        return kind([errors.ValidationError("Enter a name.", field="full_name"),
                     errors.UnprintableText("No control characters.", field="street")])
    if issubclass(kind, errors.Throttled):
        return kind("Too many tries.", retry_at=NOW + timedelta(minutes=5), field="password")
    return kind(f"what went wrong: {kind.code}", field="some_field")


ALL = sorted(errors.error_classes().values(), key=lambda kind: kind.code)


def test_the_known_errors_are_all_there():
    codes = {kind.code for kind in ALL}
    assert {"not_found", "throttled", "validation_errors", "session_ended", "offline",
            "store_read_only", "config", "idempotency_key_reused"} <= codes


@pytest.mark.parametrize("kind", ALL, ids=lambda kind: kind.code)
def test_a_problem_reads_back_as_the_same_error(kind):
    sent = _example(kind)
    response = problems.problem(sent, NOW)
    body = json.loads(response.body)
    assert response.media_type == "application/problem+json"
    assert (body["status"], body["code"], body["type"]) == (
        response.status_code, kind.code, f"urn:mlm-tui:problem:{kind.code}")
    back = errors.from_dict(body)
    assert type(back) is kind
    assert (back.message, back.field) == (sent.message, sent.field)
    assert back.to_dict() == sent.to_dict()


@pytest.mark.parametrize(("kind", "status"), [
    (errors.NotFound, 404), (errors.Forbidden, 403), (errors.ValidationError, 422),
    (errors.UnprintableText, 422), (errors.Conflict, 409), (errors.InsufficientBalance, 409),
    (errors.NotAuthenticated, 401), (errors.SessionEnded, 401), (errors.Throttled, 429),
    (errors.IdempotencyKeyReused, 422)])
def test_each_error_has_its_status(kind, status):
    assert problems.problem(_example(kind), NOW).status_code == status


def test_throttled_says_when_to_try_again():
    response = problems.problem(_example(errors.Throttled), NOW)
    assert response.headers["Retry-After"] == "300"
    assert json.loads(response.body)["retry_at"] == "2026-11-20T12:05:00"


def test_an_unknown_code_keeps_its_code():
    error = errors.from_dict({"code": "something_new", "message": "new", "field": "x"})
    assert (type(error), error.code, error.message, error.field) == (
        errors.DomainError, "something_new", "new", "x")
