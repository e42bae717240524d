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
from flowsery_gui.sandbox.server import (
    DEFAULT_TIMEZONE,
    ERROR_SHAPES,
    FAULT_HEADER,
    MAX_BODY_BYTES,
    SandboxServer,
)
from flowsery_gui.sandbox.wire import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_REQUEST_DEADLINE,
    MAX_PAGE_SIZE,
    MAX_STORED_CHARS,
    MAX_STORED_REQUESTS,
)

if TYPE_CHECKING:
    from flowsery_gui.plan import LivePlan

EXIT_BAD_PLAN = 2  # as argparse's usage errors
POLL_SECONDS = 0.2  # how often the loop looks for a signal and at the plan file
MAX_PLAN_PROBLEMS_SHOWN = 20

EPILOG = f"""\
routes:
  POST   /api/v1/goals        create a goal (the contract's validation; HTML stripped
                              from stored metadata values)
  GET    /api/v1/metadata     the website this key belongs to
  DELETE /api/v1/goals        ?name=&visitorId=&startAt=&endAt= (ISO 8601), 400 with no filter
  GET    /sandbox/goals       stored goals, oldest first, as a JSON array; pages with
                              ?after=ID&limit=N (N from 1 to {MAX_PAGE_SIZE},
                              default {DEFAULT_PAGE_SIZE}); when more follow, the
                              X-Sandbox-Next: ID and Link rel="next" headers say so;
                              X-Sandbox-Stored and X-Sandbox-Dropped count them
  DELETE /sandbox/goals       forget every stored goal
  GET    /sandbox/requests    every request received (accepted or not), oldest first:
                              ?after=ID&since=ISO&limit=N answers {{"requests": [...],
                              "next": ID or null, "stored": N, "dropped": N, "busy": N}}
  POST   /sandbox/reset       forget stored goals and received requests

the collector: each request (but the /sandbox/goals, /sandbox/requests and /sandbox/reset
calls themselves) is kept with its method, path, query, headers (the key masked as …abcd),
body, answer, time, client address, any fault, and for a goal its verdict: the API rules'
findings (path, code, severity, message). A DELETE's record lists the goals it removed.
At most {MAX_STORED_REQUESTS:,} requests or {MAX_STORED_CHARS // 1_000_000} MB of text are kept
(goals likewise); the oldest go first and "dropped" counts them. Connections refused
with 503 because every slot was busy are counted as "busy" (their requests were not read).

access: on loopback (the default) the /sandbox routes need no key, and a request whose
Host header names another computer gets 421 (a web page cannot read the sandbox through
DNS rebinding). --host with another address listens on the network: the start line says so
and every route, /sandbox/* included, needs the key. A request (headers and body) must
arrive within --request-deadline seconds of its first byte, or the connection is closed.

tracking plan: with --plan FILE each received goal is also checked against the plan
(*.plan.yaml, see docs/plan-format.md). The plan's findings join the request's verdict in
/sandbox/requests ("source": "plan", and "plan": its name) and the log line, as in
  "POST /api/v1/goals HTTP/1.1" 200 - · body: valid · plan acme-website: 1 warning: plan.bad_value
The plan never changes an answer: the sandbox still answers as the API would. The start
line names the plan. The file is looked at every {POLL_SECONDS:g} s and reloaded once a change has
settled; a changed plan that cannot be used, or a deleted file, keeps the last good plan
and a line on stderr says why. A plan that cannot be used at start-up: exit 2, with its
file, line and key named.

fault injection: add a header {FAULT_HEADER}: TOKEN[,TOKEN...] to an /api/v1 request.
A fault answers instead of the route (before the key check); no goal is stored, and the
collector records the request with its fault.
  delay=SECONDS        wait before answering (at most 60; others are served meanwhile)
  status=CODE          answer CODE with an error body (2xx: the success body)
  retry-after=N        add Retry-After: N, e.g. with status=429
  drop                 close the connection without an answer
  reset                abort the connection with a TCP reset
  garbage              200 application/json with a malformed body; it imitates something
                       other than the API answering (a proxy, a captive portal, a wrong
                       base URL), so the goal is not stored
  html                 502 with an HTML error page
  text                 500 with a plain-text body
  empty                200 with an empty body (status=CODE to change it)
  partial              Content-Length larger than the body sent, then close
  redirect=URL         307 to URL (no commas in it)
  redirect-loop        307 to a URL that redirects to itself forever
  shape=nest|envelope  the error body shape for this request
Bodies above {MAX_BODY_BYTES} bytes get 413 unread. Unknown tokens get 400, and so does a
number of more than 18 digits in a fault token or a query (a Content-Length that long: 413).

examples (URL and KEY as printed at start-up, e.g. URL=http://127.0.0.1:8765):
  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\
       -H "Content-Type: application/json" -d '{{"name":"newsletter_signup"}}'
  curl -i $URL/sandbox/goals
  curl -s "$URL/sandbox/requests?since=2024-05-01T12:00:00Z&limit=100"
  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\
       -H "{FAULT_HEADER}: status=429,retry-after=30" -d '{{}}'
  curl -i -X POST $URL/api/v1/goals -H "{FAULT_HEADER}: delay=2,garbage" -d '{{}}'
  curl -i -X POST $URL/api/v1/goals -H "{FAULT_HEADER}: status=400,shape=nest" -d '{{}}'
  curl -i -X DELETE "$URL/api/v1/goals?name=newsletter_signup" -H "Authorization: Bearer $KEY"
  curl -i -X POST $URL/api/v1/goals -H "X-Sandbox-Fault: reset" -d '{{}}'
  curl -i -X POST $URL/sandbox/reset
"""


