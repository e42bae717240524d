"""`flowsery-goal send`: check one goal, name the target, send it, explain the answer and
record the exchange in history."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui.cli.common import (
    API_KEY_ENV,
    BASE_URL_ENV,
    CUSTOM_PROFILE,
    EXIT_FAILED,
    EXIT_NO_RESPONSE,
    EXIT_OK,
    EXIT_USAGE,
    MAX_INPUT_BYTES,
    MAX_TIMEOUT_S,
    PROFILE_ENV,
    meta_pair,
    one_line,
    print_findings,
    printable,
    read_body,
    seconds,
    usage_error,
)
from flowsery_gui.cli.history import record_exchange
from flowsery_gui.cli.target import resolve_api_key, resolve_target
from flowsery_gui.contract import Draft, Report, check_api_key, check_draft
from flowsery_gui.exchange import mask_key

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange

_FORM_OPTIONS = ("name", "visitor_uid", "session_uid", "timezone", "meta")


def _read_goal(args: argparse.Namespace) -> Report | int:
    """The checked body from the options or --json, or an exit code on a usage problem."""
    if args.json is not None:
        if any(getattr(args, option) is not None for option in _FORM_OPTIONS):
            return usage_error(
                "send",
                "--json cannot be combined with --name, --visitor-uid, --session-uid, "
                "--timezone or --meta",
            )
        return read_body(args.json, "send")
    if args.name is None:
        return usage_error("send", "give --name NAME (or --json FILE with a whole body)")
    draft = Draft(
        name=args.name,
        visitor_uid=args.visitor_uid or "",
        session_uid=args.session_uid or "",
        timezone=args.timezone or "",
        metadata=tuple(args.meta or ()),
    )
    return check_draft(draft)


def _unsendable_key(key: str) -> bool:
    """True for a key no HTTP header can carry as is: spaces, line breaks, control or
    non-ASCII characters inside it (a real key has none)."""
    return not (key.isascii() and key.isprintable()) or any(ch.isspace() for ch in key)


def _print_exchange(exchange: Exchange, verbose: bool, key: str) -> None:
    """The status line, the explanation and the body; the request too when verbose. Server
    text is printed as text: control characters are shown as escapes, and the key masked
    also where the server echoed it with JSON escapes (decoded here before printing)."""
    from flowsery_gui.explain import explain

    def shown(text: str) -> str:
        return printable(text.replace(key, mask_key(key)) if len(key) >= 8 else text)

    if verbose:
        request = exchange.request
        print(one_line(f"> {request.method} {request.url}"))
        for name, value in request.headers:
            print(one_line(f"> {name}: {value}"))
        if request.body is not None:
            print(">")
            print(one_line(f"> {request.body}"))
        print()
    for note in exchange.notes:
        print(one_line(f"note: {note}"), file=sys.stderr)
    explanation = explain(exchange)
    response = exchange.response
    if response is None:
        message = explanation.message
        if not message.startswith(explanation.title):  # "Not sent: Not sent: …" reads badly
            message = f"{explanation.title}: {message}"
        print(shown(message), file=sys.stderr)
        return
    status = " ".join(part for part in (str(response.status), response.reason) if part)
    print(one_line(f"{status} · {exchange.elapsed_ms:.0f} ms"))
    print(shown(explanation.message))
    if verbose:
        for name, value in response.headers:
            print(one_line(f"< {name}: {value}"))
    parsed: Any = response.json()
    if parsed is not None:
        print(shown(json.dumps(parsed, indent=2, ensure_ascii=False)))
    elif response.body:
        print(shown(response.body))


def _exit_code(exchange: Exchange) -> int:
    """0 for 2xx, 1 for another status, 2 when the app refused to send, 3 for no response."""
    from flowsery_gui.exchange import FailureKind

    if exchange.response is not None:
        return EXIT_OK if exchange.ok else EXIT_FAILED
    refused = (FailureKind.REFUSED_BY_APP, FailureKind.INVALID_URL)
    if exchange.failure is not None and exchange.failure.kind in refused:
        return EXIT_USAGE
    return EXIT_NO_RESPONSE


def cmd_send(args: argparse.Namespace) -> int:
    """Check a goal, name the target, then send it and explain the answer."""
    report = _read_goal(args)
    if isinstance(report, int):
        return report
    if report.errors or report.body is None:
        print("Not sent: the goal has errors.", file=sys.stderr)
        print_findings(report.findings, sys.stderr)
        return EXIT_USAGE
    print_findings(report.warnings, sys.stderr)

    target = resolve_target(args)
    if isinstance(target, int):
        return target
    resolved = resolve_api_key(target)
    if isinstance(resolved, int):
        return resolved
    key, key_from = resolved
    print_findings([f for f in check_api_key(key) if f.code != "key.whitespace"], sys.stderr)
    key = key.strip()
    if _unsendable_key(key):
        return usage_error(
            "send",
            f"the API key from {key_from} contains a space, line break, control character or "
            "non-ASCII character, so it cannot be sent. Copy the key again without them.",
        )

    from flowsery_gui.client import GoalsClient  # imports requests

    print(target.announcement(), file=sys.stderr)
    with GoalsClient(
        target.base_url, key, connect_timeout=args.connect_timeout, read_timeout=args.timeout
    ) as client:
        exchange = client.send_goal(report.body)
    _print_exchange(exchange, args.verbose, key)
    record_exchange(exchange, target.profile, report.body, key)
    return _exit_code(exchange)


def register(subparsers: Any) -> None:
    """Add `send` to the command line."""
    parser = subparsers.add_parser(
        "send",
        help="check and send one goal",
        description="Build a goal from the options (or take a whole body with --json), check "
        "it, and POST it to the target you name. Nothing is sent when the goal has errors. "
        "Before sending, a line on stderr names the target, such as `Sending to Production "
        "(analytics.flowsery.com)…`.",
        epilog="The target must be named: --profile and/or --base-url on the command line, "
        f"else ${PROFILE_ENV} and/or ${BASE_URL_ENV} in the environment (the command line wins "
        "as a whole; a base URL wins over the profile's URL). With none of them nothing is "
        f"sent (exit 2): Production only with --profile Production or {PROFILE_ENV}="
        f"Production. The key comes from ${API_KEY_ENV} when set, else from the profile's "
        "keyring entry (none with a base URL alone). Every exchange is added to the history "
        f"(a base URL alone: under the profile {CUSTOM_PROFILE!r}). Exit codes: 0 accepted "
        "(2xx), 1 error status, 2 not sent (usage, no target, invalid goal or URL, no key, "
        "unknown profile, refused), 3 no response, 4 keyring unavailable.",
    )
    goal = parser.add_argument_group("the goal")
    goal.add_argument("--name", help="goal name: a-z, 0-9, _ and -, 1 to 64 characters")
    goal.add_argument("--visitor-uid", metavar="V", help="the _fs_vid cookie value")
    goal.add_argument("--session-uid", metavar="S", help="the _fs_sid cookie value")
    goal.add_argument("--timezone", metavar="TZ", help="an IANA time zone such as Europe/Paris")
    goal.add_argument(
        "--meta",
        action="append",
        type=meta_pair,
        metavar="KEY=VALUE",
        help="one metadata pair; repeat for more (up to 10), kept in order",
    )
    goal.add_argument(
        "--json",
        metavar="FILE",
        help="send this JSON body as is ('-' reads stdin; at most "
        f"{MAX_INPUT_BYTES // 1024 // 1024} MiB); not with the options above",
    )
    target = parser.add_argument_group("where and how")
    target.add_argument(
        "--profile",
        metavar="NAME",
        help="send with this profile's base URL and its key from the keyring (see `profile "
        f"list`); ${PROFILE_ENV} when neither --profile nor --base-url is given",
    )
    target.add_argument(
        "--base-url",
        metavar="URL",
        help="the server, http(s)://host[:port]; wins over the profile's URL; "
        f"${BASE_URL_ENV} when neither --profile nor --base-url is given",
    )
    target.add_argument(
        "--connect-timeout",
        type=seconds,
        default=5.0,
        metavar="S",
        help=f"seconds to wait for a connection (default 5, at most {MAX_TIMEOUT_S:g})",
    )
    target.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="S",
        help=f"seconds to wait for the answer (default 30, at most {MAX_TIMEOUT_S:g})",
    )
    target.add_argument(
        "--verbose", "-v", action="store_true", help="also print the request as sent (key masked)"
    )
    parser.set_defaults(handler=cmd_send)
