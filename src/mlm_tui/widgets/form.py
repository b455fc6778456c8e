"""A labelled input with its own error line: where a field's error is shown.

Errors name the field that failed (``DomainError.field``); the screen finds the
``FormField`` with that name and shows the message right under the input. The message
starts with a mark so it reads as an error without colour (NO_COLOR, 16 colours).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.widgets import Button, Input, Label, Static

from mlm_tui.display import data_text
from mlm_tui.widgets.typeahead import TypeAheadInput


class FormField(Vertical):
    DEFAULT_CSS = """
    FormField { height: auto; }
    FormField > Label { padding: 0 1; }
    FormField > .field-error { padding: 0 1; color: $text-error; height: auto; }
    FormField > .field-error.-empty { display: none; }
    """

    def __init__(
        self,
        label: str,
        field: str,
        *,
        value: str = "",
        placeholder: str = "",
        password: bool = False,
        restrict: str | None = None,
        max_length: int = 0,
        select_on_focus: bool = True,
        next_on_enter: bool = False,
    ) -> None:
        super().__init__(id=f"{field}-field")
        self.field = field
        self.error_text = ""  # what the error line says now: for tests and screen readers
        self._label = label
        self._input = TypeAheadInput(
            value, placeholder=placeholder, password=password, restrict=restrict,
            max_length=max_length, id=field, select_on_focus=select_on_focus,
            next_on_enter=next_on_enter,
        )

    def compose(self) -> ComposeResult:
        yield Label(self._label, id=f"{self.field}-label")
        yield self._input
        yield error_line(f"{self.field}-error")

    @property
    def input(self) -> Input:
        return self._input

    @property
    def value(self) -> str:
        return self._input.value

    def show_error(self, message: str) -> None:
        self.error_text = message
        show_error_line(self.query_one(".field-error", Static), message)
        self._input.add_class("-invalid")

    def clear_error(self) -> None:
        self.error_text = ""
        clear_error_line(self.query_one(".field-error", Static))
        self._input.remove_class("-invalid")


def error_line(line_id: str) -> Static:
    """The line under a field where its error shows: hidden while it says nothing."""
    return Static("", id=line_id, classes="field-error -empty", markup=False)


def submit_row(label: str) -> ComposeResult:
    """The form's submit button (``#submit``, in ``#actions``) and the line under it that
    answers (``#result``)."""
    with Horizontal(id="actions"):
        yield Button(label, id="submit", variant="primary", compact=True)
    yield Static("", id="result")


def show_error_line(line: Static, message: str) -> None:
    """An error line (hidden by its ``-empty`` class while empty) says ``message``."""
    line.update(data_text("✗ " + message))
    line.remove_class("-empty")


def clear_error_line(line: Static) -> None:
    line.update("")
    line.add_class("-empty")


def focus_next_field(form: DOMNode, fields: Sequence[str], field: str | None) -> bool:
    """Enter in a form's input moves the focus to the next of ``fields`` (input ids, in
    order); False after the last one, where Enter submits the form."""
    index = fields.index(field or "")
    if index + 1 == len(fields):
        return False
    form.query_one(f"#{fields[index + 1]}", Input).focus()
    return True
