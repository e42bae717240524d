"""The key never reaches a report: every string a writer writes passes through here first.

Two layers: every secret the caller names (the key in memory) is replaced by its masked
form wherever it appears, and any `Bearer <token>` left in a header or a log line is
masked too, in case a caller forgot to name one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable

from flowsery_gui.masking import MIN_SECRET_LENGTH, mask_key, scrub
from flowsery_gui.reports.model import Case, Run, Suite

_BEARER = re.compile(r"(?i)\b(bearer)([ \t]+)([^\s\"',;]+)")
_SURROGATE = re.compile("[\ud800-\udfff]")  # lone halves (from JSON) cannot be written


def masker(secrets: Iterable[str] = ()) -> Callable[[str], str]:
    """A function that masks every named secret (in any spelling: as typed, JSON-escaped,
    percent-encoded; the core `masking.scrub`) and every bearer token in a text.

    It also replaces lone UTF-16 surrogates (a JSON body may hold one) with U+FFFD, so
    every writer can encode what it gets.
    """
    named = [s for s in secrets if isinstance(s, str) and len(s) >= MIN_SECRET_LENGTH]

    def bearer(match: re.Match[str]) -> str:
        token = match.group(3)
        if token.startswith("…"):
            return match.group(0)  # already masked
        return f"{match.group(1)}{match.group(2)}{mask_key(token)}"

    def mask(text: str) -> str:
        if named:
            text = scrub(text, named)
        if "earer" in text or "EARER" in text:
            text = _BEARER.sub(bearer, text)
        return _SURROGATE.sub("\ufffd", text)

    return mask


def mask_run(run: Run, secrets: Iterable[str] = ()) -> Run:
    """A copy of the run with every string masked (names, reasons, exchanges, target)."""
    mask = masker(secrets)

    def case(c: Case) -> Case:
        return dataclasses.replace(
            c,
            name=mask(c.name),
            classname=mask(c.classname),
            reason=mask(c.reason),
            details=mask(c.details),
            exchange=mask(c.exchange),
            kind=mask(c.kind),
        )

    def suite(s: Suite) -> Suite:
        return dataclasses.replace(
            s, name=mask(s.name), file=mask(s.file), cases=tuple(case(c) for c in s.cases)
        )

    return dataclasses.replace(
        run,
        name=mask(run.name),
        target=mask(run.target),
        properties=tuple((mask(k), mask(v)) for k, v in run.properties),
        suites=tuple(suite(s) for s in run.suites),
    )
