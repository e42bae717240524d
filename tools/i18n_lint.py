"""The lint that keeps every user-facing string translatable: `python tools/i18n_lint.py`.

It reads the source (ast, no import) and reports, file:line, a string a person will read
that does not go through the translation calls (`_`, `ngettext`, `pgettext`, `npgettext`,
or `N_` for a constant translated where it is used). A string counts as user-facing when:

1. it is given to a *sink*, a call whose argument people read (`SINKS` below: Qt setters
   and widgets, message boxes, `print`, argparse help, and the app's own message carriers
   such as `Finding(message=...)` or `raise HistoryError("...")`);
2. it is a *message constant*, assigned to a name that says it is text (`..._MESSAGE`,
   `..._ADVICE`, `..._NOTE`, `..._TITLE`, `..._HELP` ...);
3. it is returned by a *message function*, one named for the text it makes
   (`..._message`, `..._problem`, `..._text`, `..._words`, `describe...`, `label` ...).

"Text" means a literal (or an f-string's literal parts, or one side of a `+`) with a
letter and either a space or a capital: codes (`name.pattern`), field paths, JSON keys
and header values do not count. It also checks the calls themselves: a msgid must be a
literal (`_(f"...")` cannot be translated) and not inside an f-string (extraction does
not look there), fields go to `_()` rather than `.format()`
(so a broken translation falls back to English), and a module that imports `_` never
assigns to it (`for _ in ...` would shadow the translation function).

Packages not converted yet are listed in `PENDING`, in one place: remove an entry once
its strings are marked and the lint passes on it. `NEVER_TRANSLATED` names the modules
whose text is wire text (the sandbox) and `ALLOWED` the single strings that look like text
but are not for people, each with its reason.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "flowsery_gui"

#: Not converted yet (their helpers are adding features): the lint skips them. Remove an
#: entry when its strings go through `_()`. Paths relative to the repository.
PENDING: dict[str, str] = {
    "flowsery_gui/ui/": "the window: labels, menus, dialogs, tooltips",
    "flowsery_gui/cli/": "the CLI's output and --help",
    "flowsery_gui/plan/": "tracking plans: violations and loader errors",
    "flowsery_gui/suites/": "suites: loader errors, console lines, failure reasons",
    "flowsery_gui/cleanup/": "test-goal cleanup",
    "flowsery_gui/reports/": "the human parts of reports (HTML, JUnit failure text)",
    "flowsery_gui/yamlfile/": "YAML reading errors (plans and suites)",
    "flowsery_gui/profiles.py": "profile errors",
    "flowsery_gui/sandbox/cli.py": "flowsery-sandbox --help and its start-up lines",
}

#: Modules whose text is never translated, with the reason: what they write is wire text
#: (the sandbox answers as the real API does, in English) or the mechanism itself. The
#: sandbox's command line (`sandbox/cli.py`, its --help) is people's text: it is pending.
WIRE = "the sandbox's answers and log lines are wire text (English, as the real API)"
NEVER_TRANSLATED: dict[str, str] = {
    "flowsery_gui/sandbox/access.py": WIRE,
    "flowsery_gui/sandbox/collector.py": WIRE,
    "flowsery_gui/sandbox/faults.py": WIRE,
    "flowsery_gui/sandbox/handler.py": WIRE,
    "flowsery_gui/sandbox/httpd.py": WIRE,
    "flowsery_gui/sandbox/inspection.py": WIRE,
    "flowsery_gui/sandbox/routes.py": WIRE,
    "flowsery_gui/sandbox/server.py": WIRE,
    "flowsery_gui/sandbox/store.py": WIRE,
    "flowsery_gui/sandbox/wire.py": WIRE,
    "flowsery_gui/i18n/translate.py": "the translation calls themselves",
    "flowsery_gui/i18n/pseudo.py": "the pseudo-translations",
}

#: Single strings in checked modules that look like text but are not for people, by file
#: and the start of the string, each with its reason. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {}

#: Sinks: call name -> argument positions and keywords whose text people read. A name is
#: matched on the call's last part (`self.label.setText` -> `setText`); a dotted name on
#: its last two parts (`QMessageBox.warning`).
SINKS: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    # Qt widgets and setters
    "setText": ((0,), ()),
    "setToolTip": ((0,), ()),
    "setStatusTip": ((0,), ()),
    "setWhatsThis": ((0,), ()),
    "setPlaceholderText": ((0,), ()),
    "setWindowTitle": ((0,), ()),
    "setTitle": ((0,), ()),
    "setLabelText": ((0,), ()),
    "setAccessibleName": ((0,), ()),
    "setAccessibleDescription": ((0,), ()),
    "setPrefix": ((0,), ()),
    "setSuffix": ((0,), ()),
    "setSpecialValueText": ((0,), ()),
    "setTabText": ((1,), ()),
    "setTabToolTip": ((1,), ()),
    "setHeaderLabels": ((0,), ()),
    "setHorizontalHeaderLabels": ((0,), ()),
    "showMessage": ((0,), ()),
    "addTab": ((1, 2), ()),
    "insertTab": ((2, 3), ()),
    "addAction": ((0, 1), ()),
    "addMenu": ((0, 1), ()),
    "addItem": ((0,), ()),
    "addItems": ((0,), ()),
    "addRow": ((0,), ()),
    "QLabel": ((0,), ("text",)),
    "QPushButton": ((0, 1), ("text",)),
    "QToolButton": ((), ("text",)),
    "QCheckBox": ((0,), ("text",)),
    "QRadioButton": ((0,), ("text",)),
    "QGroupBox": ((0,), ("title",)),
    "QAction": ((0, 1), ("text",)),
    "QMenu": ((0,), ("title",)),
    "QMessageBox.information": ((1, 2), ("title", "text")),
    "QMessageBox.warning": ((1, 2), ("title", "text")),
    "QMessageBox.critical": ((1, 2), ("title", "text")),
    "QMessageBox.question": ((1, 2), ("title", "text")),
    "QMessageBox.about": ((1, 2), ()),
    "QInputDialog.getText": ((1, 2), ()),
    "QFileDialog.getSaveFileName": ((1,), ("caption",)),
    "QFileDialog.getOpenFileName": ((1,), ("caption",)),
    "QFileDialog.getExistingDirectory": ((1,), ("caption",)),
    # the window's Interaction seam (ui/interaction.py)
    "confirm": ((0, 1, 2), ("title", "text", "yes_text")),
    "warn": ((0, 1), ("title", "text")),
    # the terminal
    "print": ((0, 1, 2, 3, 4, 5), ()),
    # argparse
    "ArgumentParser": ((), ("description", "epilog", "usage")),
    "add_parser": ((), ("help", "description", "epilog")),
    "add_subparsers": ((), ("title", "description", "help")),
    "add_argument_group": ((0, 1), ("title", "description")),
    "add_argument": ((), ("help",)),
    "error": ((0,), ()),
    # the app's own carriers of plain words
    "Finding": ((2, 5), ("message", "fix_label")),
    "Explanation": ((1, 2), ("title", "message")),
    "Refusal": ((1,), ("message",)),
    "Failure": ((1,), ("message",)),
    "PastedGoal": ((1,), ("summary",)),
    "CookiePaste": ((4,), ("message",)),
    "KeyStoreError": ((1, 2), ("message", "advice")),
    "HistoryError": ((0,), ("message", "reason")),
    "NotJSON": ((0,), ()),
    "ProfileStoreError": ((0,), ()),
    "PlanError": ((0,), ()),
    "SuiteError": ((0,), ()),
    "CaptureError": ((0,), ()),
    "YamlError": ((0,), ()),
    "TargetError": ((0,), ()),
    "RowsError": ((0,), ()),
    "ExpansionError": ((0,), ()),
    "FaultError": ((0,), ()),
}

#: Names that say they hold text (constants) or make it (functions), as whole words.
TEXT_CONSTANT = re.compile(
    r"(^|_)(MESSAGE|TEXT|WORDS|ADVICE|NOTE|HINT|TITLE|LABEL|HELP|HOW|TIP|SUMMARY)S?$"
)
TEXT_FUNCTION = re.compile(
    r"(^|_)(message|problem|text|words|advice|note|hint|title|label|summary|describe|explain)"
    r"s?($|_)"
)
_LOGGERS = {"log", "logger", "logging", "warnings"}
TRANSLATE_CALLS = {"_", "ngettext", "pgettext", "npgettext", "N_"}
#: Where each translation call's msgids are (positions).
_MSGID_ARGS = {"_": (0,), "N_": (0,), "ngettext": (0, 1), "pgettext": (1,), "npgettext": (1, 2)}


@dataclass(frozen=True)
class Problem:
    """One string that needs attention, where it is, and why."""

    path: str
    line: int
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.why}: {self.text[:70]!r}"


def is_text(value: str) -> bool:
    """True for words a person reads (a letter, and a space or a capital), not a code."""
    if not any(ch.isalpha() for ch in value):
        return False
    stripped = value.strip()
    if re.fullmatch(r"[a-z]+://\S*", stripped):  # a URL on its own
        return False
    return " " in stripped or stripped[:1].isupper() or not stripped.isascii()


def literal_text(node: ast.AST) -> str | None:
    """The literal words of an expression (a string, an f-string's constant parts, either
    side of `+`, a `%` or `.format` template), or None when it holds none."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        parts = [literal_text(node.left), literal_text(node.right)]
        found = [p for p in parts if p]
        return " ".join(found) if found else None
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    ):
        return literal_text(node.func.value)
    if isinstance(node, ast.IfExp):
        return literal_text(node.body) or literal_text(node.orelse)
    if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
        items = node.values if isinstance(node, ast.Dict) else node.elts
        texts = [literal_text(item) for item in items]
        return " ".join(t for t in texts if t) or None
    return None


