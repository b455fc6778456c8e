"""argparse's own words ("usage:", "options", "error: …") in the interface's language.

argparse looks each of its texts up with ``gettext`` at the moment it prints it;
``speak_argparse`` points those look-ups at this package's catalogue, where the texts a
user of ``mlm-tui`` can meet are marked below (as the Python version in use writes them).
"""

from __future__ import annotations

from mlm_tui.core.errors import N_plural
from mlm_tui.i18n import N_

WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
PLURAL_WORDS = (N_plural("expected %s argument", "expected %s arguments"),)


def speak_argparse() -> None:
    """argparse's texts from now on in the language ``i18n.install`` chose (they are
    looked up when printed, so a later ``install`` counts too)."""
    import argparse

    from mlm_tui import i18n

    setattr(argparse, "_", i18n._)  # noqa: B010 - argparse's module global, not an attribute
    setattr(argparse, "ngettext", i18n.ngettext)  # noqa: B010
