"""A stored exchange used again outside the history list: where it would go today, as a cURL
command, and written to a file (JSON Lines or HAR).

A record sent to the built-in sandbox went to a port that died with its run: it is reused on
the sandbox running now, and the words say so. No widget in here: the panel shows the words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from flowsery_gui import contract
from flowsery_gui.i18n import _, format_number, ngettext, sentences
from flowsery_gui.ui.context import AppContext

if TYPE_CHECKING:
    from flowsery_gui.history import Filters, History, HistoryRecord


#: Where a sandbox record goes today when its own sandbox is gone: (now, then), hosts.
Moved = tuple[str, str]


def where_it_goes_now(ctx: AppContext, record: HistoryRecord) -> tuple[str, Moved | None]:
    """Where a record's request goes today: its recorded base URL, or for the built-in
    sandbox the one running now; and, when that is not where it went then, the host it goes
    to now and the one it went to."""
    recorded = record.url.removesuffix(contract.GOALS_PATH)
    profile = ctx.profiles.get(record.profile)
    if profile is None or profile.kind != "sandbox":
        return recorded, None
    now = ctx.target.ensure_sandbox().url  # a sandbox record's port died with its run
    if now == recorded:
        return now, None
    here, there = (url.removeprefix("http://") for url in (now, recorded))
    return now, (here, there)


def sent_again_words(ctx: AppContext, record: HistoryRecord) -> str | None:
    """The status bar's words for a sandbox record sent again to the sandbox running now
    (None when it went where it went then)."""
    moved = where_it_goes_now(ctx, record)[1]
    if moved is None:
        return None
    here, there = moved
    return _(
        "Sent again to the sandbox running now at {here} (the recorded send went to "
        "{there}, the sandbox of an earlier run, which is gone).",
        here=here,
        there=there,
    )


def curl_of(ctx: AppContext, record: HistoryRecord) -> tuple[str | None, str]:
    """The record's request as cURL (its body as recorded; the key stays $FLOWSERY_API_KEY),
    planned by the send pipeline as a send would be; and the words to say. None (and why)
    for a URL no send would go to."""
    from flowsery_gui.codegen import to_curl
    from flowsery_gui.sending import RawBody, Refusal, SendOptions, Target, plan_goal

    base_url, moved = where_it_goes_now(ctx, record)
    plan = plan_goal(  # as it was sent: to where it goes, its body unjudged
        Target(record.profile, "custom", base_url),
        RawBody(record.exchange.request.body or "{}"),
        True,
        SendOptions(enforce_rules=False),
    )
    if isinstance(plan, Refusal) and plan.request is None:
        return None, plan.message
    assert plan.request is not None
    where = None
    if moved is not None:
        where = _(
            "It goes to the sandbox running now at {here} (the recorded send went to "
            "{there}, the sandbox of an earlier run, which is gone).",
            here=moved[0],
            there=moved[1],
        )
    key_words = _("The key is $FLOWSERY_API_KEY: set it in your shell.")
    return to_curl(plan.request), sentences(_("Copied as cURL."), where, key_words)


def export_work(
    store: History, path: str, ids: list[int], filters: Filters, *, har: bool
) -> Callable[[], str]:
    """The work of an export (for the task runner): the given records, or all that the
    filters show, written to `path`; returns what to say."""
    from flowsery_gui.history import export_har, export_jsonl

    def work() -> str:
        records = store.iter_records(ids=ids) if ids else store.iter_records(filters=filters)
        try:
            with open(path, "w", encoding="utf-8") as handle:
                count = (export_har if har else export_jsonl)(records, handle)
        except OSError as exc:
            # Translators: {reason} is the system's own words (often English).
            return _("Could not export to {path}: {reason}.", path=path, reason=exc.strerror or exc)
        if ids:
            return ngettext(
                "Exported {count} record (the selected) to {path}.",
                "Exported {count} records (the selected) to {path}.",
                count,
                count=format_number(count),
                path=path,
            )
        return ngettext(
            "Exported {count} record (all shown) to {path}.",
            "Exported {count} records (all shown) to {path}.",
            count,
            count=format_number(count),
            path=path,
        )

    return work