def build_parser() -> argparse.ArgumentParser:
    """The command line, with the routes and fault tokens in its --help."""
    parser = argparse.ArgumentParser(
        prog="flowsery-sandbox",
        description=(
            "Run the Flowsery Goal Tester's local sandbox: a real HTTP server on loopback\n"
            "that implements the goals API contract, for offline use, demos and QA, and\n"
            "collects every request it receives (point a backend under test at it).\n"
            "Prints its URL (and a generated key); stop it with Ctrl+C."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (127.0.0.1); another than loopback (0.0.0.0 for a "
        "backend in a container) makes it reachable from the network, and then every "
        "route needs the key",
    )
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (0)")
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help="the key clients must send (must start with flow_; printable ASCII, no spaces "
        "or control characters); default: a new random key, printed at start-up",
    )
    parser.add_argument(
        "--error-shape",
        choices=ERROR_SHAPES,
        default="envelope",
        help="shape of error bodies (envelope)",
    )
    parser.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=f"the site timezone /api/v1/metadata reports ({DEFAULT_TIMEZONE})",
    )
    parser.add_argument(
        "--request-deadline",
        type=float,
        default=DEFAULT_REQUEST_DEADLINE,
        metavar="SECONDS",
        help="how long one request (headers and body) may take from its first byte; a "
        f"slower client is disconnected ({DEFAULT_REQUEST_DEADLINE:g})",
    )
    parser.add_argument(
        "--clock-skew",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="for tests: run the sandbox clock this many seconds off (negative: behind); it "
        "moves the receivedAt times it stores (and the collector's times), which DELETE's "
        "startAt/endAt are compared with (0)",
    )
    parser.add_argument(
        "--plan",
        metavar="FILE",
        help="also check each received goal against this tracking plan (*.plan.yaml); "
        "reloaded when the file changes (see 'tracking plan' below)",
    )
    parser.add_argument(
        "--quiet",
        action="store_true",
        help="do not log requests to stderr (plan reloads are still reported)",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
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
    print(f"flowsery-sandbox: {_printable(line)}", file=sys.stderr, flush=True)


def _load_plan(path: str) -> LivePlan | int:
    """The plan --plan names, kept current with its file; exit 2 after naming each problem
    (file, line, key) of a plan that cannot be used."""
    from flowsery_gui.plan import LivePlan, PlanError

    try:
        return LivePlan(path)
    except PlanError as exc:
        problems = exc.problems
        if len(problems) == 1:
            _say(f"--plan: {problems[0]}")
            return EXIT_BAD_PLAN
        _say(f"--plan: the plan {exc.file} cannot be used ({len(problems)} problems):")
        for problem in problems[:MAX_PLAN_PROBLEMS_SHOWN]:
            print("  " + _printable(str(problem)), file=sys.stderr)
        if len(problems) > MAX_PLAN_PROBLEMS_SHOWN:
            hidden = len(problems) - MAX_PLAN_PROBLEMS_SHOWN
            more = f"  … and {hidden} more: `flowsery-goal plan check` lists them all."
            print(more, file=sys.stderr)
        return EXIT_BAD_PLAN


def _follow(plan: LivePlan) -> None:
    """Look at the plan file once; say on stderr what became of it, if anything."""
    event = plan.poll()
    if event is None:
        return
    _say(event.lines[0])
    for line in event.lines[1:]:
        print("  " + _printable(line), file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """Start the sandbox, print its URL (and key), serve until SIGINT/SIGTERM; exit 0."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
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
        print(f"flowsery-sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop_requested.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        reach = (
            " (reachable from the network: every route, /sandbox/* included, needs the key)"
            if server.network
            else ""
        )
        checks = "" if plan is None else f" · checks goals against the plan {plan.describe()}"
        print(f"Flowsery sandbox listening on {server.url}{reach}{_printable(checks)}", flush=True)
        if args.api_key is None:
            print(f"API key: {server.api_key}", flush=True)
        if server.clock_skew:
            print(
                f"flowsery-sandbox: the sandbox clock runs {server.clock_skew:+g} s off "
                "(--clock-skew, for tests).",
                file=sys.stderr,
                flush=True,
            )
        while not stop_requested.wait(POLL_SECONDS):
            if plan is not None:
                _follow(plan)
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
