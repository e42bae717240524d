"""`flowsery-goal`: validate and send goal events headless, for QA scripts and CI.

No Qt here, even indirectly; `requests` is imported only on the send path so that
`validate` starts fast. Each subcommand is one small function taking the parsed
arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from flowsery_gui import version
from flowsery_gui.contract import (
    DEFAULT_BASE_URL,
    GOALS_PATH,
    Draft,
    Finding,
    NotJSON,
    Report,
    check_api_key,
    check_body_text,
    check_draft,
)

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange

PROG = "flowsery-goal"
API_KEY_ENV = "FLOWSERY_API_KEY"
BASE_URL_ENV = "FLOWSERY_BASE_URL"

EXIT_OK = 0
EXIT_FAILED = 1  # validation errors, or the server answered with an error status
EXIT_USAGE = 2  # bad arguments or input, missing key, refused to send
EXIT_NO_RESPONSE = 3  # the request went out (or tried to) but no response came back

DESCRIPTION = """\
Validate and send Flowsery custom goal events from a terminal or a CI job.

  validate  checks a JSON goal body against the API rules, offline; nothing is sent.
  send      builds a goal from options (or a JSON file), checks it, then POSTs it to
            {base}/api/v1/goals and explains the answer in plain words.

The API key is read from the FLOWSERY_API_KEY environment variable; it is never
printed (only its last 4 characters, as …abcd)."""

EPILOG = f"""\
examples:
  {PROG} validate goal.json
  echo '{{"name": "signup"}}' | {PROG} validate
  export FLOWSERY_API_KEY=flow_sk_...
  {PROG} send --name newsletter_signup --meta plan=pro --meta source=footer
  {PROG} send --json goal.json --base-url http://127.0.0.1:8765 --verbose

environment:
  FLOWSERY_API_KEY   the API key to send (required by send)
  FLOWSERY_BASE_URL  the server to send to (default {DEFAULT_BASE_URL})

exit codes:
  0  valid body / the server accepted the request (2xx)
  1  the body has errors (validate) / the server answered with an error status (send)
  2  usage error, unreadable or non-JSON input, invalid goal, no API key, or the app
     refused to send (for example a key over plain http:// to a remote host)
  3  no response: DNS, refused connection, timeout, TLS or dropped connection"""


def _positive_float(text: str) -> float:
    """argparse type: a number of seconds greater than zero."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a positive number of seconds: {text!r}")
    return value


def _meta_pair(text: str) -> tuple[str, str]:
    """argparse type: one KEY=VALUE metadata pair (the value may contain '=')."""
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


