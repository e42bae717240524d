"""How long the rule set takes on a full goal: the window re-validates on every keystroke.

Run: python benchmarks/bench_validate.py (or through benchmarks/run.py).
"""

from __future__ import annotations

import json

from common import Row, print_table, time_callable

from flowsery_gui.contract import Draft, check_body, check_body_text, check_draft

TARGET_MEDIAN_US = 50

FULL_DRAFT = Draft(
    name="newsletter_signup",
    visitor_uid="4f9c2a7e-1b3d-4c5e-8f6a-0b1c2d3e4f5a",
    session_uid="9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b",
    timezone="Europe/Paris",
    metadata=(
        ("plan", "pro"),
        ("source", "footer"),
        ("campaign", "spring-sale-2025"),
        ("referrer", "https://example.com/blog/how-we-grew"),
        ("email", "jane.doe@example.com"),
        ("seats", "12"),
        ("country", "FR"),
        ("variant", "b"),
        ("utm_medium", "newsletter"),
        ("note", "Signed up after the webinar on goals and funnels"),
    ),
)
AMPERSAND_DRAFT = Draft(
    name=FULL_DRAFT.name,
    visitor_uid=FULL_DRAFT.visitor_uid,
    session_uid=FULL_DRAFT.session_uid,
    timezone=FULL_DRAFT.timezone,
    metadata=(*FULL_DRAFT.metadata[:-1], ("note", "Signed up after the webinar: goals & funnels")),
)
MARKUP_DRAFT = Draft(
    name=FULL_DRAFT.name,
    visitor_uid=FULL_DRAFT.visitor_uid,
    session_uid=FULL_DRAFT.session_uid,
    timezone=FULL_DRAFT.timezone,
    metadata=tuple((k, f"<b>{v}</b>") for k, v in FULL_DRAFT.metadata),
)


def rows() -> list[Row]:
    """Median and p99 of checking a full draft, its raw JSON body, and the parse + check."""
    report = check_draft(FULL_DRAFT)
    assert report.ok and not report.findings, report.findings  # the figure is of a clean goal
    raw_text = json.dumps(report.body)
    raw_value = json.loads(raw_text)

    draft = time_callable(lambda: check_draft(FULL_DRAFT))
    body = time_callable(lambda: check_body(raw_value))
    text = time_callable(lambda: check_body_text(raw_text))
    ampersand = time_callable(lambda: check_draft(AMPERSAND_DRAFT))
    markup = time_callable(lambda: check_draft(MARKUP_DRAFT), repeat=2000, warmup=200)
    target = f"< {TARGET_MEDIAN_US}"
    return [
        Row("validate_full_draft_median", draft.median_us, "µs", target),
        Row("validate_full_draft_p99", draft.p99_us, "µs"),
        Row("validate_raw_body_median", body.median_us, "µs", target),
        Row("validate_raw_body_p99", body.p99_us, "µs"),
        Row("parse_and_validate_raw_text_median", text.median_us, "µs"),
        Row("validate_full_draft_one_ampersand_median", ampersand.median_us, "µs", "", "nh3 x1"),
        Row("validate_full_draft_all_markup_median", markup.median_us, "µs", "", "nh3 x10"),
    ]


if __name__ == "__main__":
    print_table(rows())
