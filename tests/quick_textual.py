"""Textual as the tests run it: the same app, with the work nobody sees left out or done once.

A test process starts hundreds of apps. Each piece here removes work that is repeated per
app or per message without changing what an app shows or does; the apps in a real
terminal (the pty tests) run as shipped wherever a piece says so.
"""

from __future__ import annotations


def quick_idle_waits() -> None:
    """Textual's test pilot waits for the process to go idle after every key, sleeping
    20 ms at a time; 2 ms is as safe (each wait still ends only when the CPU is idle)
    and cuts the screen tests to about a third."""
    from textual import _wait

    _wait.SLEEP_GRANULARITY = 0.002
    _wait.SLEEP_IDLE = 0.0005


def stylesheets_parsed_once() -> None:
    """Every app a test starts parses the same CSS with the same variables; Textual keeps
    what it parsed per app. Here it is kept per process, keyed also by the variables."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules
    parsed: dict[tuple, list] = {}
    # The variables as a number, the same for equal variables, found once for each dict
    # of them (a stylesheet replaces the dict when they change): hashing the variables
    # themselves at each look-up cost more than the look-up saved.
    numbers: dict[tuple, int] = {}
    variables_keys: dict[int, tuple[dict, int]] = {}

    def parse_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = self._variables
        known = variables_keys.get(id(variables))
        if known is None or known[0] is not variables:
            number = numbers.setdefault(tuple(sorted(variables.items())), len(numbers))
            known = variables_keys[id(variables)] = (variables, number)
        key = (known[1], css, read_from, is_default_rules, tie_breaker, scope)
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_once  # type: ignore[method-assign]

    # A stylesheet is parsed again each time a widget of a class it has not seen yet is
    # mounted (its DEFAULT_CSS joins), and each parse then indexes every rule by selector
    # anew. Every app goes through the same few sets of sources, so the rules and their
    # index are kept per set: keyed by the parsed lists themselves, which parse_once keeps.
    parse = Stylesheet.parse
    assembled: dict[tuple[int, ...], tuple[list, dict]] = {}

    def parse_assembled_once(self) -> None:
        try:
            parts = [self._parse_rules(css, read_from=read_from, is_default_rules=default,
                                       tie_breaker=tie_breaker, scope=scope)
                     for read_from, (css, default, tie_breaker, scope) in self.source.items()
                     if css not in self._invalid_css]
        except Exception:
            parse(self)  # CSS that does not parse: Textual's own parse records and reports it
            return
        key = tuple(map(id, parts))
        if key not in assembled:
            parse(self)  # as Textual does it, errors and all
            assembled[key] = (self._rules, self.rules_map)
        self._rules, self._rules_map = assembled[key]
        self._require_parse = False

    Stylesheet.parse = parse_assembled_once  # type: ignore[method-assign]


def callbacks_counted_once() -> None:
    """Textual counts a callback's parameters (``inspect.signature``) each time it calls
    one it has not counted: every ``call_later`` and ``call_after_refresh`` of a
    ``partial`` is a new object, counted anew. Here the count is kept on the function
    underneath, for it plainly and for it bound (a bound method drops its first
    parameter whatever it is bound to)."""
    from inspect import signature
    from types import FunctionType

    from textual import _callback

    def count_parameters_once(func) -> int:
        function = getattr(func, "__func__", None)
        target, kept_as = ((func, "_mlm_param_count") if function is None
                           else (function, "_mlm_bound_param_count"))
        if not isinstance(target, FunctionType):  # a builtin or a callable object
            return len(signature(func).parameters)
        count = getattr(target, kept_as, None)
        if count is None:
            count = len(signature(func).parameters)
            setattr(target, kept_as, count)
        return count

    count_parameters_once.textual = _callback._count_parameters  # type: ignore[attr-defined]
    _callback._count_parameters = count_parameters_once


def handlers_looked_up_where_they_are() -> None:
    """For every message, Textual walks the whole class hierarchy of the widget it goes to
    (a dozen classes or more), looking in each for handlers of the message's classes.
    Which classes hold any is fixed per widget class, message class and handler name:
    here that short list is kept, and the walk is Textual's own over it (each class's
    handlers still read as they are then, so a method patched later is the one called)."""
    from textual._on import OnNoWidget
    from textual.css.match import match
    from textual.message import Message
    from textual.message_pump import MessagePump
    from textual.widget import Widget

    holders: dict[tuple[type, type, str], tuple[tuple[type, ...], tuple[type, ...]]] = {}

    def classes_holding(pump_class: type, message_class: type, method_name: str):
        key = (pump_class, message_class, method_name)
        known = holders.get(key)
        if known is None:
            message_mro = tuple(kind for kind in message_class.__mro__
                                if issubclass(kind, Message))
            holding = tuple(
                cls for cls in pump_class.__mro__
                if any((cls.__dict__.get("_decorated_handlers") or {}).get(kind)
                       for kind in message_mro)
                or cls.__dict__.get(f"_{method_name}") is not None
                or cls.__dict__.get(method_name) is not None)
            known = holders[key] = (message_mro, holding)
        return known

    def get_dispatch_methods(self, method_name: str, message: Message):
        # As MessagePump._get_dispatch_methods (Textual is pinned exactly), over the
        # classes that hold something for this message.
        methods_dispatched: set = set()
        message_mro, holding = classes_holding(self.__class__, message.__class__, method_name)
        for cls in holding:
            if message._no_default_action:
                break
            decorated_handlers = cls.__dict__.get("_decorated_handlers")
            if decorated_handlers:
                for message_class in message_mro:
                    for method, selectors in decorated_handlers.get(message_class, []):
                        if method in methods_dispatched:
                            continue
                        if not selectors:
                            yield cls, method.__get__(self, cls)
                            methods_dispatched.add(method)
                        else:
                            if not message._sender:
                                continue
                            for attribute, selector in selectors.items():
                                node = getattr(message, attribute)
                                if node is None:
                                    break
                                if not isinstance(node, Widget):
                                    raise OnNoWidget(f"on decorator can't match against "
                                                     f"{attribute!r} as it is not a widget.")
                                if not match(selector, node):
                                    break
                            else:
                                yield cls, method.__get__(self, cls)
                                methods_dispatched.add(method)
            method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
            if method is not None and not getattr(method, "_textual_on", None):
                yield cls, method.__get__(self, cls)

    get_dispatch_methods.textual = MessagePump._get_dispatch_methods  # type: ignore[attr-defined]
    MessagePump._get_dispatch_methods = get_dispatch_methods  # type: ignore[method-assign]


def no_frames_nobody_sees() -> None:
    """A headless test app paints no frames: nobody sees them. Textual still renders every
    frame of a headless app, only to throw it away (a quarter of a screen test's time).
    What tests look at is rendered whole when they look: ``screen_text``, snapshots and
    ``export_screenshot`` draw the screen as it is then. Apps in a real terminal (the pty
    tests) paint as always."""
    from textual.screen import Screen

    paint = Screen._compositor_refresh

    def paint_when_seen(self: Screen) -> None:
        app = self.app
        if app.is_headless and self is app.screen and not app.is_inline:
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            app._update_mouse_over(self)
            return
        paint(self)

    Screen._compositor_refresh = paint_when_seen  # type: ignore[method-assign]


def no_press_flash() -> None:
    """A pressed button lights up for 0.2 s. A snapshot taken within that time shows it
    lit, one taken later does not, so whether it did depended on the machine's speed.
    Headless test apps press without the flash; the app in a terminal keeps it."""
    from textual.widgets import Button

    flash = Button._start_active_affect

    def flash_when_seen(self: Button) -> None:
        if not self.app.is_headless:
            flash(self)

    Button._start_active_affect = flash_when_seen  # type: ignore[method-assign]


def install() -> None:
    quick_idle_waits()
    stylesheets_parsed_once()
    callbacks_counted_once()
    handlers_looked_up_where_they_are()
    no_frames_nobody_sees()
    no_press_flash()
