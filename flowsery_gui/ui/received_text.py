"""One received request as plain text: the request as it arrived, the answer given, the verdict.

What the Received view shows when a request is picked. The key is already masked by the
collector; bodies that are JSON are shown indented, anything else as it came.
"""

from __future__ import annotations

import json
from typing import Any

from flowsery_gui.i18n import _, format_number, ngettext, pgettext
from flowsery_gui.ui.received_model import local_time


def _pretty(text: str | None) -> str:
    if text is None:
        return _("(no body)")
    if not text:
        return _("(empty)")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines()) or "  " + _("(empty)")


def _finding_line(finding: dict[str, Any]) -> str:
    mark = "✖" if finding.get("severity") == "error" else "⚠"
    # Translators: whose rule a finding of the sandbox's verdict is: the plan's or the API's.
    whose = pgettext("finding source", "plan") if finding.get("source") == "plan" else "API"
    path = str(finding.get("path") or "")
    where = f"{path}: " if path else ""
    line = f"{mark} [{whose}] {where}{finding.get('message', '')}"
    fix = finding.get("fix")
    if fix:
        # Translators: a finding's line and the fix the sandbox suggests (as it said it).
        line = _("{finding} (fix: {fix})", finding=line, fix=fix)
    return line


def verdict_text(verdict: dict[str, Any] | None) -> str:
    """The verdict's findings, one line each, marked as the API's or the plan's."""
    if verdict is None:
        return _("Not a goal: no verdict.")
    plan = verdict.get("plan")
    findings = verdict.get("findings") or []
    if not findings:
        if plan:
            return _("Meets the API's rules and the plan {plan}.", plan=plan)
        return _("Meets the API's rules.")
    if plan:
        head = _("Checked against the API's rules and the plan {plan}:", plan=plan)
    else:
        head = _("Checked against the API's rules:")
    return "\n".join([head, *(_finding_line(f) for f in findings)])


def record_text(record: dict[str, Any]) -> str:
    """The whole record in plain words: request, answer, verdict (and what a DELETE removed)."""
    query = record.get("query")
    path = f"{record.get('path', '')}{'?' + query if query else ''}"
    lines = [
        f"{record.get('method', '')} {path}",
        # Translators: who sent a request to the sandbox (an address) and when.
        _(
            "From {client} at {time} (sandbox clock)",
            client=record.get("client", "?"),
            time=local_time(record.get("time")),
        ),
        "",
        _("Headers (the key masked):"),
    ]
    lines += [f"  {name}: {value}" for name, value in record.get("headers") or []]
    size = record.get("bodyBytes")
    if isinstance(size, int):
        body = ngettext(
            "Body ({size} byte):", "Body ({size} bytes):", size, size=format_number(size)
        )
    else:
        body = _("Body:")
    lines += ["", body]
    lines.append(_indented(_pretty(record.get("body"))))
    if record.get("bodyTruncated"):
        lines.append("  " + _("… (cut: the sandbox keeps the first 64 KB)"))
    answer = record.get("answer") or {}
    status = answer.get("status")
    outcome = answer.get("outcome", "answered")
    fields = {"status": status, "outcome": outcome}
    if outcome == "answered":
        head = _("Answer: {status}", **fields) if status is not None else _("Answer: none")
    elif status is not None:
        # Translators: {outcome} is the sandbox's code for how it answered ("timeout").
        head = _("Answer: {status} ({outcome})", **fields)
    else:
        head = _("Answer: none ({outcome})", **fields)
    lines += ["", head, _indented(_pretty(answer.get("body")))]
    if record.get("fault"):
        lines.append("  " + _("Fault injected: {fault}", fault=record["fault"]))
    deleted = record.get("deleted")
    if deleted is not None:
        dump = json.dumps(deleted, indent=2, ensure_ascii=False)
        lines += ["", _("Deleted:"), _indented(dump)]
    lines += ["", verdict_text(record.get("verdict"))]
    return "\n".join(lines)
