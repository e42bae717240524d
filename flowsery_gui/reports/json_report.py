"""The run as one JSON object, for scripts: the same facts as the JUnit and HTML reports."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flowsery_gui.reports.files import iso_time, write_text_atomic
from flowsery_gui.reports.masking import mask_run
from flowsery_gui.reports.model import Counts, Run

FORMAT = "flowsery-report/1"


def _counts(counts: Counts) -> dict[str, int]:
    return {
        "tests": counts.tests,
        "passed": counts.passed,
        "failed": counts.failed,
        "errors": counts.errors,
        "skipped": counts.skipped,
    }


def report_object(run: Run, secrets: Iterable[str] = ()) -> dict[str, Any]:
    """The run as a JSON-ready dict, with every secret masked."""
    run = mask_run(run, secrets)
    return {
        "format": FORMAT,
        "name": run.name,
        "target": run.target,
        "started": iso_time(run.started),
        "duration": round(run.duration, 6),
        "ok": run.counts.ok,
        "summary": _counts(run.counts),
        "properties": dict(run.properties),
        "suites": [
            {
                "name": suite.name,
                "file": suite.file,
                "time": round(suite.seconds, 6),
                "summary": _counts(suite.counts),
                "cases": [
                    {
                        "name": case.name,
                        "classname": case.classname,
                        "time": round(case.time, 6),
                        "outcome": case.outcome.value,
                        "kind": case.kind,
                        "reason": case.reason,
                        "details": case.details,
                        "exchange": case.exchange,
                    }
                    for case in suite.cases
                ],
            }
            for suite in run.suites
        ],
    }


def render_json(run: Run, secrets: Iterable[str] = ()) -> str:
    """The run as JSON text (one object)."""
    return json.dumps(report_object(run, secrets), ensure_ascii=False, indent=2) + "\n"


def write_json(run: Run, path: Path | str, secrets: Iterable[str] = ()) -> Path:
    """Write the JSON report; raises OSError when the file cannot be written."""
    return write_text_atomic(path, render_json(run, secrets))
