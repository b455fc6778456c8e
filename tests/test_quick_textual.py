"""The pieces of Textual the tests run quicker (``tests/quick_textual.py``) do what
Textual does: checked against Textual's own, over every widget class the app has."""

from __future__ import annotations

import functools
import importlib
import pkgutil

from textual import _callback, events
from textual.message_pump import MessagePump

import mlm_tui.screens
import mlm_tui.widgets
from mlm_tui.app import MlmApp


def _every_class(kind: type) -> list[type]:
    found, waiting = [], [kind]
    while waiting:
        cls = waiting.pop()
        found.append(cls)
        waiting += cls.__subclasses__()
    return found


def test_a_message_finds_the_handlers_textual_finds_in_every_widget_class() -> None:
    for package in (mlm_tui.screens, mlm_tui.widgets):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")
    lookup = MessagePump._get_dispatch_methods
    textual_lookup = lookup.textual  # type: ignore[attr-defined]
    messages = [events.Mount(), events.Unmount(), events.Focus(), events.Blur(),
                events.Key("a", "a"), events.Key("enter", None), events.Paste("32548"),
                events.Show(), events.Hide(), events.Idle(), events.ScreenResume()]
    classes = _every_class(MessagePump)
    assert MlmApp in classes and len(classes) > 100
    compared = 0
    for cls in classes:
        pump = object.__new__(cls)  # what a handler is bound to; no widget is started
        for message in messages:
            name = message.handler_name
            ours = [(c, m.__func__) for c, m in lookup(pump, name, message)]
            theirs = [(c, m.__func__) for c, m in textual_lookup(pump, name, message)]
            assert ours == theirs, (cls, name)
            compared += bool(theirs)
    assert compared > 200  # handlers were found, not only their absence agreed on


def test_a_callback_is_counted_as_textual_counts_it_the_first_time_and_after() -> None:
    class Widgetish:
        def two(self, a, b) -> None: ...
        def wrapped(self, *args) -> None: ...

        @classmethod
        def made(cls, a) -> None: ...

    def plain(a, b, c=1) -> None: ...

    one, other = Widgetish(), Widgetish()
    callbacks = [plain, lambda: None, one.two, other.two, one.wrapped, Widgetish.made,
                 Widgetish.two, print, len, functools.partial(plain, 1),
                 functools.partial(one.two, b=2), functools.wraps(plain)(lambda *a: None)]
    count = _callback._count_parameters
    for _round in range(2):  # counted, then kept
        assert [count(f) for f in callbacks] == [count.textual(f) for f in callbacks]
        assert [_callback.count_parameters(f) for f in callbacks[:6]] == [3, 0, 2, 2, 1, 1]
