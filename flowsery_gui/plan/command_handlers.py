"""What `flowsery-goal plan check|schema|init` and `flowsery-goal verify` do once their
arguments are parsed: each handler takes the parsed arguments and returns an exit code.

Apart from `commands` (the parser and its help) so that each module keeps one job: this
one reads plans, captures and history, prints the outcome and writes the reports. Exit
codes: 0 all good, 1 a violation (or a missing expected goal, or, for `plan check`, a plan
with problems), 2 bad input (a plan, a file or a URL that cannot be used).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowsery_gui.contract import NAME_PATTERN
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.plan.capture import CaptureError
from flowsery_gui.plan.loader import PlanError, load_plan
from flowsery_gui.plan.model import Plan

PROG = "flowsery-goal"
API_KEY_ENV = "FLOWSERY_API_KEY"
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
MAX_FAILURES_SHOWN = 50


def _err(message: str) -> None:
    print(_("{prog}: {message}", prog=PROG, message=message), file=sys.stderr)


def _load(path: str) -> Plan | None:
    try:
        return load_plan(path)
    except PlanError as exc:
        _err(str(exc))
        return None


# --- plan check / schema / init -----------------------------------------------------------


def cmd_plan_check(args: argparse.Namespace) -> int:
    """Is the plan itself valid? Lists every problem with its line and key."""
    try:
        plan = load_plan(args.file)
    except PlanError as exc:
        if exc.unreadable:
            _err(str(exc))
            return EXIT_BAD_INPUT
        count = len(exc.problems)
        said = ngettext(
            "{file}: {count} problem; the plan cannot be used.",
            "{file}: {count} problems; the plan cannot be used.",
            count,
            file=args.file,
            count=format_number(count),
        )
        print(said)
        for problem in exc.problems:
            print(f"  {problem}")
        return EXIT_FAILED
    count = len(plan.goals)
    fields = {"file": args.file, "plan": plan.name, "count": format_number(count)}
    if plan.expect:
        said = ngettext(
            "{file}: a valid plan ({plan}) with {count} goal; {expected} expected in CI.",
            "{file}: a valid plan ({plan}) with {count} goals; {expected} expected in CI.",
            count,
            expected=format_number(len(plan.expect)),
            **fields,
        )
    else:
        said = ngettext(
            "{file}: a valid plan ({plan}) with {count} goal.",
            "{file}: a valid plan ({plan}) with {count} goals.",
            count,
            **fields,
        )
    print(said)
    return EXIT_OK


def cmd_plan_schema(args: argparse.Namespace) -> int:
    """Export each goal's JSON Schema: one object on stdout, or one file per goal."""
    from flowsery_gui.reports.files import write_text_atomic

    plan = _load(args.file)
    if plan is None:
        return EXIT_BAD_INPUT
    schemas = plan.schemas()
    if args.out is None:
        print(json.dumps(schemas, ensure_ascii=False, indent=2))
        return EXIT_OK
    folder = Path(args.out)
    try:
        for name, schema in schemas.items():
            text = json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
            write_text_atomic(folder / f"{name}.schema.json", text)
    except OSError as exc:
        reason = exc.strerror or exc
        _err(_("could not write the schemas to {folder}: {reason}.", folder=folder, reason=reason))
        return EXIT_BAD_INPUT
    said = ngettext(
        "Wrote {count} JSON Schema (2020-12) to {folder}.",
        "Wrote {count} JSON Schemas (2020-12) to {folder}.",
        len(schemas),
        count=format_number(len(schemas)),
        folder=folder,
    )
    print(said)
    return EXIT_OK


