"""`flowsery-goal plan check|schema|init` and `flowsery-goal verify`, as argparse subcommands.

`register(subparsers)` adds them to the CLI's parser; each handler takes the parsed
arguments and returns an exit code: 0 all good, 1 a violation (or a missing expected goal,
or, for `plan check`, a plan with problems), 2 bad input (a plan, a file or a URL that
cannot be used). `main(argv)` runs them on their own: `python -m flowsery_gui.plan.commands`.
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


def verify_epilog() -> str:
    """The examples and exit codes under `verify --help` (made when help is shown)."""
    from flowsery_gui.cli import helptext

    examples = "\n".join(
        [
            f"  {PROG} verify --plan acme.plan.yaml --sandbox http://127.0.0.1:8765 "
            "--junit junit.xml",
            f"  {PROG} verify --plan acme.plan.yaml capture.har --expect newsletter_signup "
            "--html report.html",
            f"  {PROG} history --json > goals.jsonl && {PROG} verify --plan acme.plan.yaml "
            "goals.jsonl",
        ]
    )
    return helptext.blocks(
        helptext.section(_("examples:"), examples),
        helptext.paragraph(
            _(
                "Every goal received (POST /api/v1/goals) is checked against the API's rules and "
                "the plan; every expected goal (--expect, and the plan's `expect:` list) must "
                "have arrived at least once."
            )
        ),
        helptext.section(
            _("exit codes:"),
            helptext.entries(
                [
                    ("0", _("all good")),
                    (
                        "1",
                        _("a goal broke a rule or the plan, or an expected goal never arrived"),
                    ),
                    (
                        "2",
                        _("the plan, the capture file, the URL or a report path cannot be used"),
                    ),
                ]
            ),
        ),
    )


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


# --- the parser ------------------------------------------------------------------------------


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        said = _("not a number of seconds: {given}", given=repr(text))
        raise argparse.ArgumentTypeError(said) from None
    if not 0 < value <= 600:
        said = _("must be between 0 and 600 seconds: {given}", given=repr(text))
        raise argparse.ArgumentTypeError(said)
    return value


def register(subparsers: Any) -> None:
    """Add `plan` (check, schema, init) and `verify` to a CLI's subparsers."""
    plan = subparsers.add_parser(
        "plan",
        help=_("check a tracking plan, export its JSON Schemas, or start one from history"),
        description=_(
            "Tracking plans (*.plan.yaml): the goals a website fires and what each must carry. "
            "The format: docs/plan-format.md."
        ),
    )
    actions = plan.add_subparsers(dest="plan_command", metavar="ACTION")
    actions.required = True
    check = actions.add_parser(
        "check",
        help=_("is the plan itself valid?"),
        epilog=_("exit codes: 0 valid, 1 the plan has problems, 2 the file cannot be read"),
    )
    check.add_argument("file", metavar="FILE")
    check.set_defaults(handler=cmd_plan_check)
    schema = actions.add_parser(
        "schema",
        help=_("export each goal's JSON Schema (2020-12)"),
        description=_(
            "Print every goal's JSON Schema as one JSON object, or write "
            "DIR/<goal>.schema.json with --out."
        ),
    )
    schema.add_argument("file", metavar="FILE")
    schema.add_argument("--out", metavar="DIR", help=_("write one file per goal into DIR"))
    schema.set_defaults(handler=cmd_plan_schema)
    init = actions.add_parser(
        "init",
        help=_("write a starter plan from the goals and keys seen in history"),
        description=_(
            "Write a starter plan from the accepted goals in the history, for the team to "
            "edit. Without --out it is printed."
        ),
    )
    init.add_argument(
        "--from-history", action="store_true", required=True, help=_("from the history")
    )
    init.add_argument("--out", metavar="FILE", help=_("write it to FILE (never overwritten)"))
    init.set_defaults(handler=cmd_plan_init)

    verify = subparsers.add_parser(
        "verify",
        help=_("check every goal a sandbox received (or a HAR / JSON Lines capture holds)"),
        description=_(
            "Check what reached a sandbox, or what a HAR file or the app's JSON Lines export "
            "holds, against the API's rules and a tracking plan."
        ),
        epilog=verify_epilog,
    )
    verify.add_argument("--plan", required=True, metavar="FILE", help=_("the tracking plan"))
    verify.add_argument("--sandbox", metavar="URL", help=_("a running sandbox's base URL"))
    verify.add_argument("capture", nargs="?", metavar="CAPTURE_FILE", help=_(".har or .jsonl"))
    verify.add_argument(
        "--expect", action="append", metavar="GOAL,...", help=_("goals that must have arrived")
    )
    verify.add_argument("--since", metavar="TIME", help=_("only requests from TIME (ISO 8601)"))
    verify.add_argument("--junit", metavar="PATH", help=_("write a JUnit XML report"))
    verify.add_argument("--html", metavar="PATH", help=_("write a self-contained HTML report"))
    verify.add_argument("--json", metavar="PATH", help=_("write a JSON report"))
    verify.add_argument(
        "--timeout",
        type=_seconds,
        default=10.0,
        metavar="SECONDS",
        help=_("per sandbox call"),
    )
    verify.set_defaults(handler=cmd_verify)


def main(argv: Sequence[str] | None = None) -> int:
    """Run `plan ...` or `verify ...` on their own (tests, until the CLI hooks them in)."""
    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()
    parser = helptext.HelpParser(prog=PROG)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    register(subparsers)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
