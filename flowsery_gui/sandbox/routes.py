"""The sandbox's routes: the goals API as documented, the faults, and the inspection routes.

Order of checks for every request: the Host header (on loopback), the key (beyond loopback:
every route), the fault header (API routes only), the path and method, then the route.
"""

from __future__ import annotations

import contextlib
import sys
import traceback
from typing import Any
from urllib.parse import urlsplit

from flowsery_gui import contract
from flowsery_gui.sandbox.access import host_problem
from flowsery_gui.sandbox.faults import (
    DEFAULT_ACTION_STATUS,
    FAULT_HEADER,
    FaultError,
    Faults,
    parse_faults,
)
from flowsery_gui.sandbox.handler import Abort, BaseHandler
from flowsery_gui.sandbox.inspection import (
    goals_array,
    goals_headers,
    page_query,
    requests_object,
)
from flowsery_gui.sandbox.store import delete_filter
from flowsery_gui.sandbox.wire import (
    CREATED_BODY,
    GARBAGE_BODY,
    GOALS_INSPECT_PATH,
    HTML_PAGE,
    REDIRECT_LOOP_PATH,
    REQUESTS_PATH,
    RESET_PATH,
    ROUTES,
    SANDBOX_DOMAIN,
    deleted_body,
    finding_text,
    json_bytes,
    reason_phrase,
)

_SANDBOX_ROUTES = (GOALS_INSPECT_PATH, REQUESTS_PATH, RESET_PATH, REDIRECT_LOOP_PATH)
#: A DELETE's record lists at most this many of the goals it removed (and counts them all).
MAX_LISTED_DELETIONS = 1_000


