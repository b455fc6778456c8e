"""The core library stays free of the UI, the store's SQL stays in the store, and heavy
imports stay off the first frame.

Loaded modules are checked in a fresh interpreter, because this test process has imported
everything; who imports what is read from the source files, imports inside functions too.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import mlm_tui
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


def _imported_by(source: Path) -> set[str]:
    """Every module a source file imports, anywhere in it (relative imports aside)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _uses_sqlalchemy(source: Path) -> bool:
    return any(name == "sqlalchemy" or name.startswith("sqlalchemy.")
               for name in _imported_by(source))


def test_sqlalchemy_is_imported_only_by_the_store_package() -> None:
    package = Path(mlm_tui.__file__).parent
    store = package / "core" / "local"
    sources = sorted(package.rglob("*.py"))
    assert any(_uses_sqlalchemy(s) for s in sources if store in s.parents), (
        "the store itself imports SQLAlchemy (else this test checks nothing)")
    outside = [str(s.relative_to(package)) for s in sources
               if store not in s.parents and _uses_sqlalchemy(s)]
    assert outside == [], "SQL belongs in mlm_tui/core/local"


# What the core may take from the interface's translations: the marker for the catalogue,
# and the catalogue of a recipient it names (a mail, an SMS, a PDF in her language).
_CORE_MAY_USE_FROM_I18N = frozenset({"N_", "language_of", "recipient_language",
                                     "translation_for"})


def _names_from_i18n(source: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "mlm_tui.i18n":
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import) and any(a.name == "mlm_tui.i18n" for a in node.names):
            found.add("mlm_tui.i18n")  # the whole module: anything could be called on it
        elif isinstance(node, ast.Attribute) and node.attr in ("_", "ngettext", "gettext") \
                and isinstance(node.value, ast.Name) and node.value.id == "i18n":
            found.add(node.attr)
    return found


def test_the_core_words_nothing_in_the_readers_language() -> None:
    """An error, a notice or a decision leaves the core as a template and its parameters:
    translated when raised or stored, it would be in the language of whoever raised it
    (the server's), not the reader's."""
    core = Path(mlm_tui.core.__file__).parent
    translating = {str(path.relative_to(core)): sorted(used)
                   for path in sorted(core.rglob("*.py"))
                   if (used := _names_from_i18n(path) - _CORE_MAY_USE_FROM_I18N)}
    assert translating == {}
