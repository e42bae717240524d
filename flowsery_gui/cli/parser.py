"""The `flowsery-goal` command line as a whole: the top-level help, the parser each command
module registers into, and `main`, which turns every outcome into an exit code."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from flowsery_gui import (
    i18n,  # its formatters load when first used
    version,
)
from flowsery_gui.cli import argparse_words, helptext, history, key, profile, send, validate
from flowsery_gui.cli.common import (
    CUSTOM_PROFILE,
    EXIT_OK,
    EXIT_USAGE,
    MAX_INPUT_BYTES,
    MAX_TIMEOUT_S,
    PROG,
)
from flowsery_gui.contract import DEFAULT_BASE_URL
from flowsery_gui.i18n import N_, _, ngettext

EXIT_INTERRUPTED = 130  # as a shell reports Ctrl+C


def description() -> str:
    """The top-level help's description, in the user's language (made when help shows)."""
    commands = [
        ("validate", _("checks a JSON goal body against the API rules, offline; nothing is sent.")),
        (
            "send",
            _(
                "builds a goal from options (or a JSON file), checks it, then POSTs it to "
                "/api/v1/goals of the target you name and explains the answer in plain words. "
                "Every exchange, failures included, is added to the history the window shows."
            ),
        ),
        ("key", _("stores, shows (masked) or deletes a profile's key in the system keyring.")),
        ("profile", _("lists, adds or removes profiles (the same ones the window shows).")),
        ("history", _("prints past exchanges, newest first, as text or JSON Lines.")),
        (
            "run",
            _(
                "sends the goals of suite files (*.suite.yaml) and judges each answer; writes "
                "JUnit, HTML and JSON reports for CI."
            ),
        ),
        (
            "plan",
            _(
                "checks a tracking plan (*.plan.yaml), exports its JSON Schemas, or starts one "
                "from the goals in the history."
            ),
        ),
        (
            "verify",
            _(
                "checks every goal a sandbox received (or a HAR / JSON Lines capture holds) "
                "against the API's rules and a tracking plan."
            ),
        ),
        (
            "cleanup",
            _(
                "deletes test goals sent from this computer out of the analytics, with the "
                "fewest DELETE calls, each bounded in time, after you confirm."
            ),
        ),
    ]
    return helptext.blocks(
        helptext.paragraph(
            _("Validate and send Flowsery custom goal events from a terminal or a CI job.")
        ),
        helptext.entries(commands),
        helptext.paragraph(
            _(
                "`send` never picks a server by itself: name the target with --profile or "
                "--base-url, or with FLOWSERY_PROFILE or FLOWSERY_BASE_URL in the environment. "
                'Before sending it prints the target on stderr, such as "Sending to Production '
                '(analytics.flowsery.com)…".'
            )
        ),
        helptext.paragraph(
            _(
                "The API key comes from the FLOWSERY_API_KEY environment variable when it is "
                "set, else from the system keyring (the profile's entry). It is never printed "
                "(only its last 4 characters, as …abcd) and never written anywhere but the "
                "keyring."
            )
        ),
    )


def epilog() -> str:
    """The top-level help's examples, environment, limits and exit codes."""
    typed = _("or type it: input is hidden")
    examples = "\n".join(
        [
            f"  {PROG} validate goal.json",
            f'  echo \'{{"name": "signup"}}\' | {PROG} validate',
            "  export FLOWSERY_API_KEY=flow_sk_...",
            f"  {PROG} send --profile Production --name newsletter_signup --meta plan=pro",
            f"  {PROG} send --json goal.json --base-url http://127.0.0.1:8765 --verbose",
            f"  {PROG} profile add Staging https://staging.example.com",
            f"  {PROG} key set --profile Staging < key.txt      ({typed})",
            f"  {PROG} send --profile Staging --name signup",
            f"  {PROG} history --limit 5 --status failure",
        ]
    )
    environment = [
        ("FLOWSERY_API_KEY", _("the API key to send; wins over any key in the keyring")),
        (
            "FLOWSERY_PROFILE",
            _(
                "the profile to send with when neither --profile nor --base-url is given; "
                "FLOWSERY_PROFILE=Production sends to the vendor's API, {url}",
                url=DEFAULT_BASE_URL,
            ),
        ),
        (
            "FLOWSERY_BASE_URL",
            _(
                "the server when neither --profile nor --base-url is given; with "
                "FLOWSERY_PROFILE it replaces that profile's URL"
            ),
        ),
        (
            "FLOWSERY_GUI_DATA_DIR",
            _("where the history lives (default: the user data folder)"),
        ),
        (
            "FLOWSERY_GUI_CONFIG_DIR",
            _("where the profiles file lives (default: the user config folder)"),
        ),
    ]
    mib = MAX_INPUT_BYTES // 1024 // 1024
    exit_codes = [
        (
            "0",
            _(
                "valid body / the server accepted the request (2xx) / the key, profile or "
                "history command did its job (an empty history too)"
            ),
        ),
        (
            "1",
            _(
                "the body has errors (validate) / the server answered with an error status "
                "(send) / the profiles file could not be saved / the history could not be read"
            ),
        ),
        (
            "2",
            _(
                "usage error, no target named, unreadable, too large or non-JSON input, "
                "invalid goal, invalid base URL, no API key, unknown or built-in profile, the "
                "Sandbox profile without a base URL, or the app refused to send (for example "
                "a key over plain http:// to a remote host)"
            ),
        ),
        ("3", _("no response: DNS, refused connection, timeout, TLS or dropped connection")),
        (
            "4",
            _("the system keyring could not be used (none available, locked, prompt dismissed)"),
        ),
    ]
    return helptext.blocks(
        helptext.section(_("examples:"), examples),
        helptext.section(_("environment:"), helptext.entries(environment)),
        helptext.paragraph(
            _(
                "history: sends with a base URL and no profile are recorded under the "
                'profile name "{custom}".',
                custom=CUSTOM_PROFILE,
            )
        ),
        helptext.paragraph(
            ngettext(
                "limits: a body (file or stdin) holds at most {mib} MiB; --timeout and "
                "--connect-timeout are at most {seconds} second each.",
                "limits: a body (file or stdin) holds at most {mib} MiB; --timeout and "
                "--connect-timeout are at most {seconds} seconds each.",
                int(MAX_TIMEOUT_S),
                mib=mib,
                seconds=i18n.format_number(MAX_TIMEOUT_S),
            )
        ),
        helptext.section(_("exit codes:"), helptext.entries(exit_codes)),
    )


