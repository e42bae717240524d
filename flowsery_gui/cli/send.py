"""`flowsery-goal send`: check one goal, name the target, send it, explain the answer and
record the exchange in history.

What a named profile adds (its test IDs, the warning before Production) is in
`send_profile`, and what --plan adds in `plan_option`.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui import i18n  # its formatters load when first used
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
    UNREADABLE_JSON,
    body_in_text,
    fail,
    meta_pair,
    not_json,
    one_line,
    print_findings,
    printable,
    read_bounded,
    seconds,
    usage_error,
)
from flowsery_gui.cli.history import record_exchange
from flowsery_gui.cli.plan_option import add_plan_options, load_plan_option, plan_verdict
from flowsery_gui.cli.target import Target, no_key, resolve_api_key, resolve_target
from flowsery_gui.contract import Draft, check_api_key
from flowsery_gui.i18n import _, sentences
from flowsery_gui.masking import scrub

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.sending import GoalInput, Refusal, ResolvedKey

_FORM_OPTIONS = ("name", "visitor_uid", "session_uid", "timezone", "meta")


def _goal_input(args: argparse.Namespace) -> GoalInput | int:
    """The goal from the options (a draft) or --json (the body, or the JSON object inside a
    pasted log line, read with a bound), or an exit code on a usage problem. Judging it is
    the send pipeline's job."""
    from flowsery_gui.sending import RawBody

    if args.json is not None:
        if any(getattr(args, option) is not None for option in _FORM_OPTIONS):
            return usage_error(
                "send",
                _(
                    "--json cannot be combined with --name, --visitor-uid, --session-uid, "
                    "--timezone or --meta"
                ),
            )
        raw = read_bounded(args.json, "send")
        if isinstance(raw, int):
            return raw
        try:
            return RawBody(body_in_text(raw)[1])
        except (ValueError, RecursionError):  # not JSON: the planner refuses it in its words
            return RawBody(raw)
    if args.name is None:
        return usage_error("send", _("give --name NAME (or --json FILE with a whole body)"))
    return Draft(
        name=args.name,
        visitor_uid=args.visitor_uid or "",
        session_uid=args.session_uid or "",
        timezone=args.timezone or "",
        metadata=tuple(args.meta or ()),
    )


def _print_exchange(exchange: Exchange, verbose: bool, key: str) -> None:
    """The status line, the explanation and the body; the request too when verbose. Server
    text is printed as text: control characters are shown as escapes, and the key masked
    also where the server echoed it with JSON escapes (decoded here before printing)."""
    from flowsery_gui.explain import explain

    def shown(text: str) -> str:
        return printable(scrub(text, (key,)))

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
        print(one_line(_("note: {note}", note=note)), file=sys.stderr)
    explanation = explain(exchange)
    response = exchange.response
    if response is None:
        message = explanation.message
        if not message.startswith(explanation.title):  # "Not sent: Not sent: …" reads badly
            message = _("{title}: {message}", title=explanation.title, message=message)
        print(shown(message), file=sys.stderr)
        return
    status = " ".join(part for part in (str(response.status), response.reason) if part)
    print(one_line(f"{status} · {i18n.format_duration(exchange.elapsed_ms)}"))
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


def _refused(refusal: Refusal, target: Target, resolved: ResolvedKey) -> int:
    """Say why the pipeline would not send, with the findings or the way to a key; exit 2
    (4 when the keyring could not be asked)."""
    from flowsery_gui.sending import RefusalCode

    if refusal.code is RefusalCode.MISSING_KEY:
        return no_key(target, resolved)
    message = refusal.message
    if refusal.code is RefusalCode.INVALID_KEY:
        message = sentences(message, _("(The key came {where}.)", where=resolved.describe()))
    fail(one_line(message))
    print_findings(refusal.findings, sys.stderr)
    return EXIT_USAGE


