"""`flowsery-goal`: validate and send goal events headless, for QA scripts and CI.

Also the window's keys, profiles and history from a terminal. One module per command
(`validate`, `send` with `target`, `key`, `profile`, `history`), the shared helpers in
`common` and the whole command line in `parser`. No Qt here, even indirectly; `requests`,
`keyring` and `sqlite3` are imported only by the commands that use them, so that `validate`
starts fast. Each subcommand is one small function taking the parsed arguments and
returning an exit code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flowsery_gui.lazy import lazy_names

if TYPE_CHECKING:
    from flowsery_gui.cli.common import (
        API_KEY_ENV,
        BASE_URL_ENV,
        CUSTOM_PROFILE,
        EXIT_FAILED,
        EXIT_KEYRING,
        EXIT_NO_RESPONSE,
        EXIT_OK,
        EXIT_USAGE,
        MAX_INPUT_BYTES,
        MAX_TIMEOUT_S,
        PROFILE_ENV,
        PROG,
    )
    from flowsery_gui.cli.history import record_exchange
    from flowsery_gui.cli.parser import build_parser, main
    from flowsery_gui.cli.target import Target, resolve_api_key, resolve_target

#: Where each public name lives. They load on first use (PEP 562), so that importing one
#: small module of this package (the window's `--help` uses `helptext` and
#: `argparse_words`) does not import the whole command line.
_HOMES = {
    "common": (
        "API_KEY_ENV",
        "BASE_URL_ENV",
        "CUSTOM_PROFILE",
        "EXIT_FAILED",
        "EXIT_KEYRING",
        "EXIT_NO_RESPONSE",
        "EXIT_OK",
        "EXIT_USAGE",
        "MAX_INPUT_BYTES",
        "MAX_TIMEOUT_S",
        "PROFILE_ENV",
        "PROG",
    ),
    "history": ("record_exchange",),
    "parser": ("build_parser", "main"),
    "target": ("Target", "resolve_api_key", "resolve_target"),
}
__getattr__ = lazy_names(__name__, _HOMES)

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "CUSTOM_PROFILE",
    "EXIT_FAILED",
    "EXIT_KEYRING",
    "EXIT_NO_RESPONSE",
    "EXIT_OK",
    "EXIT_USAGE",
    "MAX_INPUT_BYTES",
    "MAX_TIMEOUT_S",
    "PROFILE_ENV",
    "PROG",
    "Target",
    "build_parser",
    "main",
    "record_exchange",
    "resolve_api_key",
    "resolve_target",
]
