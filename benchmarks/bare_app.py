"""The baseline: a bare Textual app with a label and two inputs, nothing else."""

from textual.app import App, ComposeResult
from textual.widgets import Input, Label


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("Bare login")
        yield Input(placeholder="Registration number or e-mail")
        yield Input(placeholder="Password", password=True)


if __name__ == "__main__":
    BareApp().run()