def fault_spec(text: str) -> str:
    """argparse type: an X-Sandbox-Fault value, read by the sandbox's own parser so that a
    typo is a usage error here rather than a 400 from the sandbox."""
    from flowsery_gui.sandbox.faults import FaultError, parse_faults

    if not any(token.strip() for token in text.split(",")):
        raise argparse.ArgumentTypeError(_("give at least one fault token, such as status=500"))
    try:
        parse_faults(text)
    except FaultError as exc:
        raise argparse.ArgumentTypeError(one_line(str(exc))) from None
    return text.strip()


def _fault_refused(target: Target) -> int | None:
    """Exit 2 when a fault is asked of a target that is not on this computer (a remote
    server, the real API): faults are for a sandbox the user started."""
    from urllib.parse import urlsplit

    from flowsery_gui.netsafety import is_loopback_host

    if is_loopback_host(urlsplit(target.base_url).hostname or ""):
        return None
    return usage_error(
        "send",
        one_line(
            _(
                "--sandbox-fault only goes to a sandbox on this computer (127.0.0.1, ::1 or "
                "localhost), not to {profile} ({host}). Nothing was sent.",
                profile=target.profile,
                host=target.host,
            )
        ),
    )


def cmd_send(args: argparse.Namespace) -> int:
    """Plan the goal for the named target through the send pipeline, check it against the
    tracking plan when one is given, name the target, send exactly the planned request,
    explain the answer and record it."""
    goal = _goal_input(args)
    if isinstance(goal, int):
        return goal
    tracking = load_plan_option(args, "send")
    if isinstance(tracking, int):
        return tracking
    target = resolve_target(args)
    if isinstance(target, int):
        return target
    if args.sandbox_fault is not None:
        refused = _fault_refused(target)
        if refused is not None:
            return refused
    from flowsery_gui import sending

    if target.profile != CUSTOM_PROFILE:  # a base URL alone has no test identity: no import
        from flowsery_gui.cli.send_profile import with_test_identity

        goal = with_test_identity(goal, target, use=not args.no_test_ids)
    resolved = resolve_api_key(target)
    # Naming the target is the terminal's confirmation: Production is only reached when
    # --profile or $FLOWSERY_PROFILE says so (resolve_target refuses a target left unnamed).
    options = sending.SendOptions(production_confirmed=True, fault=args.sandbox_fault or "")
    try:
        plan = sending.plan_goal(target.for_sending(), goal, resolved, options)
    except (ValueError, RecursionError):  # the reader's NotJSON becomes a refusal; not these
        fail(not_json(_(UNREADABLE_JSON)))
        return EXIT_USAGE
    if isinstance(plan, sending.Refusal):
        return _refused(plan, target, resolved)
    key = resolved.key or ""
    if plan.report is not None:
        print_findings(plan.report.warnings, sys.stderr)
    if tracking is not None:
        refused = plan_verdict(tracking, plan, args.strict_plan)
        if refused is not None:
            return refused
    if target.kind == "production":  # the personal-data warning: for Production alone
        from flowsery_gui.cli.send_profile import personal_warning

        personal_warning(plan, tracking)
    print_findings(check_api_key(key), sys.stderr)

    print(target.announcement(), file=sys.stderr)
    if options.fault:
        asking = _("note: asking the sandbox for the fault {fault}.", fault=options.fault)
        print(one_line(asking), file=sys.stderr)
    exchange = sending.send(
        plan, key, connect_timeout=args.connect_timeout, read_timeout=args.timeout
    )
    _print_exchange(exchange, args.verbose, key)
    record_exchange(exchange, plan.target.profile, plan.goal or {}, key)
    return _exit_code(exchange)


