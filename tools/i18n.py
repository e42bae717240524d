"""The catalogue workflow: extract the marked strings, update and compile the translations,
and check that they are whole. Needs Babel (`pip install -e ".[test]"`); the app does not.

    python tools/i18n.py extract     # source -> flowsery_gui/i18n/locale/flowsery.pot
    python tools/i18n.py update      # .pot -> every language's .po (new strings untranslated)
    python tools/i18n.py compile     # every .po -> .mo (what the app reads)
    python tools/i18n.py check       # all of the checks below; exit 1 on any problem
    python tools/i18n.py init LANG   # start a new language's .po from the .pot
    python tools/i18n.py cldr        # regenerate the date and number data (i18n/cldr.py)

The checks (the tests run the same functions): the .pot is what extraction gives today;
every .po has every message of the .pot, none fuzzy or empty; no translation drops, adds
or mangles a placeholder; every .mo holds exactly its .po's translations.
"""

from __future__ import annotations

import argparse
import io
import re
import string
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flowsery_gui"
for _folder in (ROOT, ROOT / "tools"):  # run as a script from anywhere, or loaded by the tests
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

from i18n_cldr import CLDR_PATH, cldr_is_current, cldr_source  # noqa: E402

from flowsery_gui.i18n.languages import LANGUAGES, SOURCE_LANGUAGE  # noqa: E402
from flowsery_gui.i18n.translate import DOMAIN  # noqa: E402
from flowsery_gui.i18n.translate import LOCALE_DIR as _LOCALE_DIR  # noqa: E402

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog, Message

LOCALE_DIR = Path(_LOCALE_DIR)
POT_PATH = LOCALE_DIR / f"{DOMAIN}.pot"
#: The calls extraction reads, as Babel spells their arguments.
KEYWORDS = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
}
COMMENT_TAGS = ("Translators:",)
#: Header lines that change on every run and say nothing about the messages.
_VOLATILE_HEADER = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date|Generated-By): .*\\n"$', re.M)
PROJECT = "Flowsery Goal Tester"
HEADER_COMMENT = (
    "# The messages of Flowsery Goal Tester, extracted by `python tools/i18n.py extract`.\n"
    "# Do not edit the template; translate in <lang>/LC_MESSAGES/flowsery.po (docs/i18n.md).\n"
    "#"
)


def translated_languages() -> list[str]:
    """The shipped languages that have a catalogue (all but English and the pseudo ones)."""
    return [item.code for item in LANGUAGES if item.code != SOURCE_LANGUAGE and not item.pseudo]


def po_path(code: str) -> Path:
    """A language's editable catalogue."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(code: str) -> Path:
    """A language's compiled catalogue (what the app reads)."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


# --- extraction ------------------------------------------------------------------------------


