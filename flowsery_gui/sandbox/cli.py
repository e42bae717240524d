"""`flowsery-sandbox`: run the local sandbox in the foreground until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import TYPE_CHECKING

from flowsery_gui import version
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.sandbox.cli_help import POLL_SECONDS, sandbox_epilog
from flowsery_gui.sandbox.server import (
    DEFAULT_TIMEZONE,
    ERROR_SHAPES,
    SandboxServer,
)
from flowsery_gui.sandbox.wire import (
    DEFAULT_REQUEST_DEADLINE,
)

if TYPE_CHECKING:
    from flowsery_gui.plan import LivePlan

EXIT_BAD_PLAN = 2  # as argparse's usage errors
MAX_PLAN_PROBLEMS_SHOWN = 20


def build_parser() -> argparse.ArgumentParser:
    """The command line, with the routes and fault tokens in its --help."""
    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()  # argparse's "usage:", "options:"… in the user's language
    parser = helptext.HelpParser(
        prog="flowsery-sandbox",
        description=_(
            "Run the Flowsery Goal Tester's local sandbox: a real HTTP server on loopback that "
            "implements the goals API contract, for offline use, demos and QA, and collects "
            "every request it receives (point a backend under test at it). Prints its URL (and "
            "a generated key); stop it with Ctrl+C."
        ),
        epilog=sandbox_epilog,
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help=_(
            "address to listen on (127.0.0.1); another than loopback (0.0.0.0 for a backend in "
            "a container) makes it reachable from the network, and then every route needs the "
            "key"
        ),
    )
    parser.add_argument("--port", type=int, default=0, help=_("port; 0 picks a free one (0)"))
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help=_(
            "the key clients must send (must start with flow_; printable ASCII, no spaces or "
            "control characters); default: a new random key, printed at start-up"
        ),
    )
    parser.add_argument(
        "--error-shape",
        choices=ERROR_SHAPES,
        default="envelope",
        help=_("shape of error bodies (envelope)"),
    )
    parser.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=_("the site timezone /api/v1/metadata reports ({zone})", zone=DEFAULT_TIMEZONE),
    )
    parser.add_argument(
        "--request-deadline",
        type=float,
        default=DEFAULT_REQUEST_DEADLINE,
        metavar="SECONDS",
        help=_(
            "how long one request (headers and body) may take from its first byte; a slower "
            "client is disconnected ({default})",
            default=format(DEFAULT_REQUEST_DEADLINE, "g"),
        ),
    )
    parser.add_argument(
        "--clock-skew",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help=_(
            "for tests: run the sandbox clock this many seconds off (negative: behind); it "
            "moves the receivedAt times it stores (and the collector's times), which DELETE's "
            "startAt/endAt are compared with (0)"
        ),
    )
    parser.add_argument(
        "--plan",
        metavar="FILE",
        help=_(
            "also check each received goal against this tracking plan (*.plan.yaml); reloaded "
            "when the file changes (see 'tracking plan' below)"
        ),
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help=_("do not log requests to stderr (plan reloads are still reported)"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {version()}",
        help=_("print the version and exit"),
    )
    return parser


def _option_message(text: str) -> str:
    """A SandboxServer refusal in the command line's words (`clock_skew` → `--clock-skew`)."""
    for name in ("clock_skew", "request_deadline", "request_timeout"):
        text = text.replace(name, "--" + name.replace("_", "-"))
    return "--api-key: " + text if text.startswith("The key ") else text


def _printable(text: str) -> str:
    """Text from a file (a plan's name, its problems) with control characters escaped."""
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


def _say(line: str) -> None:
    said = _("{prog}: {message}", prog="flowsery-sandbox", message=_printable(line))
    print(said, file=sys.stderr, flush=True)


def _load_plan(path: str) -> LivePlan | int:
    """The plan --plan names, kept current with its file; exit 2 after naming each problem
    (file, line, key) of a plan that cannot be used."""
    from flowsery_gui.plan import LivePlan, PlanError

    try:
        return LivePlan(path)
    except PlanError as exc:
        problems = exc.problems
        if len(problems) == 1:
            _say(_("--plan: {problem}", problem=problems[0]))
            return EXIT_BAD_PLAN
        _say(
            ngettext(
                "--plan: the plan {file} cannot be used ({count} problem):",
                "--plan: the plan {file} cannot be used ({count} problems):",
                len(problems),
                file=exc.file,
                count=format_number(len(problems)),
            )
        )
        for problem in problems[:MAX_PLAN_PROBLEMS_SHOWN]:
            print("  " + _printable(str(problem)), file=sys.stderr)
        if len(problems) > MAX_PLAN_PROBLEMS_SHOWN:
            hidden = len(problems) - MAX_PLAN_PROBLEMS_SHOWN
            more = ngettext(
                "… and {count} more: `{command}` lists them all.",
                "… and {count} more: `{command}` lists them all.",
                hidden,
                count=format_number(hidden),
                command="flowsery-goal plan check",
            )
            print("  " + more, file=sys.stderr)
        return EXIT_BAD_PLAN


def _follow(plan: LivePlan) -> None:
    """Look at the plan file once; say on stderr what became of it, if anything."""
    event = plan.poll()
    if event is None:
        return
    _say(event.lines[0])
    for line in event.lines[1:]:
        print("  " + _printable(line), file=sys.stderr, flush=True)


def start_line(url: str, network: bool, plan: LivePlan | None) -> str:
    """The line printed at start-up: where the sandbox listens, and the plan it checks."""
    if network:
        line = _(
            "Flowsery sandbox listening on {url} (reachable from the network: every route, "
            "/sandbox/* included, needs the key)",
            url=url,
        )
    else:
        line = _("Flowsery sandbox listening on {url}", url=url)
    if plan is not None:
        checks = _("checks goals against the plan {plan}", plan=plan.describe())
        line += " · " + _printable(checks)
    return line


def main(argv: Sequence[str] | None = None) -> int:
    """Start the sandbox, print its URL (and key), serve until SIGINT/SIGTERM; exit 0."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error(_("--port must be between 0 and 65535"))
    plan: LivePlan | None = None
    if args.plan is not None:
        loaded = _load_plan(args.plan)
        if isinstance(loaded, int):
            return loaded
        plan = loaded
    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            error_shape=args.error_shape,
            timezone=args.timezone,
            request_deadline=args.request_deadline,
            clock_skew=args.clock_skew,
            quiet=args.quiet,
            checker=plan,
        )
        server.start()
    except ValueError as exc:
        parser.error(_option_message(str(exc)))
    except OSError as exc:
        said = _(
            "flowsery-sandbox: cannot listen on {address}: {reason}",
            address=args.host + ":" + str(args.port),
            reason=exc,
        )
        print(said, file=sys.stderr)
        return 1

    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop_requested.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(start_line(server.url, server.network, plan), flush=True)
        if args.api_key is None:
            print(_("API key: {key}", key=server.api_key), flush=True)
        if server.clock_skew:
            _say(
                _(
                    "the sandbox clock runs {offset} s off (--clock-skew, for tests).",
                    offset=format(server.clock_skew, "+g"),
                )
            )
        while not stop_requested.wait(POLL_SECONDS):
            if plan is not None:
                _follow(plan)
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
