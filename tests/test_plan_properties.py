"""The fast "does it conform?" answer never disagrees with the JSON Schema validator."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui.plan import check_goal, parse_plan

PLAN = parse_plan(
    """
goals:
  g:
    metadata:
      plan: { required: true, enum: [free, pro, team] }
      code: { pattern: '^[A-Z]{2}[0-9]+$', minLength: 3, maxLength: 6 }
      fixed: { const: v1 }
      email: { format: email }
      day: { format: date }
      when: { format: date-time }
      link: { format: uri }
      id: { format: uuid }
      note: {}
  open:
    other_metadata: allow
    metadata:
      plan: { enum: [free, pro] }
"""
)
KEYS = ["plan", "code", "fixed", "email", "day", "when", "link", "id", "note", "extra", "Plan"]
VALUES = st.one_of(
    st.sampled_from(
        [
            "free",
            "pro",
            "Pro",
            "team",
            "",
            "AB12",
            "AB1234567",
            "ab12",
            "v1",
            "v2",
            "ana@example.com",
            "ana@",
            "2024-02-29",
            "2023-02-29",
            "2024-05-01T10:00:00Z",
            "2024-05-01 10:00",
            "https://example.com/x",
            "example.com",
            "123e4567-e89b-12d3-a456-426614174000",
            "é✓",
        ]
    ),
    st.text(max_size=12),
    st.integers(),
    st.none(),
)
# Mostly one or two keys next to a valid `plan`, so each keyword decides the verdict often.
METADATA = st.one_of(
    st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8),
    st.dictionaries(st.sampled_from(KEYS[1:]), VALUES, max_size=2).map(
        lambda extra: {"plan": "pro", **extra}
    ),
)


@settings(max_examples=1500, deadline=None)
@given(goal=st.sampled_from(["g", "open"]), metadata=METADATA)
def test_the_fast_answer_agrees_with_json_schema(goal: str, metadata: dict[str, object]) -> None:
    spec = PLAN.goal(goal)
    assert spec is not None
    strings = {k: v for k, v in metadata.items() if isinstance(v, str)}
    errors = [
        e
        for e in spec.metadata_validator.iter_errors(metadata)
        if not e.path or str(e.path[0]) in strings  # non-text values are the contract's
    ]
    assert spec.conforms(metadata) is (not errors)
    findings = check_goal(PLAN, {"name": goal, "metadata": metadata})
    assert (not findings) is (not errors)
