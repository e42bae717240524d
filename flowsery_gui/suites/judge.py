"""Whether one case met its expectation, and if not, why, in plain words.

Pure functions: the runner hands over what the local rules said, what came back and what
the plan found; nothing here sends or reads a file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from flowsery_gui.contract import Finding
from flowsery_gui.exchange import Exchange
from flowsery_gui.explain import server_message
from flowsery_gui.i18n import _
from flowsery_gui.suites.model import Expectation
from flowsery_gui.suites.results import Outcome


class Verdict(NamedTuple):
    """A case judged: how it ended, why in plain words, and a short stable code for the why."""

    outcome: Outcome
    reason: str = ""
    kind: str = ""  # status | message | plan | refused | not_refused | no_response | ...


PASSED = Verdict(Outcome.PASSED)


def finding_words(findings: Sequence[Finding]) -> str:
    """The errors among findings as one line: `name: Goal names use only ...`."""
    errors = [f for f in findings if f.is_error] or list(findings)
    return "; ".join(f"{f.path or 'body'}: {f.message}" for f in errors)  # path: words


def judge_refusal(expect: Expectation, refusal: str) -> Verdict:
    """A case the local rules refused, so nothing was sent."""
    if expect.refused:
        return PASSED
    said = _("Refused by the local rules, not sent: {reason}", reason=refusal)
    return Verdict(Outcome.FAILED, said, "refused")


def judge_not_refused(expect: Expectation) -> Verdict:
    """A case expected to be refused that the local rules would have let through."""
    return Verdict(
        Outcome.FAILED,
        _("Expected the local rules to refuse this goal, but they accept it; it was not sent."),
        "not_refused",
    )


def judge_exchange(
    expect: Expectation, exchange: Exchange, violations: Sequence[str] | None
) -> Verdict:
    """A sent case: status, then the server's message, then the plan (None: no plan)."""
    response = exchange.response
    if response is None:
        failure = exchange.failure
        if failure is None:
            return Verdict(Outcome.FAILED, _("No response: nothing came back."), "no_response")
        words = _("No response: {reason}", reason=failure.message)
        return Verdict(Outcome.FAILED, words, "no_response")
    said = server_message(response.body)
    shown = f"{response.status} {response.reason}".strip()
    if not any(rule.matches(response.status) for rule in expect.status):
        wanted = expect.describe_status()
        if said:
            words = _(
                'Expected status {wanted}, got {got}: "{message}"',
                wanted=wanted,
                got=shown,
                message=said,
            )
        else:
            words = _("Expected status {wanted}, got {got}", wanted=wanted, got=shown)
        return Verdict(Outcome.FAILED, words, "status")
    if expect.message is not None:
        wanted = expect.message.casefold()
        if not any(wanted in text.casefold() for text in messages_in(response.body)):
            if said:
                words = _(
                    'Expected the server\'s message to contain "{wanted}"; it said: "{said}".',
                    wanted=expect.message,
                    said=said,
                )
            else:
                words = _(
                    'Expected the server\'s message to contain "{wanted}"; it said nothing '
                    "readable.",
                    wanted=expect.message,
                )
            return Verdict(Outcome.FAILED, words, "message")
    # A goal the server refused was not recorded: the plan judges it only when asked to.
    judged = expect.plan is not None or 200 <= response.status < 300
    if violations is not None and judged:
        if expect.plan == "violations" and not violations:
            return Verdict(
                Outcome.FAILED,
                _("Expected the tracking plan to find violations; it found none."),
                "plan",
            )
        if expect.plan in (None, "pass") and violations:
            said = _("The tracking plan found: {violations}", violations="; ".join(violations))
            return Verdict(Outcome.FAILED, said, "plan")
    return PASSED


def messages_in(body: str) -> list[str]:
    """Every message the server wrote, in either documented error shape or a success body;
    the whole body text when it has none of them (plain text, HTML)."""
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return [body]
    found: list[str] = []
    if isinstance(value, dict):
        error = value.get("error")
        if isinstance(error, dict):  # envelope
            found += _texts(error.get("message"))
        elif isinstance(error, str):  # NestJS names the status here
            found.append(error)
        found += _texts(value.get("message"))  # NestJS: a text or a list of texts
        data = value.get("data")
        if isinstance(data, list):  # success
            for item in data:
                if isinstance(item, dict):
                    found += _texts(item.get("message"))
    return found or [body]


def _texts(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
