"""`flowsery-sandbox`: run the local sandbox in the foreground until SIGINT or SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from flowsery_gui import version
from flowsery_gui.sandbox.server import (
    DEFAULT_TIMEZONE,
    ERROR_SHAPES,
    FAULT_HEADER,
    MAX_BODY_BYTES,
    SandboxServer,
)

_LOOPBACK = ("127.0.0.1", "::1", "localhost")

EPILOG = f"""\
routes:
  POST   /api/v1/goals        create a goal (the contract's validation; HTML stripped
                              from stored metadata values)
  GET    /api/v1/metadata     the website this key belongs to
  DELETE /api/v1/goals        ?name=&visitorId=&startAt=&endAt= (ISO 8601), 400 with no filter
  GET    /sandbox/goals       what was stored, oldest first (no key needed)
  DELETE /sandbox/goals       forget everything stored

fault injection: add a header {FAULT_HEADER}: TOKEN[,TOKEN...] to an /api/v1 request.
A fault answers instead of the route (before the key check; nothing is stored).
  delay=SECONDS        wait before answering (at most 60; others are served meanwhile)
  status=CODE          answer CODE with an error body (2xx: the success body)
  retry-after=N        add Retry-After: N, e.g. with status=429
  drop                 close the connection without an answer
  reset                abort the connection with a TCP reset
  garbage              200 application/json with a malformed body
  html                 502 with an HTML error page
  text                 500 with a plain-text body
  empty                200 with an empty body (status=CODE to change it)
  partial              Content-Length larger than the body sent, then close
  redirect=URL         307 to URL (no commas in it)
  redirect-loop        307 to a URL that redirects to itself forever
  shape=nest|envelope  the error body shape for this request
Bodies above {MAX_BODY_BYTES} bytes get 413 unread. Unknown tokens get 400.

examples (URL and KEY as printed at start-up, e.g. URL=http://127.0.0.1:8765):
  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\
       -H "Content-Type: application/json" -d '{{"name":"newsletter_signup"}}'
  curl -i $URL/sandbox/goals
  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\
       -H "{FAULT_HEADER}: status=429,retry-after=30" -d '{{}}'
  curl -i -X POST $URL/api/v1/goals -H "{FAULT_HEADER}: delay=2,garbage" -d '{{}}'
  curl -i -X POST $URL/api/v1/goals -H "{FAULT_HEADER}: status=400,shape=nest" -d '{{}}'
  curl -i -X DELETE "$URL/api/v1/goals?name=newsletter_signup" -H "Authorization: Bearer $KEY"
  curl -i -X POST $URL/api/v1/goals -H "X-Sandbox-Fault: reset" -d '{{}}'
"""


def build_parser() -> argparse.ArgumentParser:
    """The command line, with the routes and fault tokens in its --help."""
    parser = argparse.ArgumentParser(
        prog="flowsery-sandbox",
        description=(
            "Run the Flowsery Goal Tester's local sandbox: a real HTTP server on loopback\n"
            "that implements the goals API contract, for offline use, demos and QA.\n"
            "Prints its URL (and a generated key); stop it with Ctrl+C."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (0)")
    parser.add_argument(
        "--api-key",
        metavar="KEY",
        help="the key clients must send (must start with flow_); default: a new random key, "
        "printed at start-up",
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
    parser.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Start the sandbox, print its URL (and key), serve until SIGINT/SIGTERM; exit 0."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.api_key is not None and not args.api_key.startswith("flow_"):
        parser.error("--api-key must start with flow_ (the server refuses other keys)")
    if not 0 <= args.port <= 65535:
        parser.error("--port must be between 0 and 65535")
    try:
        server = SandboxServer(
            host=args.host,
            port=args.port,
            api_key=args.api_key,
            error_shape=args.error_shape,
            timezone=args.timezone,
            quiet=args.quiet,
        )
        server.start()
    except ValueError as exc:
        parser.error(str(exc))
    except OSError as exc:
        print(f"flowsery-sandbox: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1

    stop_requested = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop_requested.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Flowsery sandbox listening on {server.url}", flush=True)
        if args.api_key is None:
            print(f"API key: {server.api_key}", flush=True)
        if args.host not in _LOOPBACK:
            print(
                "flowsery-sandbox: warning: listening beyond this machine; "
                "/sandbox/goals shows stored goals to anyone who can reach it.",
                file=sys.stderr,
                flush=True,
            )
        while not stop_requested.wait(0.2):
            pass
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
