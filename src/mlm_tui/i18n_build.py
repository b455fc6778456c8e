"""Extract, update and compile the translation catalogues with Babel.

    python -m mlm_tui.i18n_build extract   # src -> src/mlm_tui/locale/mlm_tui.pot
    python -m mlm_tui.i18n_build update    # the .pot into every language's .po
    python -m mlm_tui.i18n_build compile   # every .po -> its .mo, next to it
    python -m mlm_tui.i18n_build all       # the three, in that order

The same as ``pybabel extract -F babel.cfg -k N_ ...`` and friends; one place keeps the
keywords and paths, so the catalogue test extracts exactly as this does. The compiled
``.mo`` files are committed with the ``.po``: a fresh clone, an editable install and a
wheel all have them without a build step, and a test checks they are what compiling
the ``.po`` gives now.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

DOMAIN = "mlm_tui"
PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
# The project root in a checkout (babel.cfg is there); extraction works from a checkout only.
ROOT = PACKAGE_DIR.parent.parent
# What marks a text for the catalogue, as babel.cfg's users pass them to pybabel.
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2),
}
LANGUAGES = ("ru", "de")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"


def extract() -> Catalog:
    """Every marked text of ``src``, as ``pybabel extract -F babel.cfg`` finds it."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with open(ROOT / "babel.cfg", encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)  # type: ignore[no-untyped-call]
    catalog = Catalog(project="mlm-tui", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        if isinstance(message, tuple) and not message[0]:
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments,
                    context=context)
    for entry in catalog:
        # "−{percent}% on {code}" is not a %-format, though Babel's guess says so.
        if "python-brace-format" in entry.flags:
            entry.flags.discard("python-format")
    return catalog


def _write_po(catalog: Catalog, path: Path, *, locations: bool) -> None:
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, no_location=not locations,
             sort_output=False, ignore_obsolete=True, include_previous=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def read_po(language: str) -> Catalog:
    from babel.messages.pofile import read_po as read

    with open(po_path(language), "rb") as fh:
        return read(fh, locale=language, domain=DOMAIN)


def write_template() -> Catalog:
    template = extract()
    _write_po(template, TEMPLATE, locations=True)
    return template


def update() -> None:
    """Bring every ``.po`` up to the template: new texts come in empty, gone ones go."""
    from babel.messages.pofile import read_po as read

    with open(TEMPLATE, "rb") as fh:
        template = read(fh)
    for language in LANGUAGES:
        catalog = read_po(language)
        catalog.update(template, update_header_comment=False, update_creation_date=False)
        _write_po(catalog, po_path(language), locations=True)


def compiled(language: str) -> bytes:
    """The ``.mo`` that the ``.po`` of ``language`` compiles to (fuzzy entries left out)."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_po(language), use_fuzzy=False)
    return buffer.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        mo_path(language).write_bytes(compiled(language))


def main(argv: list[str] | None = None) -> int:
    steps: dict[str, list[Callable[[], object]]] = {
        "extract": [write_template], "update": [update], "compile": [compile_all],
        "all": [write_template, update, compile_all]}
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1 or args[0] not in steps:
        print(f"usage: python -m mlm_tui.i18n_build {{{'|'.join(steps)}}}", file=sys.stderr)
        return 2
    for step in steps[args[0]]:
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
