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

What it checks, and what not yet, is set in one place, `tools/i18n_scope.py`: `PENDING`
(the packages not converted yet: remove an entry once its strings are marked and the lint
passes on it), `NEVER_TRANSLATED` (wire text: the sandbox), `ALLOWED` (single strings that
look like text but are not for people, each with its reason) and `SINKS`.
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
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))

from i18n_scope import (  # noqa: E402
    ALLOWED,
    LOGGERS,
    MSGID_ARGS,
    NEVER_TRANSLATED,
    PENDING,
    SINKS,
    TEXT_CONSTANT,
    TEXT_FUNCTION,
    TRANSLATE_CALLS,
)


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
        if isinstance(receiver, ast.Name) and receiver.id.lstrip("_").lower() in LOGGERS:
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
        for index in MSGID_ARGS[name]:
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
