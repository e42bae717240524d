"""Tracking plans: checking one goal (every keystroke), loading a big plan, verifying a capture.

Run: python benchmarks/bench_plan.py (or through benchmarks/run.py).
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from common import Row, print_table, time_callable

from flowsery_gui.plan import check_goal, load_plan, parse_plan
from flowsery_gui.plan.engine import compile_pattern

CHECK_TARGET_US = 100
LOAD_TARGET_MS = 100
VERIFY_TARGET_S = 1.0


def plan_text(goals: int) -> str:
    """A plan of `goals` goals, each with four keys using enum, pattern, format and lengths."""
    lines = ["plan: bench", "goals:"]
    for index in range(goals):
        lines += [
            f"  goal_{index}:",
            f"    description: Goal number {index}, fired by the site — été ✓",
            "    visitor: required",
            "    metadata:",
            "      plan: { required: true, enum: [free, pro, team] }",
            "      source: { enum: [footer, popup, header, sidebar] }",
            "      email: { format: email, personal: true }",
            "      value: { pattern: '^[0-9]+(\\.[0-9]{1,2})?$', maxLength: 20 }",
        ]
    return "\n".join(lines) + "\n"


GOAL = {
    "name": "goal_150",
    "visitorUid": "4f9c2a7e-1b3d-4c5e-8f6a-0b1c2d3e4f5a",
    "metadata": {"plan": "pro", "source": "footer", "email": "ana@example.com", "value": "49.90"},
}
BAD_GOAL = {
    "name": "goal_150",
    "metadata": {"plan": "Pro", "source": "nowhere", "emial": "ana@example.com", "value": "x"},
}


def _load_ms(path: Path, runs: int = 9) -> float:
    samples = []
    for _ in range(runs):
        compile_pattern.cache_clear()  # every load compiles its patterns afresh
        began = time.perf_counter()
        load_plan(path)
        samples.append((time.perf_counter() - began) * 1000)
    return statistics.median(samples)


def _verify_s(folder: Path, count: int = 10_000) -> tuple[float, int]:
    from flowsery_gui.plan.verify import verify_capture

    plan_path = folder / "bench.plan.yaml"
    plan_path.write_text(plan_text(200), encoding="utf-8")
    capture = folder / "capture.jsonl"
    with capture.open("w", encoding="utf-8") as out:
        for index in range(count):
            body = dict(GOAL, name=f"goal_{index % 200}")
            record = {
                "id": index,
                "time": "2024-05-01T10:00:00Z",
                "status": 200,
                "request": {
                    "method": "POST",
                    "url": "http://127.0.0.1:8765/api/v1/goals",
                    "headers": [["Authorization", "Bearer …abcd"]],
                    "body": json.dumps(body),
                },
                "response": {"status": 200, "reason": "OK", "body": '{"status":"success"}'},
            }
            out.write(json.dumps(record) + "\n")
    samples = []
    cases = 0
    for _ in range(3):
        began = time.perf_counter()
        outcome = verify_capture(load_plan(plan_path), str(capture))
        samples.append(time.perf_counter() - began)
        cases = outcome.run.counts.tests
    return statistics.median(samples), cases


def rows() -> list[Row]:
    """Check one goal against a 200-goal plan; load a 500-goal plan; verify 10,000 goals."""
    plan = parse_plan(plan_text(200))
    assert check_goal(plan, GOAL) == ()  # the figure is of a goal that follows the plan
    assert len(check_goal(plan, BAD_GOAL)) == 5
    good = time_callable(lambda: check_goal(plan, GOAL))
    bad = time_callable(lambda: check_goal(plan, BAD_GOAL), repeat=2000, warmup=200)
    miss = time_callable(
        lambda: check_goal(plan, {"name": "goal_15O"}), repeat=500, warmup=50
    )  # an unplanned name: "did you mean" searches 200 names
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        big = folder / "big.plan.yaml"
        big.write_text(plan_text(500), encoding="utf-8")
        load_ms = _load_ms(big)
        size_kb = big.stat().st_size / 1024
        verify_s, cases = _verify_s(folder)
    assert cases == 10_000
    return [
        Row("check_goal_200_goal_plan_median", good.median_us, "µs", f"< {CHECK_TARGET_US}"),
        Row("check_goal_200_goal_plan_p99", good.p99_us, "µs"),
        Row("check_goal_five_violations_median", bad.median_us, "µs"),
        Row("check_unplanned_goal_did_you_mean_median", miss.median_us, "µs"),
        Row("load_500_goal_plan_median", load_ms, "ms", f"< {LOAD_TARGET_MS}", f"{size_kb:.0f} KB"),
        Row("verify_10000_received_goals", verify_s, "s", f"< {VERIFY_TARGET_S}", "JSON Lines"),
    ]


if __name__ == "__main__":
    print_table(rows())
