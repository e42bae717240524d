"""The API key dialog's sentences: the key's state, a keyring failure, and a Verify's answer.

A module of its own because these are words made from facts (the profile, where its key is,
what the keyring or the API answered), not widgets: the dialog (`key_dialog`) puts them in
its labels and buttons. Nothing here sees a key; the words never hold one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from flowsery_gui import contract
from flowsery_gui.i18n import N_, _

if TYPE_CHECKING:
    from flowsery_gui.exchange import Exchange
    from flowsery_gui.profiles import Profile
    from flowsery_gui.ui.target import KeyInfo

NO_KEYRING_TIP = N_(
    "No keyring is available on this computer, so the key cannot be stored. Use it for this "
    "session only: it is kept in memory until you quit."
)


def state_text(profile: Profile, info: KeyInfo) -> str:
    """The dialog's first lines: which profile (and where it sends), and where its key is."""
    name, url = profile.name, profile.base_url
    lines = [
        _("Profile {profile} ({url})", profile=name, url=url)
        if url
        else _("Profile {profile}", profile=name),
        info.text,
    ]
    if info.detail:
        lines.append(info.detail)
    if profile.kind == "sandbox":
        lines.append(_("The built-in sandbox makes its own key each run; nothing to store."))
    return "\n".join(lines)


def keyring_error_text(error: Any) -> str:
    """A failed keyring call in words, with its advice (and, with no keyring at all, the way
    out: a key kept for this session only)."""
    from flowsery_gui.keystore import KeyStoreError

    if isinstance(error, KeyStoreError):
        text = f"{error.message}\n{error.advice}".strip()
        if error.reason == "no_backend":
            extra = _("You can still use the key for this session only (kept in memory).")
            text = f"{text}\n{extra}"
        return text
    return str(error)


def task_failed_text(kind: str) -> str:
    """A bug in the app's own keyring or Verify work, said as one (nothing was stored)."""
    # Translators: {kind} is the type of the program error (e.g. ValueError).
    return _(
        "Something went wrong inside the app ({kind}). Nothing was stored. Please report it.",
        kind=kind,
    )


class Verified(NamedTuple):
    """What a Verify's answer says: whether the key works, in words, and the site's zone."""

    works: bool
    text: str
    timezone: str | None  # the website's timezone, when it is one the form offers


def verified(exchange: Exchange) -> Verified:
    """Read the `/metadata` answer to a Verify: the website the key belongs to, or why not."""
    from flowsery_gui.explain import explain
    from flowsery_gui.sending.answers import read_website

    data = exchange.response.json() if exchange.response is not None else None
    site = read_website(data) if exchange.ok else None
    if site is None:
        explanation = explain(exchange)
        return Verified(False, f"✖ {explanation.title}\n{explanation.message}", None)
    if site.name and site.domain:
        # Translators: {site} is the website's domain, {name} the name it has in Flowsery.
        works = _("✔ This key works for {site} ({name}).", site=site.domain, name=site.name)
    else:
        works = _("✔ This key works for {site}.", site=site.domain or site.name)
    timezone = site.timezone
    offered = timezone if timezone and timezone in contract.timezones() else None
    return Verified(True, works, offered)