class _VersionAction(argparse.Action):
    """`--version`, reading the package metadata only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"{PROG} {version()}")
        parser.exit()


class _Parser(helptext.HelpParser):
    """argparse that never echoes stray words given to `key` commands: they may be a key."""

    hide_unrecognized = False

    def error(self, message: str) -> NoReturn:
        """Report a usage error; for `key`, without repeating the unrecognized words."""
        # argparse's own words, as it said them (in the user's language once installed)
        unrecognized = _("unrecognized arguments: %s").split("%s")[0]
        invalid_choice = _("invalid choice: %(value)r (choose from %(choices)s)").split("%")[0]
        if self.hide_unrecognized and message.startswith(unrecognized):
            message = _(
                "unrecognized arguments (not shown: they may hold a key). A key is never taken "
                "from the command line: give it on stdin."
            )
        elif self.hide_unrecognized and invalid_choice in message:
            message = _(
                "unknown action (not shown: it may be a key). Use set, status or delete; "
                "the key itself is read from stdin."
            )
        super().error(message)


# Commands whose modules cost real start-up time (YAML, JSON Schema, the runner): imported
# only when that command runs; otherwise a stub lists them in the top-level help.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("flowsery_gui.suites.commands", N_("send the goals of suite files and judge answers")),
    "plan": ("flowsery_gui.plan.commands", N_("check a tracking plan, export schemas, start one")),
    "verify": ("flowsery_gui.plan.commands", N_("check goals a sandbox or a capture received")),
    "cleanup": ("flowsery_gui.cleanup.commands", N_("delete test goals sent from here, exactly")),
}


def _register_lazy(subparsers: Any, command: str) -> None:
    """Register the module of `command` for real, and a help-only stub for the others."""
    real = LAZY_COMMANDS.get(command, ("", ""))[0]
    if real:
        importlib.import_module(real).register(subparsers)
    for name, (module, summary) in LAZY_COMMANDS.items():
        if module != real:
            subparsers.add_parser(name, help=_(summary), add_help=False)


def build_parser(command: str = "") -> _Parser:
    """The whole command line; each command module registers its own subcommand. `command`
    is the command word about to run: a lazily imported command is registered for real only
    then."""
    parser = _Parser(prog=PROG, description=description, epilog=epilog)
    parser.add_argument("--version", action=_VersionAction, help=_("print the version and exit"))
    subparsers = parser.add_subparsers(title=_("commands"), metavar="COMMAND")
    registrations: tuple[Callable[[Any], None], ...] = (
        validate.register,
        send.register,
        key.register,
        profile.register,
        history.register,
    )
    for register in registrations:
        register(subparsers)
    _register_lazy(subparsers, command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")  # a non-UTF-8 console must not crash us
    argparse_words.install()  # argparse's "usage:", "options:"… in the user's language
    words = list(sys.argv[1:] if argv is None else argv)
    command = next((w for w in words if not w.startswith("-")), "")
    parser = build_parser(command)
    # Every parser of this run (the `key` subparser reports its own errors) hides stray words.
    _Parser.hide_unrecognized = command == "key"
    try:
        args = parser.parse_args(words)
    except SystemExit as exc:  # --help, --version and usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    finally:
        _Parser.hide_unrecognized = False
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        result: int = handler(args)
    except KeyboardInterrupt:
        said = _(
            "{prog}: interrupted. If a goal was already on its way, the server may have "
            "recorded it: check there before sending it again.",
            prog=PROG,
        )
        print(f"\n{said}", file=sys.stderr)
        return EXIT_INTERRUPTED
    return result
