"""JUnit XML as Jenkins, GitLab and Azure DevOps read it.

One `<testsuite>` per suite file, one `<testcase>` per case with its time, a `<failure>`
(or `<error>`, `<skipped>`) whose `message` is the reason in plain words, and the exchange
in `<system-out>`. Counts and times on `<testsuites>` and each `<testsuite>`. Every string is
masked first, then cleaned of the characters XML 1.0 forbids (each becomes U+FFFD).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from flowsery_gui.reports.files import iso_time, write_text_atomic
from flowsery_gui.reports.masking import mask_run
from flowsery_gui.reports.model import Case, Counts, Outcome, Run

# Everything outside XML 1.0's Char production, lone surrogates included.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ELEMENT = {Outcome.FAILED: "failure", Outcome.ERROR: "error", Outcome.SKIPPED: "skipped"}


def xml_text(text: str) -> str:
    """Text with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _FORBIDDEN.sub("\ufffd", text)


def _counts(element: ET.Element, counts: Counts, seconds: float) -> None:
    element.set("tests", str(counts.tests))
    element.set("failures", str(counts.failed))
    element.set("errors", str(counts.errors))
    element.set("skipped", str(counts.skipped))
    element.set("time", f"{seconds:.3f}")


def _case(parent: ET.Element, case: Case) -> None:
    element = ET.SubElement(
        parent,
        "testcase",
        {"name": xml_text(case.name), "classname": xml_text(case.classname)},
    )
    element.set("time", f"{case.time:.3f}")
    tag = _ELEMENT.get(case.outcome)
    if tag is not None:
        result = ET.SubElement(element, tag, {"message": xml_text(case.reason)})
        if case.kind and tag != "skipped":
            result.set("type", xml_text(case.kind))
        body = case.details or case.reason
        if tag != "skipped" and body:
            result.text = xml_text(body)
    if case.exchange:
        ET.SubElement(element, "system-out").text = xml_text(case.exchange)


def render_junit(run: Run, secrets: Iterable[str] = ()) -> str:
    """The run as a JUnit XML document (text), with every secret masked."""
    run = mask_run(run, secrets)
    stamp = iso_time(run.started)
    root = ET.Element("testsuites", {"name": xml_text(run.name), "timestamp": stamp})
    _counts(root, run.counts, run.duration)
    for index, suite in enumerate(run.suites):
        element = ET.SubElement(root, "testsuite", {"name": xml_text(suite.name)})
        _counts(element, suite.counts, suite.seconds)
        element.set("id", str(index))
        element.set("timestamp", stamp)
        element.set("hostname", "localhost")
        if suite.file:
            element.set("file", xml_text(suite.file))
        facts = [("target", run.target), *run.properties]
        facts = [(k, v) for k, v in facts if v]
        if facts:
            properties = ET.SubElement(element, "properties")
            for key, value in facts:
                ET.SubElement(
                    properties, "property", {"name": xml_text(key), "value": xml_text(value)}
                )
        for case in suite.cases:
            _case(element, case)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def write_junit(run: Run, path: Path | str, secrets: Iterable[str] = ()) -> Path:
    """Write the JUnit XML report; raises OSError when the file cannot be written."""
    return write_text_atomic(path, render_junit(run, secrets))
