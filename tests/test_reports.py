"""Reports of a run: JUnit XML that CI servers read, self-contained HTML, JSON; never the key."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from flowsery_gui.reports import (
    Case,
    Outcome,
    Run,
    Suite,
    render_html,
    render_json,
    render_junit,
    report_object,
    write_html,
    write_json,
    write_junit,
)

KEY = "flow_sk_fake_9f8e7d6c5b4a3210"
EXCHANGE = (
    "POST http://127.0.0.1:8765/api/v1/goals\n"
    f"Authorization: Bearer {KEY}\n"
    "Content-Type: application/json\n\n"
    '{"name": "newsletter_signup", "metadata": {"plan": "Pro"}}\n\n'
    '200 OK\n{"status": "success"}'
)


def sample_run() -> Run:
    signup = Suite(
        "signup flows",
        (
            Case("first goal", "signup.goals", 0.012, Outcome.PASSED, exchange=EXCHANGE),
            Case(
                "newsletter_signup #2",
                "signup.goals",
                0.020,
                Outcome.FAILED,
                reason="`plan` must be one of free, pro, team; got `Pro`.",
                details="metadata.plan: plan.bad_value: `plan` must be one of free, pro, team",
                exchange=EXCHANGE,
                kind="plan.bad_value",
            ),
            Case("no answer", "signup.goals", 5.0, Outcome.ERROR, reason="No response came."),
            Case("later", "signup.goals", 0.0, Outcome.SKIPPED, reason="Not run: --only."),
        ),
        file="signup.suite.yaml",
    )
    checkout = Suite("checkout", (Case("pay", "checkout.goals", 0.5),), file="checkout.suite.yaml")
    return Run(
        "acme-website",
        (signup, checkout),
        target="http://127.0.0.1:8765",
        started=1_714_557_600.0,
        duration=5.6,
        properties=(("plan", "acme.plan.yaml"),),
    )


def test_junit_has_the_structure_every_ci_server_requires() -> None:
    root = ET.fromstring(render_junit(sample_run()))
    assert root.tag == "testsuites"
    for attribute in ("name", "tests", "failures", "errors", "skipped", "time"):
        assert attribute in root.attrib, attribute
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("5", "1", "1")
    assert root.get("skipped") == "1"
    assert float(root.get("time") or 0) == pytest.approx(5.6)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["signup flows", "checkout"]
    for suite in suites:
        for attribute in ("name", "tests", "failures", "errors", "skipped", "time", "timestamp"):
            assert attribute in suite.attrib, attribute
        for case in suite.findall("testcase"):
            for attribute in ("name", "classname", "time"):
                assert attribute in case.attrib, attribute
    signup = suites[0]
    assert signup.get("file") == "signup.suite.yaml"
    assert signup.get("tests") == "4"
    assert float(signup.get("time") or 0) == pytest.approx(5.032)
    assert signup.find("properties/property[@name='plan']").get("value") == "acme.plan.yaml"  # type: ignore[union-attr]


def test_a_failure_carries_its_reason_type_and_exchange() -> None:
    root = ET.fromstring(render_junit(sample_run()))
    case = root.find("testsuite/testcase[@name='newsletter_signup #2']")
    assert case is not None
    failure = case.find("failure")
    assert failure is not None
    assert failure.get("message") == "`plan` must be one of free, pro, team; got `Pro`."
    assert failure.get("type") == "plan.bad_value"
    assert "metadata.plan" in (failure.text or "")
    out = case.find("system-out")
    assert out is not None and '"plan": "Pro"' in (out.text or "")


def test_errors_and_skips_use_their_own_elements() -> None:
    root = ET.fromstring(render_junit(sample_run()))
    error = root.find("testsuite/testcase[@name='no answer']/error")
    assert error is not None and error.get("message") == "No response came."
    skipped = root.find("testsuite/testcase[@name='later']/skipped")
    assert skipped is not None and skipped.get("message") == "Not run: --only."
    passed = root.find("testsuite/testcase[@name='first goal']")
    assert passed is not None and passed.find("failure") is None


def test_characters_xml_forbids_are_replaced_so_the_file_still_parses() -> None:
    nasty = "bell\x07 escape\x1b nul\x00 lone\ud800 ufffe\ufffe tab\t ok é ✓ <&>\"'"
    run = Run("r", (Suite("s", (Case(nasty, nasty, outcome=Outcome.FAILED, reason=nasty),)),))
    root = ET.fromstring(render_junit(run).encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case is not None
    name = case.get("name") or ""
    assert "\x07" not in name and "\x00" not in name
    assert name.count("\ufffd") == 5
    assert name.endswith("tab\t ok é ✓ <&>\"'")


def test_the_key_never_appears_in_any_report(tmp_path: Path) -> None:
    run = sample_run()
    leaky = Case(f"sent with {KEY}", "x", outcome=Outcome.FAILED, reason=f"key {KEY} refused")
    run = Run(run.name, (*run.suites, Suite(f"suite {KEY}", (leaky,), file=KEY)), target=KEY)
    written = [
        write_junit(run, tmp_path / "r.xml", secrets=[KEY]),
        write_html(run, tmp_path / "r.html", secrets=[KEY]),
        write_json(run, tmp_path / "r.json", secrets=[KEY]),
    ]
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert KEY not in text, path.name
        assert KEY[:-4] not in text, path.name
        assert "…3210" in text, path.name  # masked, as everywhere in the app


def test_a_key_spelled_with_json_escapes_or_percent_encoding_is_masked_too() -> None:
    escaped = KEY.replace("_", "\\u005f")
    encoded = KEY.replace("_", "%5F")
    case = Case("c", "x", outcome=Outcome.FAILED, reason=f"echo {escaped}", exchange=encoded)
    written = report_object(Run("r", (Suite("s", (case,)),)), secrets=[KEY])
    case_out = written["suites"][0]["cases"][0]
    assert case_out["reason"] == "echo …3210"
    assert case_out["exchange"] == "…3210"


def test_a_bearer_token_is_masked_even_when_the_caller_forgot_to_name_it() -> None:
    for text in (render_junit(sample_run()), render_html(sample_run()), render_json(sample_run())):
        assert KEY not in text
        assert "Bearer …3210" in text


def test_the_html_report_runs_no_script_and_loads_nothing() -> None:
    page = render_html(sample_run())
    assert "<script" not in page.lower()
    assert not re.search(r"\b(src|href)\s*=", page, re.IGNORECASE)
    assert "url(" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def test_the_html_report_escapes_what_it_shows() -> None:
    run = Run(
        "<script>alert(1)</script>",
        (Suite("s", (Case("<img onerror=x>", "c", reason="<b>bold</b>"),)),),
    )
    page = render_html(run)
    assert "<script>alert" not in page and "<img" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page


def test_the_html_report_shows_failures_first_and_open() -> None:
    page = render_html(sample_run())
    signup = page[page.index("signup flows") : page.index("checkout")]
    order = [signup.index(name) for name in ("no answer", "newsletter_signup #2", "later", "first")]
    assert order == sorted(order)
    assert '<details class="failed" open>' in page
    assert '<details class="passed">' in page
    assert "1 failed, 1 error, 2 passed, 1 skipped" in page


def test_an_all_green_html_report_says_so() -> None:
    page = render_html(Run("r", (Suite("s", (Case("a", "c"), Case("b", "c"))),)))
    assert "All 2 passed." in page
    assert '<header class="ok">' in page


def test_the_json_report_is_one_object_with_counts_and_outcomes() -> None:
    data = json.loads(render_json(sample_run()))
    assert data["format"] == "flowsery-report/1"
    assert data["ok"] is False
    assert data["summary"] == {"tests": 5, "passed": 2, "failed": 1, "errors": 1, "skipped": 1}
    assert data["started"] == "2024-05-01T10:00:00Z"
    cases = data["suites"][0]["cases"]
    assert [c["outcome"] for c in cases] == ["passed", "failed", "error", "skipped"]
    assert cases[1]["kind"] == "plan.bad_value"
    assert data["properties"] == {"plan": "acme.plan.yaml"}


def test_a_lone_surrogate_from_a_json_body_does_not_break_writing(tmp_path: Path) -> None:
    body = json.loads('"\\ud83d lone half"')
    run = Run("r", (Suite("s", (Case(body, "c", exchange=body),)),))
    for writer in (write_junit, write_html, write_json):
        path = writer(run, tmp_path / f"r.{writer.__name__}")
        assert "\ufffd lone half" in path.read_text(encoding="utf-8")


def test_writing_makes_missing_folders_and_replaces_an_old_report(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "ci" / "junit.xml"
    write_junit(Run("first"), path)
    write_junit(Run("second"), path)
    assert ET.parse(path).getroot().get("name") == "second"
    assert [p.name for p in path.parent.iterdir()] == ["junit.xml"]  # no temp file left


def test_writing_over_a_folder_raises_oserror_for_the_caller_to_explain(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(OSError):
        write_json(Run("r"), tmp_path / "taken")
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_an_empty_run_still_makes_valid_reports() -> None:
    root = ET.fromstring(render_junit(Run("nothing")))
    assert root.get("tests") == "0" and root.findall("testsuite") == []
    assert "Nothing was checked." in render_html(Run("nothing"))
    assert json.loads(render_json(Run("nothing")))["ok"] is True
