"""`flowsery-goal run`: run goal suites from a terminal or a CI job, with reports.

`register(subparsers)` adds the command to the `flowsery-goal` parser; `main(argv)` runs it
alone (`python -m flowsery_gui.suites.commands run ...`). Exit codes: 0 every goal passed,
1 any failed or was not run, 2 a bad suite or a run refused before sending, 3 no response
from the target at all, 4 the system keyring could not be used.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from flowsery_gui.i18n import _, format_number, ngettext, sentences
from flowsery_gui.suites.run_help import run_epilog

if TYPE_CHECKING:
    from flowsery_gui.sending import ResolvedKey, Target
    from flowsery_gui.suites.results import RunResult
    from flowsery_gui.suites.runner import SuiteRunner
    from flowsery_gui.suites.targets import Chosen

PROG = "flowsery-goal"
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NO_RESPONSE, EXIT_KEYRING = 0, 1, 2, 3, 4
DRY_TARGET, DRY_URL = "(no target)", "http://127.0.0.1"  # what a dry run shows without one


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add `run` to a `flowsery-goal` subparsers object; returns its parser."""
    parser = subparsers.add_parser(
        "run",
        help=_("run goal suites (*.suite.yaml) and write reports"),
        description=_(
            "Send the goals of one or more suite files in order, judge each answer against its "
            "`expect:`, print a line per goal and a summary, and write reports."
        ),
        epilog=run_epilog,
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help=_("suite files, run in order"))
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--profile", metavar="NAME", help=_("send with this profile"))
    where.add_argument("--base-url", metavar="URL", help=_("send to this server"))
    parser.add_argument("--junit", metavar="PATH", help=_("write a JUnit XML report"))
    parser.add_argument("--html", metavar="PATH", help=_("write a self-contained HTML report"))
    parser.add_argument("--json", metavar="PATH", help=_("write a JSON report"))
    parser.add_argument("--fail-fast", action="store_true", help=_("stop at the first failed goal"))
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=_("check the suites and show the requests; send nothing"),
    )
    parser.add_argument(
        "--yes-production",
        action="store_true",
        help=_("confirm a run to Production (its goals count in real analytics)"),
    )
    parser.add_argument(
        "--sandbox-fault",
        metavar="SPEC",
        default="",
        help=_(
            "ask a sandbox on this computer for a fault (such as status=500 or drop) on every "
            "goal; refused for any other target"
        ),
    )
    parser.set_defaults(handler=cmd_run)
    return parser


def _error(message: str, code: int = EXIT_USAGE) -> int:
    print(
        _("{prog} {command}: error: {message}", prog=PROG, command="run", message=message),
        file=sys.stderr,
    )
    return code


def _note(message: str, code: int = EXIT_USAGE) -> int:
    print(_("note: {note}", note=message), file=sys.stderr)
    return code


def cmd_run(args: argparse.Namespace) -> int:
    """Load the suites, choose the target and key, then dry-run or run and report."""
    from flowsery_gui.sending import Target
    from flowsery_gui.suites.loader import load_suites
    from flowsery_gui.suites.model import SuiteError
    from flowsery_gui.suites.plans import plan_checks
    from flowsery_gui.suites.targets import TargetError, choose_target

    try:
        suites = load_suites([Path(f) for f in args.files])
    except SuiteError as exc:
        return _error(str(exc))
    try:
        checks = plan_checks(suites)
    except SuiteError as exc:
        return _error(str(exc))
    for suite in suites:
        for note in suite.notes:
            _note(f"{suite.path}: {note}")
    chosen: Chosen | None = None
    try:
        chosen = choose_target(args.profile, args.base_url, suites)
    except TargetError as exc:
        if not args.dry_run:
            return _error(str(exc))
        _note(str(exc))
    target = chosen.target if chosen is not None else Target(DRY_TARGET, "custom", DRY_URL)
    fault = args.sandbox_fault.strip()
    if fault:
        problem = _fault_problem(fault, target)
        if problem:
            return _error(problem)
    key: ResolvedKey | None = None
    if chosen is not None:
        found = _key(chosen, args.dry_run)
        if isinstance(found, int):
            if not args.dry_run:
                return found
        else:
            key = found
    from flowsery_gui.suites.runner import SuiteRunner

    def make_runner(**hooks: Any) -> SuiteRunner:
        return SuiteRunner(
            suites,
            target,
            key,
            sandbox_fault=fault,
            production_confirmed=args.yes_production,
            fail_fast=args.fail_fast,
            plan_checks=checks,
            **hooks,
        )

    if args.dry_run:
        return _dry_run(make_runner(), key)
    return _run(make_runner, args, key)


def _fault_problem(fault: str, target: Target) -> str | None:
    from flowsery_gui.sandbox.server import FaultError, parse_faults

    if not target.is_local:
        return _(
            "--sandbox-fault is only for a sandbox on this computer; {url} is not one. Nothing "
            "was sent.",
            url=target.base_url,
        )
    try:
        parse_faults(fault)
    except FaultError as exc:
        return _("--sandbox-fault {fault}: {problem}", fault=fault, problem=exc)
    return None


