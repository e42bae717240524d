"""A self-contained HTML report: one file, no JavaScript, no external resources.

CI viewers (GitLab artifacts, Jenkins' HTML publisher) block scripts, so the page uses only
HTML and inline CSS: `<details>` folds the exchanges, a Content-Security-Policy forbids
anything but the inline style. Failures and errors come first in each suite and are
marked in red; every string is masked, then escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path

from flowsery_gui.i18n import (
    _,
    current_language,
    format_datetime,
    format_duration,
    is_rtl,
    ngettext,
    pgettext,
)
from flowsery_gui.reports.files import write_text_atomic
from flowsery_gui.reports.masking import mask_run
from flowsery_gui.reports.model import Case, Counts, Outcome, Run, Suite, outcome_label

_ORDER = {Outcome.ERROR: 0, Outcome.FAILED: 1, Outcome.SKIPPED: 2, Outcome.PASSED: 3}
_STYLE = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0;
  color: #1d1f21; background: #fafafa; }
header { padding: 20px 28px; background: #fff; border-bottom: 1px solid #ddd; }
header.ok { border-top: 6px solid #2e7d32; } header.bad { border-top: 6px solid #c62828; }
h1 { margin: 0 0 4px; font-size: 22px; } h2 { font-size: 18px; margin: 0 0 4px; }
main { padding: 12px 28px 40px; max-width: 1200px; }
.facts { color: #555; margin: 0; } .facts span + span::before { content: " · "; }
.verdict { font-weight: 600; margin: 6px 0 0; } .ok .verdict { color: #2e7d32; }
.bad .verdict { color: #c62828; }
section { margin: 22px 0; } .file { color: #666; font-weight: normal; font-size: 14px; }
details { background: #fff; border: 1px solid #ddd; border-left-width: 5px; margin: 4px 0;
  border-radius: 3px; }
details.failed, details.error { border-left-color: #c62828; background: #fff6f6; }
details.passed { border-left-color: #2e7d32; } details.skipped { border-left-color: #999; }
summary { padding: 6px 10px; cursor: pointer; }
.badge { display: inline-block; min-width: 64px; font: 600 12px/1.6 monospace;
  text-align: center; border-radius: 3px; color: #fff; margin-right: 8px; }
.failed .badge, .error .badge { background: #c62828; } .passed .badge { background: #2e7d32; }
.skipped .badge { background: #777; }
.time { color: #777; font-size: 13px; float: right; }
.reason { margin: 4px 12px 8px; font-weight: 600; white-space: pre-wrap; }
pre { margin: 0 12px 10px; padding: 8px; background: #f3f3f3; border-radius: 3px;
  white-space: pre-wrap; word-break: break-word; font: 13px/1.4 ui-monospace, monospace; }
.empty { color: #666; }
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _facts(items: Iterable[str]) -> str:
    return "".join(f"<span>{_e(item)}</span>" for item in items if item)


def _case(case: Case) -> str:
    kind = case.outcome.value
    opened = " open" if case.outcome in (Outcome.FAILED, Outcome.ERROR) else ""
    parts = [
        f'<details class="{kind}"{opened}><summary><span class="badge">'
        f"{_e(outcome_label(case.outcome))}</span>{_e(case.name)}"
        f'<span class="time">{_e(format_duration(case.time * 1000))}</span></summary>'
    ]
    if case.reason:
        parts.append(f'<p class="reason">{_e(case.reason)}</p>')
    if case.details and case.details != case.reason:
        parts.append(f"<pre>{_e(case.details)}</pre>")
    if case.exchange:
        parts.append(f"<pre>{_e(case.exchange)}</pre>")
    parts.append("</details>")
    return "".join(parts)


def _suite(suite: Suite) -> str:
    counts = suite.counts
    ordered = sorted(suite.cases, key=lambda c: _ORDER[c.outcome])  # stable: order kept
    file = f' <span class="file">{_e(suite.file)}</span>' if suite.file else ""
    empty = _e(_("No cases."))
    body = "\n".join(_case(c) for c in ordered) or f'<p class="empty">{empty}</p>'
    return (
        f"<section><h2>{_e(suite.name)}{file}</h2>"
        f'<p class="facts"><span>{_e(counts.words())}</span>'
        f"<span>{_e(format_duration(suite.seconds * 1000))}</span></p>\n{body}\n</section>"
    )


def _verdict(counts: Counts) -> str:
    if counts.tests == 0:
        return _("Nothing was checked.")
    if counts.ok and counts.skipped == 0:
        return ngettext(
            "All {count} passed.", "All {count} passed.", counts.tests, count=counts.tests
        )
    return counts.words()


def _fact(key: str, value: str) -> str:
    """A run's property as the page shows it: the words for the keys the app sets (the
    machine reports keep the keys as they are)."""
    labels = {
        "run id": pgettext("report fact", "run id"),
        "profile": pgettext("report fact", "profile"),
        "stopped": pgettext("report fact", "stopped"),
        "note": pgettext("report fact", "note"),
        "plan": pgettext("report fact", "plan"),
        "since": pgettext("report fact", "since"),
    }
    return _("{label}: {value}", label=labels.get(key, key), value=value)


def render_html(run: Run, secrets: Iterable[str] = ()) -> str:
    """The run as one self-contained HTML page (text), with every secret masked."""
    run = mask_run(run, secrets)
    counts = run.counts
    state = "ok" if counts.ok else "bad"
    facts = [
        _("started {time}", time=format_datetime(run.started)),
        format_duration(run.duration * 1000),
        run.target,
        *(_fact(k, v) for k, v in run.properties),
    ]
    suites = "\n".join(_suite(s) for s in run.suites)
    lang = current_language().replace("_", "-")
    direction = ' dir="rtl"' if is_rtl() else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"{direction}><head><meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(run.name)}: {_e(counts.words())}</title>\n<style>{_STYLE}</style>"
        f'</head>\n<body>\n<header class="{state}"><h1>{_e(run.name)}</h1>'
        f'<p class="facts">{_facts(facts)}</p><p class="verdict">{_e(_verdict(counts))}</p>'
        f"</header>\n<main>\n{suites}\n</main>\n</body></html>\n"
    )


def write_html(run: Run, path: Path | str, secrets: Iterable[str] = ()) -> Path:
    """Write the HTML report; raises OSError when the file cannot be written."""
    return write_text_atomic(path, render_html(run, secrets))
