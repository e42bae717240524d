"""`flowsery-goal cleanup` at work: plan from history, print the calls, confirm, send, report.

The plan is printed to stdout (each call in plain words, its risk, the exact request);
problems go to stderr. Nothing is sent without `--yes` or the profile's name typed on a
terminal, and a call that can reach real visitors' goals also needs
`--include-real-visitors`. Every call is planned by the send pipeline with both time
bounds required, so no flag can send a DELETE without them.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import TYPE_CHECKING

from flowsery_gui.cleanup.model import PlanOptions, Reason
from flowsery_gui.cleanup.runner import CallOutcome, CallState, CleanupResult, CleanupRun
from flowsery_gui.cleanup.since import parse_since
from flowsery_gui.cleanup.words import describe, left_summary, margin_words, risk_words
from flowsery_gui.cli.common import (
    API_KEY_ENV,
    EXIT_FAILED,
    EXIT_NO_RESPONSE,
    EXIT_OK,
    EXIT_USAGE,
    PROG,
    one_line,
    usage_error,
)
from flowsery_gui.cli.profile import find_profile, profile_store
from flowsery_gui.cli.target import Target, no_key, resolve_api_key
from flowsery_gui.i18n import _, format_number, ngettext, sentences
from flowsery_gui.masking import scrub

if TYPE_CHECKING:
    from flowsery_gui.cleanup.model import CleanupPlan
    from flowsery_gui.history import History
    from flowsery_gui.profiles import Profile

COMMAND = "cleanup"


def shown(text: str, key: str | None = None) -> str:
    """Text for one terminal line: the key masked, line breaks and control characters shown
    as escapes (a server's words cannot drive the terminal)."""
    return one_line(scrub(text, (key,)) if key else text)


def say(message: str) -> None:
    """A line on stderr about this command."""
    print(
        _("{prog}: {message}", prog=PROG + " " + COMMAND, message=shown(message)), file=sys.stderr
    )


def _refuse(message: str) -> int:
    return usage_error(COMMAND, one_line(message))


def _target(profile: Profile, base_url: str | None) -> Target | str:
    """Where the DELETEs go: the profile's URL, or --base-url (the Sandbox profile needs it:
    no sandbox runs inside a one-shot command). The key: the profile's keyring entry, or
    $FLOWSERY_API_KEY (which wins, by the one key rule)."""
    from flowsery_gui.profiles import validate_base_url

    url = base_url or profile.base_url
    if not url:
        return _(
            "the {profile} profile is the window's built-in sandbox; give the URL of a running "
            "flowsery-sandbox with --base-url (and its key in {variable}).",
            profile=profile.name,
            variable=API_KEY_ENV,
        )
    try:
        checked = validate_base_url(url)
    except ValueError as exc:
        return _("--base-url: {problem}", problem=exc)
    keyring = None if profile.kind == "sandbox" else profile.name
    return Target(profile.name, checked, keyring, kind=profile.kind)


def _open_history(dry_run: bool) -> History | str:
    from flowsery_gui import paths
    from flowsery_gui.history import History

    history, message = History.open(paths.history_path(), read_only=dry_run)
    if history is None:
        return sentences(message or _("History is off."), _("A cleanup plans from history."))
    if message:
        say(message)
    return history


def print_plan(plan: CleanupPlan, target: Target) -> None:
    """The calls, each in plain words, its risk and the exact request; then what is left."""
    from flowsery_gui.cleanup.runner import plan_call
    from flowsery_gui.sending import KeySource, Refusal, SendOptions

    sending_target = target.for_sending()
    calls = len(plan.calls)
    print(
        shown(
            ngettext(
                "Cleanup of {profile} ({url}): {count} call.",
                "Cleanup of {profile} ({url}): {count} calls.",
                calls,
                profile=target.profile,
                url=target.base_url,
                count=format_number(calls),
            )
        )
    )
    print(shown(margin_words(plan)))
    shape = SendOptions(production_confirmed=True)
    for number, call in enumerate(plan.calls, 1):
        print()
        print(shown(f"{number}. {describe(call)}"))
        if call.needs_acknowledgement:
            said = _("warning: {risk}", risk=risk_words(call))
        else:
            said = _("risk: {risk}", risk=risk_words(call))
        print(shown("  " + said))
        request = plan_call(call, sending_target, KeySource.ENVIRONMENT, shape)
        if not isinstance(request, Refusal):
            print(shown(f"  {request.request.method} {request.request.url}"))
    lines = left_summary(plan)
    if lines:
        print()
        print(_("Left out:"))
        for line in lines:
            print(shown(f"  {line}"))


def _confirmed(profile: str, yes: bool) -> bool | str:
    """True with --yes or the profile's name typed on a terminal; else why not (a message)."""
    if yes:
        return True
    stream = sys.stdin
    if stream is None or not stream.isatty():
        return _("nothing was sent: add --yes to send these calls (this is not a terminal).")
    try:
        typed = input(
            _("Type the profile name ({profile}) to delete these goals from it: ", profile=profile)
        )
    except (EOFError, KeyboardInterrupt):
        print(file=sys.stderr)
        typed = ""
    if typed.strip() != profile:
        return _("nothing was sent: the profile's name was not typed.")
    return True


def _print_outcome(index: int, outcome: CallOutcome, key: str | None) -> None:
    stream = sys.stdout if not outcome.state.stops else sys.stderr
    said = _(
        "call {number}: {state}: {message}",
        number=index + 1,
        state=outcome.state.value,
        message=outcome.message,
    )
    print(shown(said, key), file=stream)


def exit_code(result: CleanupResult) -> int:
    """0 when every sent call was answered 2xx; else as `send`: 1, 2 or 3."""
    if result.refused:
        return EXIT_USAGE
    stopped = result.stopped_by
    if stopped is None:
        return EXIT_OK
    return {
        CallState.NO_RESPONSE: EXIT_NO_RESPONSE,
        CallState.REFUSED: EXIT_USAGE,
    }.get(stopped.state, EXIT_FAILED)


def cmd_cleanup(args: argparse.Namespace) -> int:
    """Plan the cleanup from history, print it, and with consent send it."""
    from flowsery_gui.cleanup.select import plan_from_history
    from flowsery_gui.history import HistoryError

    since = None
    if args.since is not None:
        try:
            since = parse_since(args.since, time.time())
        except ValueError as exc:
            return _refuse(_("--since: {problem}", problem=exc))
    profile = find_profile(profile_store(), args.profile, COMMAND)
    if isinstance(profile, int):
        return profile
    target = _target(profile, args.base_url)
    if isinstance(target, str):
        return _refuse(target)
    history = _open_history(args.dry_run)
    if isinstance(history, str):
        return _refuse(history)
    with history:
        options = PlanOptions(
            include_unanswered=args.include_unanswered, wide_window=args.wide_window
        )
        try:
            selection = plan_from_history(
                history, profile, ids=args.ids, since=since, name=args.name, options=options
            )
        except HistoryError as exc:
            say(exc.message)
            return EXIT_FAILED
        if selection.plan is None:
            return _refuse(selection.problem)
        if selection.missing_ids:
            ids = ", ".join(str(i) for i in selection.missing_ids[:10])
            missing = len(selection.missing_ids)
            say(
                ngettext(
                    "{count} record id is not in history: {ids}",
                    "{count} record ids are not in history: {ids}",
                    missing,
                    count=format_number(missing),
                    ids=ids,
                )
            )
        if selection.other_names:
            say(
                ngettext(
                    "{count} chosen record is not named {name}: left out.",
                    "{count} chosen records are not named {name}: left out.",
                    selection.other_names,
                    count=format_number(selection.other_names),
                    name=args.name,
                )
            )
        plan = selection.plan
        print_plan(plan, target)
        print()
        if not plan.calls:
            print(_("Nothing to delete."))
            return EXIT_OK
        if args.dry_run:
            print(_("Dry run: nothing was sent."))
            return EXIT_OK
        return _send(plan, target, history, args)


def _send(plan: CleanupPlan, target: Target, history: History, args: argparse.Namespace) -> int:
    risky = [c for c in plan.calls if c.risk.reaches_real_visitors]
    if risky and not args.include_real_visitors:
        return _refuse(
            ngettext(
                "nothing was sent: {count} of the calls can delete goals of real visitors (see "
                "the warning above). Add --include-real-visitors to send it too, or choose "
                "fewer sends (--name, --ids).",
                "nothing was sent: {count} of the calls can delete goals of real visitors (see "
                "the warnings above). Add --include-real-visitors to send them too, or choose "
                "fewer sends (--name, --ids).",
                len(risky),
                count=format_number(len(risky)),
            )
        )
    key = resolve_api_key(target)
    if not key.present:
        return no_key(target, key)
    confirmed = _confirmed(target.profile, args.yes)
    if confirmed is not True:
        return _refuse(str(confirmed))
    run = CleanupRun(
        plan.calls,
        target=target.for_sending(),
        key=key,
        history=history,
        source="cli",
        confirmed_profile=target.profile,
        acknowledged=True,  # every risky call was allowed by a flag above
    )
    result = run.run(lambda index, outcome: _print_outcome(index, outcome, key.key))
    for line in result.summary():
        print(shown(line, key.key))
    if plan.left_for(Reason.UNANSWERED, Reason.INEXACT):
        print(_("Some sends were left out (see above): they were not deleted."))
    return exit_code(result)
