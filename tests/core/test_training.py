""""Successful start": the course as data and the progress each member keeps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mlm_tui.core.errors import NotAuthenticated, NotFound
from mlm_tui.core.local import schema as t
from mlm_tui.core.local.store import Store
from mlm_tui.core.training import LESSONS, lesson, next_lesson, progress
from tests import world


def test_the_course_is_short_lessons_with_unique_ids():
    assert 5 <= len(LESSONS) <= 7
    assert len({item.id for item in LESSONS}) == len(LESSONS)
    for item in LESSONS:
        assert item.title and 2 <= len(item.paragraphs) <= 4
        assert all(len(paragraph) < 400 for paragraph in item.paragraphs)


def test_the_welcome_lesson_sends_a_newcomer_where_the_sponsors_name_is(anna, settings):
    from tests.core.test_auth import MARIA, messages_to

    [paragraph] = [p for p in lesson("welcome").paragraphs if "sponsor is your first" in p]
    assert "home screen" not in paragraph  # the home screen does not name the sponsor
    assert "message that brought your activation code" in paragraph
    anna.register_member(MARIA)
    [message] = messages_to(settings, "maria.petrova@example.ru")
    assert world.ANNA.full_name in message.get_content()
    assert "код активации" in message.get_content().lower()  # in her company's language


def test_next_lesson_follows_course_order_and_ends():
    assert next_lesson(set()) is LESSONS[0]
    assert next_lesson({LESSONS[0].id, LESSONS[2].id}) is LESSONS[1]
    assert next_lesson({item.id for item in LESSONS}) is None


def test_progress_ignores_withdrawn_lessons():
    assert progress({LESSONS[0].id, "withdrawn"}) == (1, len(LESSONS))


def test_an_unknown_lesson_names_the_field():
    with pytest.raises(NotFound) as caught:
        lesson("nope")
    assert caught.value.field == "lesson"


def test_progress_is_kept_per_member(backend, clock):
    backend.login(world.OLGA_MSK.registration_number, world.PASSWORD)
    assert backend.training_progress() == set()
    backend.complete_lesson("welcome")
    clock.advance(timedelta(days=2))
    backend.complete_lesson("catalog")
    backend.complete_lesson("welcome")  # again: harmless
    assert backend.training_progress() == {"welcome", "catalog"}

    backend.logout()
    backend.login(world.IRINA.registration_number, world.PASSWORD)
    assert backend.training_progress() == set()


def test_the_first_completion_date_is_kept(anna, clock, world_file):
    anna.complete_lesson("welcome")
    clock.advance(timedelta(days=5))
    anna.complete_lesson("welcome")
    store = Store(world_file)
    with store.read() as conn:
        completed_at = conn.execute(select(t.training_progress.c.completed_at)).scalar_one()
    store.close()
    assert completed_at == world.NOW


def test_an_unknown_lesson_changes_nothing(anna):
    with pytest.raises(NotFound):
        anna.complete_lesson("nope")
    assert anna.training_progress() == set()


def test_progress_needs_a_signed_in_member(backend):
    with pytest.raises(NotAuthenticated):
        backend.training_progress()
    with pytest.raises(NotAuthenticated):
        backend.complete_lesson("welcome")


def test_the_lesson_on_cancelling_says_what_the_fee_covers_as_cancelling_charges_it():
    text = " ".join(lesson("after_the_order").paragraphs)
    # Not shipped: forming the order only; shipped and stopped: the round trip too.
    assert "not yet shipped can be cancelled without a reason; a fee for forming it" in text
    assert "stopped with the carrier; then its delivery there and back" in text
