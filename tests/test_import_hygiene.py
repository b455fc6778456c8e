"""The core library stays free of the UI, and heavy imports stay off the first frame.

Checked in a fresh interpreter, because this test process has imported everything.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import mlm_tui.core


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


def test_core_imports_no_textual_and_no_screen() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(mlm_tui.core.__path__, prefix="mlm_tui.core.")
    ]
    loaded = _modules_after("\n".join(f"import {name}" for name in names))
    assert names, "the core package has modules"
    assert not {m for m in loaded if m == "textual" or m.startswith("textual.")}
    assert not {m for m in loaded if m.startswith(("mlm_tui.screens", "mlm_tui.widgets"))}