def register(subparsers: Any) -> None:
    """Add `send` to the command line."""
    parser = subparsers.add_parser(
        "send",
        help=_("check and send one goal"),
        description=_(
            "Build a goal from the options (or take a whole body with --json), check it, and "
            "POST it to the target you name. Nothing is sent when the goal has errors. Before "
            "sending, a line on stderr names the target, such as `{example}`.",
            example=_(
                "Sending to {profile} ({host})…",
                profile="Production",
                host="analytics.flowsery.com",
            ),
        ),
        epilog=_(
            "The target must be named: --profile and/or --base-url on the command line, else "
            "${profile_env} and/or ${url_env} in the environment (the command line wins as a "
            "whole; a base URL wins over the profile's URL). With none of them nothing is sent "
            "(exit 2): Production only with --profile Production or {profile_env}=Production. "
            "The key comes from ${key_env} when set, else from the profile's keyring entry "
            "(none with a base URL alone). Every exchange is added to the history (a base URL "
            "alone: under the profile '{custom}'). Exit codes: 0 accepted (2xx), 1 error "
            "status, 2 not sent (usage, no target, invalid goal or URL, no key, unknown "
            "profile, refused, a --plan that cannot be used, a plan violation with "
            "--strict-plan, a --sandbox-fault the sandbox would not understand or for a "
            "target that is not on this computer), 3 no response, 4 keyring unavailable.",
            profile_env=PROFILE_ENV,
            url_env=BASE_URL_ENV,
            key_env=API_KEY_ENV,
            custom=CUSTOM_PROFILE,
        ),
    )
    goal = parser.add_argument_group(_("the goal"))
    goal.add_argument("--name", help=_("goal name: a-z, 0-9, _ and -, 1 to 64 characters"))
    goal.add_argument("--visitor-uid", metavar="V", help=_("the _fs_vid cookie value"))
    goal.add_argument("--session-uid", metavar="S", help=_("the _fs_sid cookie value"))
    goal.add_argument("--timezone", metavar="TZ", help=_("an IANA time zone such as Europe/Paris"))
    goal.add_argument(
        "--meta",
        action="append",
        type=meta_pair,
        metavar="KEY=VALUE",
        help=_("one metadata pair; repeat for more (up to 10), kept in order"),
    )
    goal.add_argument(
        "--no-test-ids",
        action="store_true",
        help=_(
            "send empty visitor and session IDs as they are, without the profile's test IDs "
            "(`profile set NAME --test-visitor ID`)"
        ),
    )
    goal.add_argument(
        "--json",
        metavar="FILE",
        help=_(
            "send this JSON body as is, or the JSON object in a pasted log line ('-' reads "
            "stdin; at most {mib} MiB); not with the options above",
            mib=MAX_INPUT_BYTES // 1024 // 1024,
        ),
    )
    target = parser.add_argument_group(_("where and how"))
    limit = f"{MAX_TIMEOUT_S:g}"  # 600: the same in every language
    target.add_argument(
        "--profile",
        metavar="NAME",
        help=_(
            "send with this profile's base URL and its key from the keyring (see `profile "
            "list`); ${variable} when neither --profile nor --base-url is given",
            variable=PROFILE_ENV,
        ),
    )
    target.add_argument(
        "--base-url",
        metavar="URL",
        help=_(
            "the server, http(s)://host[:port]; wins over the profile's URL; ${variable} "
            "when neither --profile nor --base-url is given",
            variable=BASE_URL_ENV,
        ),
    )
    target.add_argument(
        "--connect-timeout",
        type=seconds,
        default=5.0,
        metavar="S",
        help=_(
            "seconds to wait for a connection (default 5, at most {limit})",
            limit=limit,
        ),
    )
    target.add_argument(
        "--timeout",
        type=seconds,
        default=30.0,
        metavar="S",
        help=_(
            "seconds to wait for the answer (default 30, at most {limit})",
            limit=limit,
        ),
    )
    target.add_argument(
        "--sandbox-fault",
        type=fault_spec,
        metavar="SPEC",
        help=_(
            "ask a flowsery-sandbox on this computer for a fault (the X-Sandbox-Fault header, "
            "such as status=500, delay=2,garbage or drop; `flowsery-sandbox --help` lists "
            "them); refused for a target that is not a loopback host"
        ),
    )
    target.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help=_("also print the request as sent (key masked)"),
    )
    add_plan_options(parser, _("nothing is sent (exit 2)"))
    parser.set_defaults(handler=cmd_send)