def cmd_plan_init(args: argparse.Namespace) -> int:
    """Write a starter plan from the goals and keys seen in history."""
    from flowsery_gui import paths
    from flowsery_gui.history import History, HistoryError
    from flowsery_gui.plan.starter import starter_from_records
    from flowsery_gui.reports.files import write_text_atomic

    out = Path(args.out) if args.out else None
    if out is not None and out.exists():
        _err(_("{file} already exists; choose another --out or remove it first.", file=out))
        return EXIT_BAD_INPUT
    path = paths.history_path()
    if not path.exists():  # reading must not create an empty database
        _err(_("there is no history yet ({path}): send some goals first.", path=path))
        return EXIT_BAD_INPUT
    history, message = History.open(path)
    if history is None:
        _err(message or _("the history could not be opened."))
        return EXIT_BAD_INPUT
    try:
        with history:
            starter = starter_from_records(history.iter_records())
    except (HistoryError, ValueError) as exc:
        _err(getattr(exc, "message", None) or str(exc))
        return EXIT_BAD_INPUT
    if out is None:
        sys.stdout.write(starter.text)
        return EXIT_OK
    try:
        write_text_atomic(out, starter.text)
    except OSError as exc:
        _err(_("could not write {file}: {reason}.", file=out, reason=exc.strerror or exc))
        return EXIT_BAD_INPUT
    command = f"{PROG} plan check {out}"
    said = ngettext(
        "Wrote a starter plan with {count} goal (from {records} accepted sends) to {file}. "
        "Edit it, then: {command}",
        "Wrote a starter plan with {count} goals (from {records} accepted sends) to {file}. "
        "Edit it, then: {command}",
        starter.goals,
        count=format_number(starter.goals),
        records=format_number(starter.records),
        file=out,
        command=command,
    )
    print(said)
    return EXIT_OK


# --- verify ---------------------------------------------------------------------------------


def _expected(values: Sequence[str] | None) -> list[str] | None:
    names: list[str] = []
    for value in values or ():
        for name in (part.strip() for part in value.split(",")):
            if not name:
                continue
            if not NAME_PATTERN.fullmatch(name):
                _err(_("--expect: {name} is not a goal name the API accepts.", name=repr(name)))
                return None
            names.append(name)
    return names


def cmd_verify(args: argparse.Namespace) -> int:
    """Check every goal a sandbox received (or a capture holds) and write the reports."""
    from flowsery_gui.plan.verify import verify_capture, verify_sandbox

    if (args.sandbox is None) == (args.capture is None):
        _err(_("give either --sandbox URL or a capture file (HAR or JSON Lines), not both."))
        return EXIT_BAD_INPUT
    expect = _expected(args.expect)
    if expect is None:
        return EXIT_BAD_INPUT
    plan = _load(args.plan)
    if plan is None:
        return EXIT_BAD_INPUT
    key = os.environ.get(API_KEY_ENV, "").strip() or None
    try:
        if args.sandbox is not None:
            outcome = verify_sandbox(
                plan,
                args.sandbox,
                expect=expect,
                since=args.since,
                timeout=args.timeout,
                api_key=key,
            )
        else:
            outcome = verify_capture(plan, args.capture, expect=expect, since=args.since)
    except (CaptureError, ValueError) as exc:
        _err(str(exc))
        return EXIT_BAD_INPUT
    _print_failures(outcome.run)
    for line in outcome.summary():
        print(line)
    if not _write_reports(args, outcome.run, [key] if key else []):
        return EXIT_BAD_INPUT
    return EXIT_OK if outcome.ok else EXIT_FAILED


def _print_failures(run: Any) -> None:
    from flowsery_gui.reports import Outcome, masker, outcome_label

    mask = masker([os.environ.get(API_KEY_ENV, "")])
    shown = 0
    hidden = 0
    for suite in run.suites:
        for case in suite.cases:
            if case.outcome not in (Outcome.FAILED, Outcome.ERROR):
                continue
            if shown >= MAX_FAILURES_SHOWN:
                hidden += 1
                continue
            shown += 1
            said = _(
                "{outcome} {name}: {reason}",
                outcome=outcome_label(case.outcome),
                name=case.name,
                reason=case.reason,
            )
            print(mask(said))
    if hidden:
        print(
            ngettext(
                "… and {count} more failure (see the reports).",
                "… and {count} more failures (see the reports).",
                hidden,
                count=format_number(hidden),
            )
        )


def _write_reports(args: argparse.Namespace, run: Any, secrets: list[str]) -> bool:
    from flowsery_gui.reports import write_html, write_json, write_junit

    for path, writer, what in (
        (args.junit, write_junit, "JUnit XML"),
        (args.html, write_html, "HTML"),
        (args.json, write_json, "JSON"),
    ):
        if path is None:
            continue
        try:
            writer(run, path, secrets=secrets)
        except OSError as exc:
            said = _(
                "could not write the {format} report to {path}: {reason}.",
                format=what,
                path=path,
                reason=exc.strerror or exc,
            )
            _err(said)
            return False
        print(_("Wrote the {format} report to {path}.", format=what, path=path))
    return True