class Handler(BaseHandler):
    """One connection of the sandbox: dispatch, routes, faults, inspection."""

    def do_GET(self) -> None:
        """Dispatch a GET."""
        self._dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _dispatch(self) -> None:
        self._begin()
        try:
            self._route()
        except Abort:
            self.close_connection = True
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:  # last-resort boundary: a sandbox bug answers 500, never a hang
            self.close_connection = True
            traceback.print_exc(file=sys.stderr)
            if self._log_code is None:  # nothing was sent yet: an answer still fits
                with contextlib.suppress(OSError):
                    self._error(500, "The sandbox failed on this request (a bug; see its log).")

    def _route(self) -> None:
        url = urlsplit(self.path)
        path = url.path
        sandbox = self.server.sandbox
        hosts = self._header_values("Host")
        refusal = host_problem(
            hosts[0] if len(hosts) == 1 else None if not hosts else "",
            self.request_version,
            sandbox.network,
        )
        if refusal:
            self._error(*refusal)
            return
        if sandbox.network and not self._authorized():
            return
        faults = Faults()
        if (self.command, path) == ("POST", contract.GOALS_PATH):
            self._received().checks_goal = True
        if path not in _SANDBOX_ROUTES:
            raw_faults = ",".join(self._header_values(FAULT_HEADER))
            self._received().fault = raw_faults or None
            try:
                faults = parse_faults(raw_faults)
            except FaultError as exc:
                self._error(400, str(exc))
                return
            if faults.shape:
                self._shape = faults.shape
        allowed = ROUTES.get(path)
        if allowed is None:
            self._error(404, f"Cannot {self.command} {path}")
            return
        if self.command not in allowed:
            self._error(
                405,
                f"{self.command} is not allowed on {path}; use {', '.join(allowed)}.",
                headers=[("Allow", ", ".join(allowed))],
            )
            return
        if faults.retry_after is not None:
            self._extra_headers.append(("Retry-After", str(faults.retry_after)))
        if faults.delay and self.server.stopping.wait(faults.delay):
            raise Abort
        if faults.replaces_processing:
            self._fault(faults, path)
            return
        handler = {
            ("POST", contract.GOALS_PATH): self._create_goal,
            ("DELETE", contract.GOALS_PATH): self._delete_goals,
            ("GET", contract.METADATA_PATH): self._metadata,
            ("GET", GOALS_INSPECT_PATH): self._inspect,
            ("DELETE", GOALS_INSPECT_PATH): self._clear_goals,
            ("GET", REQUESTS_PATH): self._requests,
            ("POST", RESET_PATH): self._reset,
        }.get((self.command, path), self._redirect_loop)
        handler(url.query)

    # -- faults --------------------------------------------------------------------------

    def _fault(self, faults: Faults, path: str) -> None:
        self._discard_body()
        self.close_connection = True
        action = faults.action
        status = faults.status or DEFAULT_ACTION_STATUS.get(action or "", 200)
        if action in ("drop", "reset"):
            if action == "reset":
                self.server.abort(self.connection)
            self._received().outcome = "dropped" if action == "drop" else "reset"
            raise Abort
        if action == "garbage":  # like a proxy or a captive portal: no goal is stored
            self._send(status, GARBAGE_BODY)
        elif action == "html":
            page = HTML_PAGE.format(code=status, reason=reason_phrase(status))
            self._send(status, page.encode("utf-8"), "text/html; charset=utf-8")
        elif action == "text":
            text = f"{status} {reason_phrase(status)}: the sandbox was asked to fail (text).\n"
            self._send(status, text.encode("utf-8"), "text/plain; charset=utf-8")
        elif action == "empty":
            self._send(status, b"", None)
        elif action == "partial":
            body = json_bytes(self._success_body(path))
            self._received().outcome = "cut short"
            self._send(status, body[: len(body) // 2], length=len(body))
            self.wfile.flush()
            raise Abort
        elif action == "redirect":
            self._send_json(
                faults.status or 307,
                {"message": "Redirected by the sandbox fault redirect="},
                headers=[("Location", faults.redirect_to or "/")],
            )
        elif action == "redirect-loop":
            self._redirect_loop("")
        elif 200 <= status < 300:
            self._send_json(status, self._success_body(path))
        else:
            self._error(
                status, f"The sandbox was asked to answer {status} (fault status={status})."
            )

    def _success_body(self, path: str) -> dict[str, Any]:
        if path == contract.METADATA_PATH:
            return self._metadata_body()
        if self.command == "DELETE":
            return deleted_body(0)
        return CREATED_BODY

    def _redirect_loop(self, _query: str) -> None:
        self._discard_body()
        self.close_connection = True
        self._send_json(
            307,
            {"message": "Redirected by the sandbox fault redirect-loop"},
            headers=[("Location", REDIRECT_LOOP_PATH)],
        )

    # -- the goals API -------------------------------------------------------------------

    def _create_goal(self, _query: str) -> None:
        got = self._received()
        if not self._authorized():
            return
        problem = self._content_type_error()
        if problem:
            self._error(400, problem)
            return
        raw = self._read_body()
        if raw is None:
            return
        try:
            parsed = contract.parse_body(raw)
        except contract.NotJSON as exc:
            self._error(400, str(exc))
            return
        report = contract.check_body(parsed.value, parsed.duplicate_keys)
        got.parsed = parsed, report
        if not report.ok or report.body is None:
            self._error(400, *(finding_text(f) for f in report.errors))
            return
        goal = {k: v for k, v in report.body.items() if k in contract.KNOWN_FIELDS}
        if "metadata" in goal:
            goal["metadata"] = contract.stored_metadata(goal["metadata"])
        got.goal_id = self.server.sandbox.store.add(goal, self._now())["id"]
        self._send_json(200, CREATED_BODY)

    def _metadata(self, _query: str) -> None:
        if self._authorized():
            self._send_json(200, self._metadata_body())

    def _metadata_body(self) -> dict[str, Any]:
        site = {
            "domain": SANDBOX_DOMAIN,
            "timezone": self.server.sandbox.timezone,
            "name": "Flowsery Sandbox",
            "logo": None,
            "kpiColorScheme": "default",
            "kpi": None,
            "currency": "USD",
        }
        return {"status": "success", "data": [site]}

    def _delete_goals(self, query: str) -> None:
        if not self._authorized():
            return
        try:
            keep = delete_filter(query)
        except ValueError as exc:
            self._error(400, str(exc))
            return
        removed = self.server.sandbox.store.delete(keep)
        listed = removed[:MAX_LISTED_DELETIONS]
        self._received().deleted = {
            "count": len(removed),
            "listed": len(listed),
            "goals": [
                {k: goal.get(k) for k in ("id", "name", "visitorUid", "receivedAt")}
                for goal in listed
            ],
        }
        self._send_json(200, deleted_body(len(removed)))

    # -- inspection ----------------------------------------------------------------------

    def _inspect(self, query: str) -> None:
        try:
            asked = page_query(query, ("after", "limit"))
        except ValueError as exc:
            self._error(400, str(exc))
            return
        page = self.server.sandbox.store.page(asked.after, asked.limit)
        headers = goals_headers(page, GOALS_INSPECT_PATH, asked.limit)
        self._send_stream(200, goals_array(page.items), headers)

    def _requests(self, query: str) -> None:
        try:
            asked = page_query(query, ("after", "since", "limit"))
        except ValueError as exc:
            self._error(400, str(exc))
            return
        collector = self.server.sandbox.collector
        page = collector.page(asked.after, asked.limit, asked.since)
        self._send_stream(200, requests_object(page, collector.counts()["busy"]))

    def _clear_goals(self, _query: str) -> None:
        removed = self.server.sandbox.store.clear()
        self._send_json(200, {"deleted": removed, "message": "Sandbox store cleared"})

    def _reset(self, _query: str) -> None:
        self._discard_body()
        sandbox = self.server.sandbox
        goals, requests = sandbox.store.clear(), sandbox.collector.clear()
        self._send_json(
            200,
            {
                "deleted": goals,
                "requests": requests,
                "message": "Sandbox store and received requests cleared",
            },
        )
