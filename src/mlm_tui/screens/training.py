""""Successful start": the newcomer's short lessons, with the progress kept per member."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mlm_tui.core import training
from mlm_tui.core.errors import DomainError
from mlm_tui.display import data_text
from mlm_tui.i18n import N_, _
from mlm_tui.messages import Failed
from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.footer import KeysFooter
from mlm_tui.widgets.header import AccountHeader


class TrainingScreen(AppScreen[None]):
    DEFAULT_CSS = """
    TrainingScreen #progress { padding: 0 1; height: 1; color: $text-muted; }
    TrainingScreen #lessons { width: 30; height: 1fr; }
    TrainingScreen #lesson { width: 1fr; height: 1fr; padding: 0 1; }
    TrainingScreen #lesson-title { text-style: bold; margin-bottom: 1; }
    TrainingScreen .paragraph { margin-bottom: 1; }
    """

    BINDINGS = [
        Binding("d", "done", N_("Done, next lesson"), id="training.done"),
    ]

    @dataclass
    class Progress(Message):
        completed: set[str]

    def __init__(self) -> None:
        super().__init__()
        self._completed: set[str] = set()
        self._opened = False

    def compose(self) -> ComposeResult:
        yield AccountHeader()
        yield Static(_("Loading…"), id="progress")
        with Horizontal():
            yield OptionList(*self._options(), id="lessons")
            with VerticalScroll(id="lesson"):
                yield Static("", id="lesson-title")
                yield Static("", id="lesson-body")
        yield KeysFooter()

    def _options(self) -> list[Option]:
        return [
            Option(("✓ " if lesson.id in self._completed else "  ") + _(lesson.title),
                   id=lesson.id)
            for lesson in training.LESSONS
        ]

    def on_mount(self) -> None:
        self.title = _("Successful start")
        self.load()

    def load(self) -> None:
        def ask() -> Message:
            completed = self.backend.training_progress()
            return self.Progress(completed)

        self.in_background(ask, group="training")

    @work(thread=True, exit_on_error=False, group="training-done")
    def complete(self, lesson_id: str) -> None:
        try:
            completed = self.backend.complete_lesson(lesson_id)  # answers with the progress
        except DomainError as error:
            self.post_message(Failed(error))
            return
        self.post_message(self.Progress(completed))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self._completed = message.completed
        lessons = self.query_one("#lessons", OptionList)
        highlighted = lessons.highlighted
        lessons.set_options(self._options())
        done, total = training.progress(self._completed)
        if done == total:
            text = _("All {total} lessons done. Well done!").format(total=total)
        else:
            text = _("{done} of {total} lessons done").format(done=done, total=total)
        self.query_one("#progress", Static).update(text)
        if highlighted is None or not self._opened:
            self._opened = True  # the first time, open where the newcomer left off
            upcoming = training.next_lesson(self._completed) or training.LESSONS[0]
            highlighted = training.LESSONS.index(upcoming)
        lessons.highlighted = highlighted
        lessons.focus()

    @on(OptionList.OptionHighlighted, "#lessons")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        lesson = training.lesson(event.option.id or "")
        self.query_one("#lesson-title", Static).update(_(lesson.title))
        self.query_one("#lesson-body", Static).update(
            "\n\n".join(_(paragraph) for paragraph in lesson.paragraphs))

    @on(OptionList.OptionSelected, "#lessons")
    def _selected(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        lessons = self.query_one("#lessons", OptionList)
        if lessons.highlighted is None:
            return
        lesson = training.LESSONS[lessons.highlighted]
        if lesson.id not in self._completed:
            self.complete(lesson.id)
        if lessons.highlighted + 1 < len(training.LESSONS):
            lessons.highlighted += 1

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one("#progress", Static).update(data_text(message.error.message))