def extract() -> Catalog:
    """The template catalogue extraction gives from the source as it is now."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(
        project=PROJECT,
        version="",
        charset="utf-8",
        fuzzy=False,
        header_comment=HEADER_COMMENT,
        copyright_holder="Flowsery Goal Tester developers",
        msgid_bugs_address="",
    )
    found = extract_from_dir(
        PACKAGE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        location = (f"flowsery_gui/{Path(filename).as_posix()}", lineno)
        catalog.add(message, None, [location], auto_comments=comments, context=context)
    return catalog


def catalog_text(catalog: Catalog, *, template: bool = False) -> str:
    """A catalogue as .po text: sorted, file names without line numbers (so moving code
    does not change the file), wrapped at 100 columns."""
    from babel.messages.pofile import write_po

    out = io.BytesIO()
    write_po(out, catalog, width=100, sort_output=True, include_lineno=False)
    text = out.getvalue().decode("utf-8")
    return text


def _stable(text: str) -> str:
    return _VOLATILE_HEADER.sub("", text)


def pot_is_current() -> bool:
    """True when the committed .pot is what extraction gives now (dates aside)."""
    if not POT_PATH.exists():
        return False
    return _stable(catalog_text(extract(), template=True)) == _stable(
        POT_PATH.read_text(encoding="utf-8")
    )


def write_pot() -> bool:
    """Write the .pot when its messages changed; True when it was written."""
    if pot_is_current():
        return False
    POT_PATH.parent.mkdir(parents=True, exist_ok=True)
    POT_PATH.write_text(catalog_text(extract(), template=True), encoding="utf-8")
    return True


# --- the language catalogues -----------------------------------------------------------------


def read_po(path: Path) -> Catalog:
    """A .po file as a Babel catalogue."""
    from babel.messages.pofile import read_po as babel_read_po

    with open(path, "rb") as handle:
        return babel_read_po(handle, abort_invalid=True)


def read_pot() -> Catalog:
    """The committed template."""
    return read_po(POT_PATH)


def init_language(code: str) -> Path:
    """Start a language's .po from the .pot, with its plural rule from Babel's data."""
    from babel.messages.catalog import Catalog

    path = po_path(code)
    if path.exists():
        raise SystemExit(f"{path.relative_to(ROOT)} exists already; use `update`.")
    template = read_pot()
    catalog = Catalog(
        locale=code,
        domain=DOMAIN,
        project=PROJECT,
        version="",
        fuzzy=False,
        header_comment=HEADER_COMMENT.replace("template", "template (flowsery.pot)"),
        copyright_holder="Flowsery Goal Tester developers",
    )
    catalog.update(template, no_fuzzy_matching=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(catalog_text(catalog), encoding="utf-8")
    return path


def update_languages() -> list[Path]:
    """Bring every .po in line with the .pot: new messages untranslated (or fuzzy, guessed
    from a similar old one), removed ones dropped. Returns the files that changed."""
    template = read_pot()
    changed = []
    for code in translated_languages():
        path = po_path(code)
        catalog = read_po(path)
        catalog.update(template, update_creation_date=False)
        catalog.obsolete.clear()
        text = catalog_text(catalog)
        if _stable(text) != _stable(path.read_text(encoding="utf-8")):
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def compiled(catalog: Catalog) -> bytes:
    """A catalogue as .mo bytes (fuzzy and empty translations left out)."""
    from babel.messages.mofile import write_mo

    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def compile_languages() -> list[Path]:
    """Write every language's .mo from its .po; returns the files that changed."""
    changed = []
    for code in translated_languages():
        data = compiled(read_po(po_path(code)))
        path = mo_path(code)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed.append(path)
    return changed


# --- checks ----------------------------------------------------------------------------------

_PERCENT = re.compile(
    r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*(?:\d+|\*)?(?:\.\d+)?[sdifreExXgGoc%]"
)


def placeholders(text: str, flags: Iterable[str] = ("python-brace-format",)) -> list[str]:
    """The placeholders of a message, sorted: `{name}` fields (with their conversion and
    format spec) for brace-format text, `%(name)d` / `%s` for %-format text."""
    found: list[str] = []
    flags = set(flags)
    if "python-format" in flags:
        found += [m for m in _PERCENT.findall(text) if m != "%%"]
    if "python-brace-format" in flags:
        try:
            for _literal, field, spec, conversion in string.Formatter().parse(text):
                if field is not None:
                    found.append(
                        f"{{{field}{'!' + conversion if conversion else ''}"
                        f"{':' + spec if spec else ''}}}"
                    )
        except ValueError:
            found.append("<unbalanced braces>")
    return sorted(found)


def _forms(message: Message) -> list[str]:
    if isinstance(message.string, (list, tuple)):
        return list(message.string)
    return [message.string or ""]


