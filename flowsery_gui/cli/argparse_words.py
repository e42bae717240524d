"""argparse's own words ("usage:", "options:", "error:") in the user's language.

argparse marks its strings for gettext in the `messages` domain, for which Python ships
no translations: left alone, a German `--help` would start with "usage:" and say
"show this help message and exit". So its user-facing msgids (Python 3.11's, spelled
exactly as argparse spells them) are in this app's catalogue too, and `install()` points
argparse's module-level `_` and `ngettext` at the app's lookups when a command line starts
in a language other than English. In English nothing is installed or loaded.
"""

from __future__ import annotations

from flowsery_gui.i18n import N_, SOURCE_LANGUAGE, _, current_language, ngettext

#: argparse's user-facing messages (Python 3.11), for extraction. %-placeholders are
#: argparse's own: a translation keeps them exactly.
ARGPARSE_MESSAGES = (
    # Translators: argparse's heading of the usage line; keep the trailing space.
    N_("usage: "),
    # Translators: argparse's heading of the positional arguments in --help.
    N_("positional arguments"),
    # Translators: argparse's heading of the options in --help.
    N_("options"),
    N_("show this help message and exit"),
    # Translators: argparse's error line; keep the line break at the end.
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ignored explicit argument %r"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _plural(singular: str, plural: str, n: int) -> str:
    """argparse's `ngettext("expected %s argument", "expected %s arguments", n)`."""
    if singular == "expected %s argument":
        return ngettext("expected %s argument", "expected %s arguments", n)
    return singular if n == 1 else plural  # argparse's errors in a program, not a user's


def _lookup(message: str | None) -> str | None:
    """argparse's `_()`: it also passes None (a subparsers group without a description)."""
    return message if message is None else _(message)


def install() -> bool:
    """Make argparse speak the active language; True when it was needed (not English)."""
    if current_language() == SOURCE_LANGUAGE:
        return False
    import argparse

    argparse._ = _lookup  # type: ignore[attr-defined]
    argparse.ngettext = _plural  # type: ignore[attr-defined]
    return True