class _VersionAction(argparse.Action):
    """`--version`, reading the package metadata only when asked (it costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(f"{PROG} {version()}")
        parser.exit()


def _print_findings(findings: Sequence[Finding], out: TextIO) -> None:
    """One line per finding, `severity path: message`, and its fix indented below."""
    for finding in findings:
        print(f"{finding.severity} {finding.path or '(body)'}: {finding.message}", file=out)
        if finding.fix is not None:
            print(f"  fix: {finding.fix}", file=out)


def _read_input(source: str) -> bytes:
    """The bytes of a file, or of stdin for '-'; raises OSError."""
    if source == "-":
        return sys.stdin.buffer.read()
    with open(source, "rb") as handle:
        return handle.read()


def _usage_error(command: str, message: str) -> int:
    print(f"{PROG} {command}: error: {message}", file=sys.stderr)
    return EXIT_USAGE


# --- validate -------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """Check a JSON body offline and list the findings."""
    try:
        raw = _read_input(args.file)
    except OSError as exc:
        print(f"{PROG}: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        report = check_body_text(raw)
    except NotJSON as exc:
        print(f"{PROG}: not JSON: {exc}", file=sys.stderr)
        return EXIT_USAGE
    _print_findings(report.findings, sys.stdout)
    if not report.findings:
        print("ok: valid goal body")
    return EXIT_OK if report.ok else EXIT_FAILED


# --- send -----------------------------------------------------------------------------------


def resolve_api_key(args: argparse.Namespace) -> str | None:
    """The API key to send: the environment today; a keyring lookup can slot in here."""
    key = os.environ.get(API_KEY_ENV, "")
    return key or None


def resolve_base_url(args: argparse.Namespace) -> str:
    """The base URL: --base-url, else $FLOWSERY_BASE_URL, else the production server."""
    return args.base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL


def _build_report(args: argparse.Namespace) -> Report | int:
    """The checked body from the options or --json, or an exit code on a usage problem."""
    form_options = [
        args.name is not None,
        args.visitor_uid is not None,
        args.session_uid is not None,
        args.timezone is not None,
        bool(args.meta),
    ]
    if args.json is not None:
        if any(form_options):
            return _usage_error(
                "send",
                "--json cannot be combined with --name, --visitor-uid, --session-uid, "
                "--timezone or --meta",
            )
        try:
            raw = _read_input(args.json)
        except OSError as exc:
            print(f"{PROG}: cannot read {args.json}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        try:
            return check_body_text(raw)
        except NotJSON as exc:
            print(f"{PROG}: not JSON: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.name is None:
        return _usage_error("send", "give --name NAME (or --json FILE with a whole body)")
    draft = Draft(
        name=args.name,
        visitor_uid=args.visitor_uid or "",
        session_uid=args.session_uid or "",
        timezone=args.timezone or "",
        metadata=tuple(args.meta or ()),
    )
    return check_draft(draft)


def _print_exchange(exchange: Exchange, verbose: bool) -> None:
    """The status line, the explanation and the body; the request too when verbose."""
    from flowsery_gui.explain import explain

    if verbose:
        request = exchange.request
        print(f"> {request.method} {request.url}")
        for name, value in request.headers:
            print(f"> {name}: {value}")
        if request.body is not None:
            print(">")
            print(f"> {request.body}")
        print()
    for note in exchange.notes:
        print(f"note: {note}", file=sys.stderr)
    explanation = explain(exchange)
    response = exchange.response
    if response is None:
        print(f"{explanation.title}: {explanation.message}", file=sys.stderr)
        return
    status = " ".join(part for part in (str(response.status), response.reason) if part)
    print(f"{status} · {exchange.elapsed_ms:.0f} ms")
    print(explanation.message)
    if verbose:
        for name, value in response.headers:
            print(f"< {name}: {value}")
    parsed: Any = response.json()
    if parsed is not None:
        print(json.dumps(parsed, indent=2, ensure_ascii=False))
    elif response.body:
        print(response.body)


def cmd_send(args: argparse.Namespace) -> int:
    """Check a goal, then send it and explain the answer."""
    report = _build_report(args)
    if isinstance(report, int):
        return report
    if report.errors or report.body is None:
        print("Not sent: the goal has errors.", file=sys.stderr)
        _print_findings(report.findings, sys.stderr)
        return EXIT_USAGE
    _print_findings(report.warnings, sys.stderr)

    key = resolve_api_key(args)
    if key is None:
        print(
            f"{PROG}: no API key: set the {API_KEY_ENV} environment variable to your Flowsery "
            "API key (it starts with flow_).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    _print_findings([f for f in check_api_key(key) if f.code != "key.whitespace"], sys.stderr)
    key = key.strip()

    from flowsery_gui.client import GoalsClient, check_url_safety  # imports requests

    base_url = resolve_base_url(args)
    refusal = check_url_safety(base_url.rstrip("/") + GOALS_PATH, has_key=True)
    if refusal is not None:
        print(f"{PROG}: {refusal}", file=sys.stderr)
        return EXIT_USAGE
    with GoalsClient(
        base_url, key, connect_timeout=args.connect_timeout, read_timeout=args.timeout
    ) as client:
        exchange = client.send_goal(report.body)
    _print_exchange(exchange, args.verbose)
    if exchange.response is None:
        return EXIT_NO_RESPONSE
    return EXIT_OK if exchange.ok else EXIT_FAILED


# --- the parser -----------------------------------------------------------------------------


def _add_validate(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check a JSON goal body offline",
        description="Check a JSON goal body against the API rules. Nothing is sent.",
        epilog="exit codes: 0 valid (warnings allowed), 1 errors found, 2 not JSON or unreadable",
    )
    parser.add_argument(
        "file", nargs="?", default="-", metavar="FILE", help="the JSON body; '-' reads stdin"
    )
    parser.set_defaults(handler=cmd_validate)


def _add_send(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="check and send one goal",
        description="Build a goal from the options (or take a whole body with --json), check "
        "it, and POST it. Nothing is sent when the goal has errors.",
        epilog=f"The key comes from ${API_KEY_ENV}. Exit codes: 0 accepted (2xx), 1 error "
        "status, 2 not sent (usage, invalid goal, no key, refused), 3 no response.",
    )
    goal = parser.add_argument_group("the goal")
    goal.add_argument("--name", help="goal name: a-z, 0-9, _ and -, 1 to 64 characters")
    goal.add_argument("--visitor-uid", metavar="V", help="the _fs_vid cookie value")
    goal.add_argument("--session-uid", metavar="S", help="the _fs_sid cookie value")
    goal.add_argument("--timezone", metavar="TZ", help="an IANA time zone such as Europe/Paris")
    goal.add_argument(
        "--meta",
        action="append",
        type=_meta_pair,
        metavar="KEY=VALUE",
        help="one metadata pair; repeat for more (up to 10), kept in order",
    )
    goal.add_argument(
        "--json",
        metavar="FILE",
        help="send this JSON body as is ('-' reads stdin); not with the options above",
    )
    target = parser.add_argument_group("where and how")
    target.add_argument(
        "--base-url",
        metavar="URL",
        help=f"the server (default ${BASE_URL_ENV}, else {DEFAULT_BASE_URL})",
    )
    target.add_argument(
        "--connect-timeout",
        type=_positive_float,
        default=5.0,
        metavar="S",
        help="seconds to wait for a connection (default 5)",
    )
    target.add_argument(
        "--timeout",
        type=_positive_float,
        default=30.0,
        metavar="S",
        help="seconds to wait for the answer (default 30)",
    )
    target.add_argument(
        "--verbose", "-v", action="store_true", help="also print the request as sent (key masked)"
    )
    parser.set_defaults(handler=cmd_send)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; each subcommand registers itself with one function."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    registrations: tuple[Callable[[Any], None], ...] = (_add_validate, _add_send)
    for register in registrations:
        register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")  # a non-UTF-8 console must not crash us
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        if exc.code is None:
            return EXIT_OK
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    result: int = handler(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