def _call_name(func: ast.AST) -> list[str]:
    """The names a call may be known by in `SINKS`: `setText`, `QMessageBox.warning`."""
    if isinstance(func, ast.Name):
        return [func.id]
    if isinstance(func, ast.Attribute):
        names = [func.attr]
        if isinstance(func.value, ast.Name):
            names.insert(0, f"{func.value.id}.{func.attr}")
        return names
    return []


class _Visitor(ast.NodeVisitor):
    def __init__(self, path: str, imports_translation: bool) -> None:
        self.path = path
        self.imports_translation = imports_translation
        self.problems: list[Problem] = []
        self._functions: list[str] = []

    def _report(self, node: ast.AST, text: str, why: str) -> None:
        for (path, start), _reason in ALLOWED.items():
            if path == self.path and text.startswith(start):
                return
        self.problems.append(Problem(self.path, getattr(node, "lineno", 0), text, why))

    def _check_value(self, node: ast.AST | None, why: str) -> None:
        if node is None:
            return
        text = literal_text(node)
        if text and is_text(text):
            self._report(node, text, why)

    # -- sinks and translation calls ------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        names = _call_name(node.func)
        if names and names[-1] in TRANSLATE_CALLS:
            self._check_translation_call(names[-1], node)
        elif (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "format"
            and isinstance(node.func.value, ast.Call)
            and _call_name(node.func.value.func)[-1:] in (["_"], ["ngettext"], ["pgettext"])
        ):
            self._report(node, "", "fields go to _() itself, not to .format()")
        receiver = node.func.value if isinstance(node.func, ast.Attribute) else None
        if isinstance(receiver, ast.Name) and receiver.id.lstrip("_").lower() in _LOGGERS:
            names = []  # a log line (for developers), not text for people
        for name in names:
            if name in SINKS:
                positions, keywords = SINKS[name]
                for index, arg in enumerate(node.args):
                    if index in positions:
                        self._check_value(arg, f"text given to {name}() is not translated")
                for keyword in node.keywords:
                    if keyword.arg in keywords:
                        why = f"text given to {name}({keyword.arg}=) is not translated"
                        self._check_value(keyword.value, why)
                break
        self.generic_visit(node)

    def _check_translation_call(self, name: str, node: ast.Call) -> None:
        for index in _MSGID_ARGS[name]:
            if index >= len(node.args):
                self._report(node, name, f"{name}() is missing its message")
                continue
            arg = node.args[index]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                continue
            if name == "_" and isinstance(arg, (ast.Name, ast.Attribute, ast.Subscript, ast.Call)):
                continue  # a constant marked with N_ elsewhere, translated here
            shown = ast.unparse(arg)
            self._report(node, shown, f"the message of {name}() must be a string literal")

    def visit_JoinedStr(self, node: ast.JoinedStr) -> None:
        for part in node.values:
            for inner in ast.walk(part):
                if (
                    isinstance(inner, ast.Call)
                    and _call_name(inner.func)[-1:]
                    and (_call_name(inner.func)[-1] in TRANSLATE_CALLS)
                ):
                    why = "a translation call inside an f-string is not extracted"
                    self._report(inner, ast.unparse(inner), why)
        self.generic_visit(node)

    # -- message constants and functions --------------------------------------------------

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_store(target)
            if self._is_text_constant(target):
                self._check_value(
                    node.value, f"the text constant {ast.unparse(target)} is not marked"
                )
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check_store(node.target)
        if self._is_text_constant(node.target):
            why = f"the text constant {ast.unparse(node.target)} is not marked"
            self._check_value(node.value, why)
        self.generic_visit(node)

    def _is_text_constant(self, target: ast.AST) -> bool:
        """A module- or class-level name that says it holds text (`NO_KEY_MESSAGE`)."""
        named = isinstance(target, ast.Name) and TEXT_CONSTANT.search(target.id.lstrip("_"))
        return bool(named) and not self._functions

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._check_arguments(node.args)
        self._functions.append(node.name)
        self.generic_visit(node)
        self._functions.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Return(self, node: ast.Return) -> None:
        if self._functions and TEXT_FUNCTION.search(self._functions[-1].lstrip("_")):
            why = f"{self._functions[-1]}() returns text that is not translated"
            self._check_value(node.value, why)
        self.generic_visit(node)

    # -- `_` must stay the translation function ---------------------------------------------

    def _check_store(self, target: ast.AST) -> None:
        if not self.imports_translation:
            return
        for node in ast.walk(target):
            if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store):
                self._report(node, "_", "assigns to _, the translation function")

    def visit_For(self, node: ast.For) -> None:
        self._check_store(node.target)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        self._check_store(node.target)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            if item.optional_vars is not None:
                self._check_store(item.optional_vars)
        self.generic_visit(node)

    def _check_arguments(self, args: ast.arguments) -> None:
        if not self.imports_translation:
            return
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
        for arg in every:
            if arg is not None and arg.arg == "_":
                self._report(arg, "_", "an argument named _ hides the translation function")


