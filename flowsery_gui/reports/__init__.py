"""Reports of a run (a suite run or a verification run): JUnit XML, HTML and JSON.

Build a `Run` of `Suite`s of `Case`s, then call a writer. Every writer masks the secrets it
is given (and any bearer token) in everything it writes: the key never reaches a report.
"""

from __future__ import annotations

from flowsery_gui.reports.html_report import render_html, write_html
from flowsery_gui.reports.json_report import render_json, report_object, write_json
from flowsery_gui.reports.junit import render_junit, write_junit, xml_text
from flowsery_gui.reports.masking import mask_run, masker
from flowsery_gui.reports.model import Case, Counts, Outcome, Run, Suite, outcome_label

__all__ = [
    "Case",
    "Counts",
    "Outcome",
    "Run",
    "Suite",
    "mask_run",
    "masker",
    "outcome_label",
    "render_html",
    "render_json",
    "render_junit",
    "report_object",
    "write_html",
    "write_json",
    "write_junit",
    "xml_text",
]
