"""A screen that is one form: Enter moves to the next field, and on the last one submits."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.widgets import Input

from mlm_tui.screens.base import AppScreen
from mlm_tui.widgets.form import focus_next_field


class FormScreen(AppScreen[None]):
    """``class X(FormScreen, fields=(...))``: the inputs' ids, in the order Enter walks them."""

    FIELDS: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, *, fields: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if fields:
            cls.FIELDS = fields

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if not focus_next_field(self, self.FIELDS, event.input.id):
            self.action_submit()

    def action_submit(self) -> None:
        raise NotImplementedError