def _imports_translation(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").startswith("flowsery_gui.i18n")
        and any(alias.name == "_" for alias in node.names)
        for node in ast.walk(tree)
    )


def lint_source(source: str, path: str) -> list[Problem]:
    """The problems in one module's source (`path` as it is named in reports)."""
    tree = ast.parse(source)
    visitor = _Visitor(path, _imports_translation(tree))
    visitor.visit(tree)
    return visitor.problems


def _listed(path: str, entries: dict[str, str]) -> bool:
    return any(path == entry or path.startswith(entry) for entry in entries)


def is_pending(path: str) -> bool:
    """True for a module of a package not converted yet (`PENDING`)."""
    return _listed(path, PENDING)


def checked_files() -> Iterator[Path]:
    """Every module the lint checks: the whole package, but what is pending or never
    translated."""
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if not is_pending(relative) and not _listed(relative, NEVER_TRANSLATED):
            yield path


def lint() -> list[Problem]:
    """Every problem in the checked modules."""
    problems: list[Problem] = []
    for path in checked_files():
        relative = path.relative_to(ROOT).as_posix()
        problems += lint_source(path.read_text(encoding="utf-8"), relative)
    return problems


def main(argv: list[str] | None = None) -> int:
    """Print the problems; exit 1 when there is any. `--all` also lints pending modules."""
    args = sys.argv[1:] if argv is None else argv
    if "--all" in args:
        PENDING.clear()  # see what is left to do
    problems = lint()
    for problem in problems:
        print(problem)
    pending = ", ".join(sorted(PENDING)) or "none"
    print(f"{len(problems)} untranslated string(s); pending (not checked): {pending}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