def _key(chosen: Chosen, quiet: bool) -> ResolvedKey | int:
    """The key by the pipeline's one rule, or an exit code after saying why there is none
    (a dry run only notes it). For a sandbox started apart (`flowsery-sandbox`), its key is
    the one in FLOWSERY_API_KEY."""
    from flowsery_gui.keystore import KeyStore
    from flowsery_gui.sending import KEY_ENV_VAR, resolve_key

    say = _note if quiet else _error
    target = chosen.target
    reader = KeyStore().get if chosen.keyring_profile else None
    key = resolve_key(
        target.profile,
        target.kind,
        read_keyring=reader,
        sandbox_key=os.environ.get(KEY_ENV_VAR),
    )
    if key.error is not None:
        return say(sentences(key.error.message, key.error.advice), EXIT_KEYRING)
    if key.present:
        return key
    if chosen.keyring_profile:
        command = f"{PROG} key set --profile {target.profile}"
        said = _(
            "no API key for {profile}: set {variable}, or store one with `{command}`.",
            profile=target.profile,
            variable=KEY_ENV_VAR,
            command=command,
        )
    else:
        said = _(
            "no API key for {profile}: set {variable} (for a sandbox: the key flowsery-sandbox "
            "printed).",
            profile=target.profile,
            variable=KEY_ENV_VAR,
        )
    return say(said)


def _dry_run(runner: SuiteRunner, key: ResolvedKey | None) -> int:
    from flowsery_gui.sending import Refusal
    from flowsery_gui.suites.console import dry_run_lines
    from flowsery_gui.suites.judge import finding_words

    refusal = runner.preflight()
    for suite in runner.suites:
        for case in suite.cases:
            planned = runner.plan(case)
            secret = key.key if key else None
            if isinstance(planned, Refusal) and planned.request is not None:
                # refused for the target (no key, no consent): show what would have gone
                lines = dry_run_lines(case, planned.request, secret)
            elif isinstance(planned, Refusal):
                shown = finding_words(planned.findings) if planned.findings else planned.message
                lines = dry_run_lines(case, shown, secret)
            else:
                lines = dry_run_lines(case, planned.request, secret)
            print("\n".join(lines))
    count = runner.total
    print(
        ngettext(
            "Dry run: {count} goal checked, nothing sent.",
            "Dry run: {count} goals checked, nothing sent.",
            count,
            count=format_number(count),
        )
    )
    if refusal is not None:
        _note(_("a real run would be refused: {reason}", reason=refusal))
    return EXIT_OK


def _run(
    make_runner: Callable[..., SuiteRunner], args: argparse.Namespace, key: ResolvedKey | None
) -> int:
    from flowsery_gui import paths
    from flowsery_gui.suites.console import ProgressPrinter, summary
    from flowsery_gui.suites.recording import HistoryRecorder
    from flowsery_gui.suites.runner import RunRefused, is_production

    runner = make_runner()
    refusal = runner.preflight()
    if refusal is not None:
        if is_production(runner.target) and not args.yes_production:
            refusal = sentences(
                refusal, _("Confirm with --yes-production, or name a sandbox with --base-url.")
            )
        return _error(refusal)
    target = runner.target
    goals = ngettext(
        "{count} goal", "{count} goals", runner.total, count=format_number(runner.total)
    )
    print(
        ngettext(
            "Running {goals} of {count} suite against {profile} at {url}",
            "Running {goals} of {count} suites against {profile} at {url}",
            len(runner.suites),
            goals=goals,
            count=len(runner.suites),
            profile=target.profile,
            url=target.base_url,
        ),
        file=sys.stderr,
    )
    printer = ProgressPrinter(
        sys.stdout, sys.stderr if sys.stderr.isatty() else None, show_suite=len(runner.suites) > 1
    )
    secret = key.key if key is not None else None
    with HistoryRecorder(paths.history_path(), source="cli", key=secret) as recorder:
        runner = make_runner(on_progress=printer, recorder=recorder)
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["run"] = runner.run()
            except RunRefused as exc:
                outcome["refused"] = str(exc)
            except BaseException as exc:  # a bug: shown by the main thread, not lost here
                outcome["crash"] = exc

        thread = threading.Thread(target=work, name="suite-run", daemon=True)
        previous = _install_interrupt(runner, printer)
        try:
            thread.start()
            while thread.is_alive():
                thread.join(0.2)
        finally:
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGINT, previous)
    printer.finish()
    if "crash" in outcome:
        raise outcome["crash"]
    if "refused" in outcome:
        return _error(outcome["refused"])
    run = outcome["run"]
    for line in summary(run):
        print(line)
    problems = _write_reports(run, args, secret)
    for problem in problems:
        _error(problem)
    if problems:
        return EXIT_USAGE
    if run.all_passed:
        return EXIT_OK
    return EXIT_NO_RESPONSE if run.no_response_at_all else EXIT_FAILED


def _install_interrupt(runner: Any, printer: Any) -> Any:
    """Ctrl+C: stop after the goal in flight; a second Ctrl+C aborts that goal too.

    Only the main thread may set a signal handler; elsewhere Ctrl+C keeps its default."""
    if threading.current_thread() is not threading.main_thread():
        return signal.getsignal(signal.SIGINT)
    presses = [0]

    def on_interrupt(signum: int, frame: FrameType | None) -> None:
        presses[0] += 1
        if presses[0] == 1:
            printer.message(_("Stopping after the goal in flight (Ctrl+C again to abort it)…"))
            runner.cancel()
        else:
            runner.cancel(abort_in_flight=True)

    return signal.signal(signal.SIGINT, on_interrupt)


def _write_reports(run: RunResult, args: argparse.Namespace, key: str | None) -> list[str]:
    """Write the reports asked for (also after Ctrl+C); the problems, in plain words."""
    from flowsery_gui.suites.reporting import write_reports

    return write_reports(
        run, junit=args.junit, html=args.html, json=args.json, secrets=(key,) if key else ()
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run `flowsery-goal run ...` alone (tests run it in a subprocess)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    from flowsery_gui.cli import argparse_words, helptext

    argparse_words.install()
    parser = helptext.HelpParser(prog=PROG)
    register(parser.add_subparsers(title=_("commands"), metavar="COMMAND"))
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args))
    except BrokenPipeError:  # the output was piped into a command that stopped reading
        sys.stderr.close()
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
