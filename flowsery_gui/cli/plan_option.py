"""`--plan FILE` and `--strict-plan` for `validate` and `send`: the tracking plan a goal is
checked against beside the API's rules.

The plan machinery (YAML, JSON Schema, RE2) costs about 140 ms to import, so it is imported
here only once --plan is given: `validate` without a plan starts as fast as before.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from typing import TYPE_CHECKING, Any

from flowsery_gui import i18n  # its formatters load when first used
from flowsery_gui.cli.common import (
    EXIT_USAGE,
    PROG,
    error_line,
    fail,
    one_line,
    print_findings,
    usage_error,
)
from flowsery_gui.contract import ERROR, Finding
from flowsery_gui.i18n import _, ngettext

if TYPE_CHECKING:
    from flowsery_gui.plan import Plan
    from flowsery_gui.sending import PlannedSend

#: A plan with more problems than this lists the first ones and points to `plan check`.
MAX_PROBLEMS_SHOWN = 20


def add_plan_options(parser: argparse.ArgumentParser, strict_effect: str) -> None:
    """Add --plan and --strict-plan; `strict_effect` says what a violation then does."""
    group = parser.add_argument_group(_("tracking plan"))
    group.add_argument(
        "--plan",
        metavar="FILE",
        help=_(
            "also check the goal against this tracking plan (*.plan.yaml); its violations are "
            "warnings, marked (plan), and leave the exit code alone"
        ),
    )
    group.add_argument(
        "--strict-plan",
        action="store_true",
        help=_("make a plan violation an error: {effect}", effect=strict_effect),
    )


def load_plan_option(args: argparse.Namespace, command: str) -> Plan | int | None:
    """The plan --plan names, None without --plan, or exit 2 after naming every problem
    (file, line, key) of a plan that cannot be used."""
    if args.plan is None:
        if args.strict_plan:
            return usage_error(command, _("--strict-plan needs --plan FILE"))
        return None
    from flowsery_gui.plan import PlanError, load_plan

    try:
        return load_plan(args.plan)
    except PlanError as exc:
        print_plan_error(exc, command)
        return EXIT_USAGE


def print_plan_error(exc: Any, command: str) -> None:
    """A PlanError on stderr: one line when it is one problem, else a head line and the
    problems indented (the first MAX_PROBLEMS_SHOWN of them)."""
    problems = exc.problems
    if len(problems) == 1:
        said = _("--plan: {problem}", problem=problems[0])
        print(one_line(error_line(command, said)), file=sys.stderr)
        return
    said = ngettext(
        "--plan: the plan {file} cannot be used ({count} problem):",
        "--plan: the plan {file} cannot be used ({count} problems):",
        len(problems),
        file=exc.file,
        count=i18n.format_number(len(problems)),
    )
    print(one_line(error_line(command, said)), file=sys.stderr)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        print("  " + one_line(str(problem)), file=sys.stderr)
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    if hidden > 0:
        command = f"{PROG} plan check {exc.file}"
        more = ngettext(
            "… and {count} more: `{command}` lists them all.",
            "… and {count} more: `{command}` lists them all.",
            hidden,
            count=i18n.format_number(hidden),
            command=command,
        )
        print("  " + one_line(more), file=sys.stderr)


def plan_findings(plan: Plan, body: Any, strict: bool) -> tuple[Finding, ...]:
    """The plan's violations of a goal body (as the API would get it): warnings, or errors
    under --strict-plan."""
    from flowsery_gui.plan import check_goal

    found = check_goal(plan, body)
    if strict:
        found = tuple(dataclasses.replace(f, severity=ERROR) for f in found)
    return found


def personal_keys_of(plan: Plan, body: Any) -> tuple[str, ...]:
    """The keys of this goal that the plan marks `personal: true`."""
    from flowsery_gui.plan import personal_keys_in

    return tuple(personal_keys_in(plan, body))


def plan_verdict(plan: Plan, planned: PlannedSend, strict: bool) -> int | None:
    """Before a send: print the plan's findings about the goal about to go (on stderr,
    marked (plan)); exit 2 when --strict-plan refuses it, else None."""
    body = planned.goal or {}
    found = plan_findings(plan, body, strict)
    print_findings(found, sys.stderr, "plan")
    if found and strict:
        said = ngettext(
            "not sent: the goal breaks the plan {plan} ({count} violation above) and "
            "--strict-plan makes that an error.",
            "not sent: the goal breaks the plan {plan} ({count} violations above) and "
            "--strict-plan makes that an error.",
            len(found),
            plan=plan.name,
            count=i18n.format_number(len(found)),
        )
        fail(one_line(said))
        return EXIT_USAGE
    return None
