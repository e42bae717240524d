"""Render the tracking plan's views (issue 11) to PNG: the plan-aware form, the Plan view and
the Received view, each at 800x600 and 1400x1000.

Called by `render_screenshots.py` with its window (after its own states). The example plan
(`examples/acme.plan.yaml`) is opened; two goals are sent from the window (one answered 500,
by the sandbox's fault) so the Plan view shows coverage; five goals are POSTed to the
built-in sandbox from another client so the Received view has something to show.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZES = ((800, 600), (1400, 1000))
PLAN = Path(__file__).resolve().parent.parent / "examples" / "acme.plan.yaml"
RECEIVED = (
    {"name": "newsletter_signup", "visitorUid": "3f1c9a0e", "metadata": {"plan": "team"}},
    {"name": "newsletter_signup", "visitorUid": "3f1c9a0e", "metadata": {"plan": "Pro"}},
    {"name": "Checkout Completed", "metadata": {"value": "49"}},
    {"name": "demo_requested", "metadata": {"company": "Acme", "page": "not a url"}},
    {"name": "checkout_completed", "visitorUid": "77ab", "metadata": {"value": "12.5"}},
)


def render(window: Any, out: Path, settle: Callable[..., None], suffix: str = "") -> None:
    """Write plan-form-*, plan-view-* and received-view-* (-800 and -1400) into `out`."""
    from flowsery_gui.contract import Draft

    ctx = window.ctx
    ctx.plans.open(str(PLAN))
    for _ in range(100):
        if ctx.plans.plan is not None:
            break
        settle(50)
    for number, draft in enumerate(
        (
            Draft(name="newsletter_signup", visitor_uid="v-1", metadata=(("plan", "pro"),)),
            Draft(name="checkout_completed", visitor_uid="v-1", metadata=(("value", "49.00"),)),
        )
    ):
        window.sending.set_fault("status=500" if number else "")
        window.form.load(draft, touched=True)
        window.send_flow.send()
        for _ in range(200):
            if not window.sending.busy:
                break
            settle(50)
    window.sending.set_fault("")
    _post_from_another_client(ctx.target.sandbox)
    form = Draft(
        name="newsletter_signup",
        metadata=(("plan", "Pro"), ("source", "footer"), ("emial", "ada@example.com")),
    )
    flow = window.plan_flow

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}{suffix}.png"
        window.grab().save(str(path))
        print(path)

    for width, height in SIZES:
        window.resize(width, height)
        window.form.load(form, touched=True)
        window.tabs.show_request()
        window.form_panel.table.setCurrentIndex(window.form.metadata.index(0, 1))
        shot(f"plan-form-{width}")
        flow.show_plan()
        settle(400)
        shot(f"plan-view-{width}")
        panel = flow.received_panel()
        settle(300)
        panel.table.selectRow(1)
        shot(f"received-view-{width}")


def _post_from_another_client(server: Any) -> None:
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=10)
    headers = {"Authorization": f"Bearer {server.api_key}", "Content-Type": "application/json"}
    for goal in RECEIVED:
        connection.request("POST", "/api/v1/goals", body=json.dumps(goal), headers=headers)
        connection.getresponse().read()
    connection.close()
