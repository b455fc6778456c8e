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
    # The variables as a key, made once for each dict of them (a stylesheet replaces
    # the dict when they change).
    variables_keys: dict[int, tuple[dict, tuple]] = {}

    def parse_once(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = self._variables
        known = variables_keys.get(id(variables))
        if known is None or known[0] is not variables:
            known = variables_keys[id(variables)] = (variables, tuple(sorted(variables.items())))
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
        parts = [self._parse_rules(css, read_from=read_from, is_default_rules=default,
                                   tie_breaker=tie_breaker, scope=scope)
                 for read_from, (css, default, tie_breaker, scope) in self.source.items()
                 if css not in self._invalid_css]
        key = tuple(map(id, parts))
        if key not in assembled:
            parse(self)  # as Textual does it, errors and all
            assembled[key] = (self._rules, self.rules_map)
        self._rules, self._rules_map = assembled[key]
        self._require_parse = False

    Stylesheet.parse = parse_assembled_once  # type: ignore[method-assign]


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
    no_frames_nobody_sees()
    no_press_flash()
