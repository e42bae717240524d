"""What `flowsery-sandbox --help` says below its options: the routes, the collector, who may
call it, tracking plans, the fault tokens and examples, in the reader's language."""

from __future__ import annotations

from flowsery_gui.i18n import _, format_number, format_seconds
from flowsery_gui.sandbox.server import FAULT_HEADER, MAX_BODY_BYTES
from flowsery_gui.sandbox.wire import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_STORED_CHARS,
    MAX_STORED_REQUESTS,
)

POLL_SECONDS = 0.2  # how often the sandbox's command line looks at the plan file


def sandbox_epilog() -> str:
    """The routes, the collector, access rules, plans, fault tokens and examples under
    `--help`, in the reader's language (made when help is shown)."""
    from flowsery_gui.cli import helptext

    routes = [
        (
            "POST   /api/v1/goals",
            _(
                "create a goal (the contract's validation; HTML stripped from stored metadata "
                "values)"
            ),
        ),
        ("GET    /api/v1/metadata", _("the website this key belongs to")),
        (
            "DELETE /api/v1/goals",
            _("?name=&visitorId=&startAt=&endAt= (ISO 8601), 400 with no filter"),
        ),
        (
            "GET    /sandbox/goals",
            _(
                "stored goals, oldest first, as a JSON array; pages with ?after=ID&limit=N (N "
                "from 1 to {max}, default {default}); when more follow, the X-Sandbox-Next: ID "
                'and Link rel="next" headers say so; X-Sandbox-Stored and X-Sandbox-Dropped count '
                "them",
                max=MAX_PAGE_SIZE,
                default=DEFAULT_PAGE_SIZE,
            ),
        ),
        ("DELETE /sandbox/goals", _("forget every stored goal")),
        (
            "GET    /sandbox/requests",
            _(
                "every request received (accepted or not), oldest first: "
                "?after=ID&since=ISO&limit=N answers {shape}",
                shape='{"requests": [...], "next": ID or null, "stored": N, "dropped": N, '
                '"busy": N}',
            ),
        ),
        ("POST   /sandbox/reset", _("forget stored goals and received requests")),
    ]
    faults = [
        (
            "delay=SECONDS",
            _("wait before answering (at most 60; others are served meanwhile)"),
        ),
        ("status=CODE", _("answer CODE with an error body (2xx: the success body)")),
        ("retry-after=N", _("add Retry-After: N, e.g. with status=429")),
        ("drop", _("close the connection without an answer")),
        ("reset", _("abort the connection with a TCP reset")),
        (
            "garbage",
            _(
                "200 application/json with a malformed body; it imitates something other than "
                "the API answering (a proxy, a captive portal, a wrong base URL), so the goal is "
                "not stored"
            ),
        ),
        ("html", _("502 with an HTML error page")),
        ("text", _("500 with a plain-text body")),
        ("empty", _("200 with an empty body (status=CODE to change it)")),
        ("partial", _("Content-Length larger than the body sent, then close")),
        ("redirect=URL", _("307 to URL (no commas in it)")),
        ("redirect-loop", _("307 to a URL that redirects to itself forever")),
        ("shape=nest|envelope", _("the error body shape for this request")),
    ]
    log_line = (
        '  "POST /api/v1/goals HTTP/1.1" 200 - · body: valid · plan acme-website: 1 warning: '
        "plan.bad_value"
    )
    examples = "\n".join(
        [
            '  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\',
            '       -H "Content-Type: application/json" -d \'{"name":"newsletter_signup"}\'',
            "  curl -i $URL/sandbox/goals",
            '  curl -s "$URL/sandbox/requests?since=2024-05-01T12:00:00Z&limit=100"',
            '  curl -i -X POST $URL/api/v1/goals -H "Authorization: Bearer $KEY" \\',
            f"       -H \"{FAULT_HEADER}: status=429,retry-after=30\" -d '{{}}'",
            f"  curl -i -X POST $URL/api/v1/goals -H \"{FAULT_HEADER}: delay=2,garbage\" -d '{{}}'",
            f'  curl -i -X POST $URL/api/v1/goals -H "{FAULT_HEADER}: status=400,shape=nest" '
            "-d '{}'",
            '  curl -i -X DELETE "$URL/api/v1/goals?name=newsletter_signup" '
            '-H "Authorization: Bearer $KEY"',
            f"  curl -i -X POST $URL/api/v1/goals -H \"{FAULT_HEADER}: reset\" -d '{{}}'",
            "  curl -i -X POST $URL/sandbox/reset",
        ]
    )
    paragraph = helptext.paragraph
    return helptext.blocks(
        helptext.section(_("routes:"), helptext.entries(routes)),
        paragraph(
            _(
                "the collector: each request (but the /sandbox/goals, /sandbox/requests and "
                "/sandbox/reset calls themselves) is kept with its method, path, query, headers "
                "(the key masked as …abcd), body, answer, time, client address, any fault, and "
                "for a goal its verdict: the API rules' findings (path, code, severity, "
                "message). A DELETE's record lists the goals it removed. At most {requests} "
                "requests or {mb} MB of text are kept (goals likewise); the oldest go first and "
                '"dropped" counts them. Connections refused with 503 because every slot was '
                'busy are counted as "busy" (their requests were not read).',
                requests=format_number(MAX_STORED_REQUESTS),
                mb=MAX_STORED_CHARS // 1_000_000,
            )
        ),
        paragraph(
            _(
                "access: on loopback (the default) the /sandbox routes need no key, and a "
                "request whose Host header names another computer gets 421 (a web page cannot "
                "read the sandbox through DNS rebinding). --host with another address listens "
                "on the network: the start line says so and every route, /sandbox/* included, "
                "needs the key. A request (headers and body) must arrive within "
                "--request-deadline seconds of its first byte, or the connection is closed."
            )
        ),
        paragraph(
            _(
                "tracking plan: with --plan FILE each received goal is also checked against "
                "the plan (*.plan.yaml, see docs/plan-format.md). The plan's findings join the "
                'request\'s verdict in /sandbox/requests ("source": "plan", and "plan": its '
                "name) and the log line, as in:"
            )
        )
        + "\n"
        + log_line,
        paragraph(
            _(
                "The plan never changes an answer: the sandbox still answers as the API would. "
                "The start line names the plan. The file is looked at every {seconds} and "
                "reloaded once a change has settled; a changed plan that cannot be used, or a "
                "deleted file, keeps the last good plan and a line on stderr says why. A plan "
                "that cannot be used at start-up: exit 2, with its file, line and key named.",
                seconds=format_seconds(POLL_SECONDS),
            )
        ),
        paragraph(
            _(
                "fault injection: add a header {header}: TOKEN[,TOKEN...] to an /api/v1 "
                "request. A fault answers instead of the route (before the key check); no goal "
                "is stored, and the collector records the request with its fault.",
                header=FAULT_HEADER,
            )
        )
        + "\n"
        + helptext.entries(faults),
        paragraph(
            _(
                "Bodies above {limit} bytes get 413 unread. Unknown tokens get 400, and so does "
                "a number of more than 18 digits in a fault token or a query (a Content-Length "
                "that long: 413).",
                limit=MAX_BODY_BYTES,
            )
        ),
        helptext.section(
            _("examples (URL and KEY as printed at start-up, e.g. URL=http://127.0.0.1:8765):"),
            examples,
        ),
    )
