"""What `flowsery-goal run --help` says below its options: where a run goes, which key it
uses, what it keeps, and its exit codes; laid out for the reader's language."""

from __future__ import annotations

from flowsery_gui.i18n import _


def run_epilog() -> str:
    """What `run --help` says about the target, the key, history and exit codes."""
    from flowsery_gui.cli import helptext

    return helptext.blocks(
        helptext.paragraph(
            _(
                "The target: --profile / --base-url, else FLOWSERY_PROFILE / FLOWSERY_BASE_URL, "
                "else the suite's `profile:`. With none of them the run is refused: it never "
                "goes to Production unless one of them names it, and then only with "
                "--yes-production."
            )
        ),
        helptext.paragraph(
            _(
                "The key: FLOWSERY_API_KEY when set, else the profile's key in the system "
                "keyring. It never appears in any output or report."
            )
        ),
        helptext.paragraph(
            _("Every sent goal is kept in history; the run is listed with the past runs.")
        ),
        helptext.section(
            _("exit codes:"),
            helptext.entries(
                [
                    ("0", _("every goal passed")),
                    ("1", _("a goal failed or was not run (Ctrl+C, --fail-fast)")),
                    (
                        "2",
                        _(
                            "a bad suite or a run refused before sending (no target, no key, "
                            "Production not confirmed, a bad --sandbox-fault)"
                        ),
                    ),
                    ("3", _("no response from the target at all")),
                    ("4", _("the system keyring could not be used")),
                ]
            ),
        ),
    )
