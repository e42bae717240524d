"""One received request as plain text: the request as it arrived, the answer given, the verdict.

What the Received view shows when a request is picked. The key is already masked by the
collector; bodies that are JSON are shown indented, anything else as it came.
"""

from __future__ import annotations

import json
from typing import Any

from flowsery_gui.ui.received_model import local_time


def _pretty(text: str | None) -> str:
    if text is None:
        return "(no body)"
    if not text:
        return "(empty)"
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def _indented(text: str) -> str:
    return "\n".join("  " + line for line in text.splitlines()) or "  (empty)"


def _finding_line(finding: dict[str, Any]) -> str:
    mark = "✖" if finding.get("severity") == "error" else "⚠"
    whose = "plan" if finding.get("source") == "plan" else "API"
    path = str(finding.get("path") or "")
    where = f"{path}: " if path else ""
    line = f"{mark} [{whose}] {where}{finding.get('message', '')}"
    fix = finding.get("fix")
    if fix:
        line += f" (fix: {fix})"
    return line


def verdict_text(verdict: dict[str, Any] | None) -> str:
    """The verdict's findings, one line each, marked as the API's or the plan's."""
    if verdict is None:
        return "Not a goal: no verdict."
    plan = verdict.get("plan")
    against = f"the API's rules and the plan {plan}" if plan else "the API's rules"
    findings = verdict.get("findings") or []
    if not findings:
        return f"Meets {against}."
    return f"Checked against {against}:\n" + "\n".join(_finding_line(f) for f in findings)


def record_text(record: dict[str, Any]) -> str:
    """The whole record in plain words: request, answer, verdict (and what a DELETE removed)."""
    query = record.get("query")
    path = f"{record.get('path', '')}{'?' + query if query else ''}"
    lines = [
        f"{record.get('method', '')} {path}",
        f"From {record.get('client', '?')} at {local_time(record.get('time'))} (sandbox clock)",
        "",
        "Headers (the key masked):",
    ]
    lines += [f"  {name}: {value}" for name, value in record.get("headers") or []]
    size = record.get("bodyBytes")
    lines += ["", f"Body ({size:,} bytes):" if isinstance(size, int) else "Body:"]
    lines.append(_indented(_pretty(record.get("body"))))
    if record.get("bodyTruncated"):
        lines.append("  … (cut: the sandbox keeps the first 64 KB)")
    answer = record.get("answer") or {}
    status = answer.get("status")
    outcome = answer.get("outcome", "answered")
    head = f"Answer: {status}" if status is not None else "Answer: none"
    if outcome != "answered":
        head += f" ({outcome})"
    lines += ["", head, _indented(_pretty(answer.get("body")))]
    if record.get("fault"):
        lines.append(f"  Fault injected: {record['fault']}")
    deleted = record.get("deleted")
    if deleted is not None:
        lines += ["", "Deleted:", _indented(json.dumps(deleted, indent=2, ensure_ascii=False))]
    lines += ["", verdict_text(record.get("verdict"))]
    return "\n".join(lines)