def _ids(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def placeholder_problems(catalog: Catalog) -> list[str]:
    """Translations whose placeholders differ from their source's (dropped, added, renamed
    or mangled). A plural form may leave out `{count}` only where the language's form is
    for one number (Japanese has a single form that must keep it)."""
    problems = []
    for message in catalog:
        if not message.id or not any(_forms(message)):
            continue
        flags = set(message.flags) | {"python-brace-format"}
        wanted = [placeholders(source, flags) for source in _ids(message)]
        allowed = {tuple(w) for w in wanted}
        for index, form in enumerate(_forms(message)):
            if not form:
                continue
            got = placeholders(form, flags)
            if tuple(got) in allowed:
                continue
            # a plural form may drop nothing but may equal either source's set
            problems.append(
                f"{catalog.locale}: {_ids(message)[0][:60]!r} form {index}: "
                f"placeholders {got} where the source has {wanted[-1]}"
            )
    return problems


def completeness_problems(code: str, template: Catalog | None = None) -> list[str]:
    """What keeps a language from being complete: a message of the .pot missing, empty or
    fuzzy in its .po, or a message the .pot no longer has."""
    template = template or read_pot()
    catalog = read_po(po_path(code))
    problems = []
    wanted = {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in template if m.id}
    for message in template:
        if not message.id:
            continue
        found = catalog.get(message.id, message.context)
        label = f"{code}: {_ids(message)[0][:60]!r}"
        if found is None:
            problems.append(f"{label} is not in the catalogue (run `update`)")
        elif found.fuzzy:
            problems.append(f"{label} is fuzzy (check the guessed translation)")
        elif not all(_forms(found)) or (
            isinstance(message.id, (list, tuple)) and len(_forms(found)) != catalog.num_plurals
        ):
            problems.append(f"{label} is not translated (every plural form)")
    for message in catalog:
        if message.id and (_ids(message)[0], message.context) not in wanted:
            problems.append(f"{code}: {_ids(message)[0][:60]!r} is no longer in the source")
    return problems


def mo_problems(code: str) -> list[str]:
    """A .mo that is not its .po compiled (someone edited a .po and did not compile)."""
    import gettext

    path = mo_path(code)
    if not path.exists():
        return [f"{code}: {path.relative_to(ROOT)} is missing (run `compile`)"]
    with open(path, "rb") as handle:
        shipped = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    fresh = gettext.GNUTranslations(io.BytesIO(compiled(read_po(po_path(code)))))
    if shipped != fresh._catalog:  # type: ignore[attr-defined]
        return [f"{code}: {path.relative_to(ROOT)} is older than its .po (run `compile`)"]
    return []


def all_problems() -> list[str]:
    """Every check at once, as lines to print."""
    problems = []
    if not pot_is_current():
        problems.append(f"{POT_PATH.relative_to(ROOT)} is out of date (run `extract`, `update`)")
    template = read_pot() if POT_PATH.exists() else None
    for code in translated_languages():
        if not po_path(code).exists():
            problems.append(f"{code}: no catalogue (run `init {code}`)")
            continue
        problems += completeness_problems(code, template)
        problems += placeholder_problems(read_po(po_path(code)))
        problems += mo_problems(code)
    return problems


# --- command line ------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run one step of the workflow."""
    parser = argparse.ArgumentParser(prog="tools/i18n.py", description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=["extract", "update", "compile", "check", "init", "cldr"])
    parser.add_argument("language", nargs="?", help="for init: the new language's code")
    args = parser.parse_args(argv)
    if args.step == "extract":
        print("written" if write_pot() else "unchanged", POT_PATH.relative_to(ROOT))
    elif args.step == "update":
        for path in update_languages():
            print("updated", path.relative_to(ROOT))
    elif args.step == "compile":
        for path in compile_languages():
            print("compiled", path.relative_to(ROOT))
    elif args.step == "init":
        if not args.language:
            parser.error("init needs a language code, such as `it` or `zh_Hans`")
        print("created", init_language(args.language).relative_to(ROOT))
    elif args.step == "cldr":
        CLDR_PATH.write_text(cldr_source(), encoding="utf-8")
        print("written", CLDR_PATH.relative_to(ROOT))
    else:
        problems = all_problems()
        if not cldr_is_current():
            problems.append(f"{CLDR_PATH.relative_to(ROOT)} is out of date (run `cldr`)")
        for line in problems:
            print(line)
        print(f"{len(problems)} problem(s)" if problems else "catalogues are complete and current")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
