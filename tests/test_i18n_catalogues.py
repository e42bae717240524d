"""The checks that keep translation true, run by CI: every user-facing string marked, the
template current, every language complete, no placeholder dropped or mangled."""

from __future__ import annotations

import textwrap

import pytest

from tests.i18n_tools import load_tool

workflow = load_tool("i18n")
lint = load_tool("i18n_lint")


# --- (a) the lint over the source ------------------------------------------------------------


def test_every_user_facing_string_in_the_checked_modules_goes_through_translation() -> None:
    problems = lint.lint()
    assert problems == [], "\n".join(map(str, problems))


def test_the_pending_list_names_only_places_that_exist() -> None:
    for entry in lint.PENDING:
        assert (lint.ROOT / entry).exists() or entry.rstrip("/").endswith("cleanup"), entry


def problems_in(source: str) -> list[str]:
    return [p.why for p in lint.lint_source(textwrap.dedent(source), "example.py")]


@pytest.mark.parametrize(
    "source",
    [
        'label.setText("Send")',
        'button.setToolTip(f"Send {name} now")',
        'QMessageBox.warning(self, "Not sent", reason)',
        'print("ok: valid goal body")',
        'parser.add_argument("--name", help="the goal name")',
        'raise HistoryError("Could not open the history.")',
        'Finding("name", "name.missing", "A goal name is required.")',
        'Finding("name", "name.missing", message="A goal name is required." + hint)',
        'NO_KEY_MESSAGE = "No key was given."',
        'def url_problem(url):\n    return "The base URL is empty."',
        'ask.confirm("Delete everything?", text, "Delete")',
    ],
)
def test_the_lint_finds_text_a_person_reads_that_is_not_marked(source: str) -> None:
    assert problems_in(source), source


@pytest.mark.parametrize(
    "source",
    [
        'from flowsery_gui.i18n import _\nlabel.setText(_("Send"))',
        'from flowsery_gui.i18n import _\nprint(_("{count} rows", count=n))',
        'Finding("name", "name.pattern", words, "error", fix)',  # a variable: made elsewhere
        "print(json.dumps(value))",  # machine output
        'print(f"{path}: {line}")',  # composition of translated parts
        'header("Retry-After")',  # not a sink
        'Finding("metadata.plan", "metadata.value.type", _("x"))',  # codes and paths
        'log.error("history write failed: %s", exc)',  # a log line
        'from flowsery_gui.i18n import N_\nHOW_TEXT = N_("Paste a Cookie header.")',
    ],
)
def test_the_lint_leaves_marked_text_codes_and_machine_output_alone(source: str) -> None:
    assert problems_in(source) == [], source


def test_the_lint_refuses_calls_that_extraction_or_a_translation_would_break() -> None:
    source = """
        from flowsery_gui.i18n import _, ngettext
        a = _(f"Hello {name}")
        b = _("Hello {name}").format(name=name)
        c = f"{head} · {_('Rejected')}"
        for _ in range(3):
            pass
    """
    whys = problems_in(source)
    assert any("must be a string literal" in why for why in whys)
    assert any("not to .format()" in why for why in whys)
    assert any("inside an f-string" in why for why in whys)
    assert any("assigns to _" in why for why in whys)


# --- (b) the template is what the source says -----------------------------------------------


def test_the_committed_template_is_what_extraction_gives_from_the_source_today() -> None:
    assert workflow.pot_is_current(), "run: python tools/i18n.py extract && ... update"


# --- (c) placeholders ------------------------------------------------------------------------


@pytest.mark.parametrize("code", workflow.translated_languages())
def test_no_translation_drops_adds_or_mangles_a_placeholder(code: str) -> None:
    assert workflow.placeholder_problems(workflow.read_po(workflow.po_path(code))) == []


def test_the_placeholder_check_catches_a_dropped_a_renamed_and_a_mangled_field() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="de")
    catalog.add("Hello {name}", "Hallo")
    catalog.add("{count} rows of {total}", "{count} Zeilen von {totl}")
    catalog.add("At {time:%H:%M}", "Um {time}")
    catalog.add("%(count)d goals", "%(count)s Ziele", flags=["python-format"])
    catalog.add("Fine {name}", "Gut {name}")
    problems = workflow.placeholder_problems(catalog)
    assert len(problems) == 4, problems


# --- (d) every shipped language is complete ---------------------------------------------------


@pytest.mark.parametrize("code", workflow.translated_languages())
def test_every_shipped_language_translates_every_extracted_message(code: str) -> None:
    assert workflow.completeness_problems(code) == []


@pytest.mark.parametrize("code", workflow.translated_languages())
def test_every_compiled_catalogue_is_its_po_file_compiled(code: str) -> None:
    assert workflow.mo_problems(code) == []


def test_the_shipped_languages_are_the_five_the_app_offers() -> None:
    assert workflow.translated_languages() == ["de", "fr", "es", "pt_BR", "ja"]
