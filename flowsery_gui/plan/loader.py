"""Reading a `*.plan.yaml` file into a `Plan`, refusing anything it does not understand.

Every problem is collected (not only the first), each with the file, the line and the key
path, so `flowsery-goal plan check` lists them all at once. A plan that loads has names
and keys the API accepts, patterns that compile on the linear-time engine, formats that
are really checked, and at most 10 keys per goal; each goal's conformance check is compiled
here (its JSON Schema and validator are made when first asked).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowsery_gui import yamlfile
from flowsery_gui.contract import (
    MAX_METADATA_KEYS,
    MAX_NAME_LENGTH,
    NAME_PATTERN,
    suggest_name,
)
from flowsery_gui.i18n import _, format_number, ngettext
from flowsery_gui.plan.check import compile_conformance
from flowsery_gui.plan.key_rules import KeyRules
from flowsery_gui.plan.model import ALLOW, FORBID, OPTIONAL, REQUIRED, GoalSpec, KeySpec, Plan
from flowsery_gui.plan.suggest import closest
from flowsery_gui.plan.wording import name_words, shown_value, unknown_words
from flowsery_gui.yamlfile import Problem, YamlDoc, YamlError

PLAN_KEYS = ("plan", "description", "goals", "expect")
GOAL_KEYS = ("description", "visitor", "session", "metadata", "other_metadata")
KEY_KEYS = (
    "required",
    "description",
    "personal",
    "enum",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "format",
)
MAX_GOALS = 5000
MAX_PROBLEMS = 200  # a file that is not a plan at all would otherwise list thousands
SUFFIXES = (".plan.yaml", ".plan.yml", ".yaml", ".yml")

Path_ = tuple["str | int", ...]


class PlanError(ValueError):
    """The plan cannot be used; `problems` names each thing wrong (file, line, key)."""

    def __init__(
        self, problems: Sequence[Problem], file: str = "", *, unreadable: bool = False
    ) -> None:
        self.problems = tuple(problems)
        #: True when the file could not be read at all (missing, a folder, not UTF-8, too big).
        self.unreadable = unreadable
        self.file = file or (self.problems[0].file if self.problems else "")
        count = len(self.problems)
        if count == 1:
            super().__init__(str(self.problems[0]))
            return
        if self.file:
            head = ngettext(
                "The plan {file} cannot be used ({count} problem):",
                "The plan {file} cannot be used ({count} problems):",
                count,
                file=self.file,
                count=format_number(count),
            )
        else:
            head = ngettext(
                "The plan cannot be used ({count} problem):",
                "The plan cannot be used ({count} problems):",
                count,
                count=format_number(count),
            )
        super().__init__(head + "\n" + "\n".join(map(str, self.problems)))


def load_plan(path: Path | str) -> Plan:
    """Read and check a plan file; PlanError (file, line, key, plain words) when refused."""
    try:
        text = yamlfile.read_text(path)
    except YamlError as exc:
        raise PlanError([exc.problem], str(path), unreadable=True) from None
    return parse_plan(text, str(path))


def parse_plan(text: str | bytes, file: str = "<text>") -> Plan:
    """Read and check a plan from text (tests, the window's editor)."""
    try:
        doc = yamlfile.loads(text, file)
    except YamlError as exc:
        raise PlanError([exc.problem], file) from None
    return plan_from_doc(doc)


def plan_from_doc(doc: YamlDoc) -> Plan:
    """A checked Plan from YAML that was already read safely."""
    return _Reader(doc).plan()


def default_plan_name(file: str) -> str:
    """`acme` for `plans/acme.plan.yaml`: the name a plan gets when it does not say one."""
    name = Path(file).name
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)] or name
    return name


class _Reader(KeyRules):
    """Walks the plan's data once, collecting problems, then builds the Plan."""

    def __init__(self, doc: YamlDoc) -> None:
        self.doc = doc
        self.problems: list[Problem] = []

    def problem(self, path: Path_, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(self.doc.problem(path, message))

    def plan(self) -> Plan:
        data = self.doc.data
        if not isinstance(data, dict):
            if data is None:
                said = _("The file is empty: a plan starts with `plan:` and `goals:`.")
            else:
                said = _(
                    "The file is {value}, not a mapping: a plan starts with `plan:` and `goals:`.",
                    value=shown_value(data),
                )
            self.problem((), said)
            raise PlanError(self.problems, self.doc.file)
        self.unknown_keys(data, (), PLAN_KEYS, "plan")
        name = self.text(data, (), "plan", default_plan_name(self.doc.file), required=False)
        description = self.text(data, (), "description", "")
        goals = self.goals(data.get("goals"), ("goals",), "goals" in data, name)
        planned = data.get("goals")
        expect = self.expect(data.get("expect"), list(planned) if isinstance(planned, dict) else [])
        if self.problems:
            raise PlanError(self.problems, self.doc.file)
        built = {goal.name: goal for goal in goals}
        return Plan(name, built, self.doc.file, description, expect)

    # -- shared checks -------------------------------------------------------------------

    def unknown_keys(
        self, data: dict[str, Any], path: Path_, known: Sequence[str], where: str
    ) -> None:
        """A problem for each key not in `known`; `where`: "plan", "goal" or "key"."""
        for key in data:
            if key not in known:
                hint = closest(key, known, cutoff=0.6)
                self.problem((*path, key), unknown_words(where, key, hint, known))

    def text(
        self, data: dict[str, Any], path: Path_, key: str, default: str, *, required: bool = False
    ) -> str:
        if key not in data or data[key] is None:
            if required:
                self.problem((*path, key), _("`{key}` is required.", key=key))
            return default
        value = data[key]
        if not isinstance(value, str):
            said = _("`{key}` must be text, not {value}.", key=key, value=shown_value(value))
            self.problem((*path, key), said)
            return default
        return value

    def flag(self, data: dict[str, Any], path: Path_, key: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            said = _(
                "`{key}` must be true or false, not {value}.", key=key, value=shown_value(value)
            )
            self.problem((*path, key), said)
            return False
        return value

    def choice(self, data: dict[str, Any], path: Path_, key: str, choices: tuple[str, str]) -> str:
        value = data.get(key)
        if value is None:
            return choices[1] if key != "other_metadata" else FORBID
        if value not in choices:
            self.problem(
                (*path, key),
                _(
                    "`{key}` must be {first} or {second}, not {value}.",
                    key=key,
                    first=choices[0],
                    second=choices[1],
                    value=shown_value(value),
                ),
            )
            return choices[0]
        return str(value)

    def api_name(self, name: Any, path: Path_, what: str) -> bool:
        """True when `name` follows the API's rule for goal names and metadata keys; `what`
        is "goal" or "key"."""
        if isinstance(name, str) and NAME_PATTERN.fullmatch(name):
            return True
        if not isinstance(name, str) or not name:
            self.problem(path, name_words(what, "type", name))
            return False
        if len(name) > MAX_NAME_LENGTH:
            self.problem(path, name_words(what, "length", name))
            return False
        self.problem(path, name_words(what, "pattern", name, suggest_name(name)))
        return False

    # -- goals ---------------------------------------------------------------------------

    def goals(self, value: Any, path: Path_, present: bool, plan_name: str) -> list[GoalSpec]:
        if not present or value is None:
            self.problem(path, _("The plan lists no goals: add a `goals:` mapping."))
            return []
        if not isinstance(value, dict):
            said = _(
                "`goals` must be a mapping of goal names, not {value}.", value=shown_value(value)
            )
            self.problem(path, said)
            return []
        if len(value) > MAX_GOALS:
            said = _(
                "The plan lists {count} goals; the limit is {limit}.",
                count=format_number(len(value)),
                limit=format_number(MAX_GOALS),
            )
            self.problem(path, said)
            return []
        if not value:
            self.problem(path, _("The plan lists no goals."))
        found = []
        for name, spec in value.items():
            goal = self.goal(name, spec, (*path, name), plan_name)
            if goal is not None:
                found.append(goal)
        return found

    def goal(self, name: str, spec: Any, path: Path_, plan_name: str) -> GoalSpec | None:
        ok = self.api_name(name, path, "goal")
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            said = _("A goal is a mapping of its rules, not {value}.", value=shown_value(spec))
            self.problem(path, said)
            return None
        self.unknown_keys(spec, path, GOAL_KEYS, "goal")
        description = self.text(spec, path, "description", "")
        visitor = self.choice(spec, path, "visitor", (REQUIRED, OPTIONAL))
        session = self.choice(spec, path, "session", (REQUIRED, OPTIONAL))
        other = self.choice(spec, path, "other_metadata", (ALLOW, FORBID))
        metadata = self.metadata(spec.get("metadata"), (*path, "metadata"))
        if not ok or self.problems:
            return None  # a plan with problems is refused: build nothing more
        return GoalSpec(
            name,
            description,
            visitor,
            session,
            metadata,
            other,
            self.doc.line(path),
            plan_name,
            compile_conformance(metadata, other),  # precompiled: the check's fast path
        )

    def metadata(self, value: Any, path: Path_) -> dict[str, KeySpec]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            said = _("`metadata` must be a mapping of keys, not {value}.", value=shown_value(value))
            self.problem(path, said)
            return {}
        if len(value) > MAX_METADATA_KEYS:
            said = ngettext(
                "This goal declares {count} metadata key; the API allows at most {limit}.",
                "This goal declares {count} metadata keys; the API allows at most {limit}.",
                len(value),
                count=len(value),
                limit=MAX_METADATA_KEYS,
            )
            self.problem(path, said)
        keys = {}
        for key, spec in value.items():
            found = self.key(key, spec, (*path, key))
            if found is not None:
                keys[key] = found
        return keys

    def key(self, key: str, spec: Any, path: Path_) -> KeySpec | None:
        ok = self.api_name(key, path, "key")
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            said = _(
                "A metadata key takes a mapping of rules, not {value}.", value=shown_value(spec)
            )
            self.problem(path, said)
            return None
        self.unknown_keys(spec, path, KEY_KEYS, "key")
        enum = self.enum(spec, path)
        const = self.const(spec, path, enum)
        pattern = self.pattern(spec, path)
        low, high = self.length(spec, path, "minLength"), self.length(spec, path, "maxLength")
        if low is not None and high is not None and low > high:
            said = _("`minLength` {low} is over `maxLength` {high}.", low=low, high=high)
            self.problem((*path, "minLength"), said)
        fmt = self.format(spec, path)
        required, personal = self.flag(spec, path, "required"), self.flag(spec, path, "personal")
        description = self.text(spec, path, "description", "")
        if not ok:
            return None
        return KeySpec(
            key, required, description, personal, enum, const, pattern, low, high, fmt,
            self.doc.line(path),
        )  # fmt: skip

    def expect(self, value: Any, names: list[str]) -> tuple[str, ...]:
        if value is None:
            return ()
        path: Path_ = ("expect",)
        if not isinstance(value, list):
            said = _(
                "`expect` must be a list of goal names, not {value}.", value=shown_value(value)
            )
            self.problem(path, said)
            return ()
        found = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item in names:
                found.append(item)
                continue
            hint = closest(item, names) if isinstance(item, str) else None
            if hint:
                said = _(
                    "{value} is not a goal of this plan. Did you mean `{hint}`?",
                    value=shown_value(item),
                    hint=hint,
                )
            else:
                said = _("{value} is not a goal of this plan.", value=shown_value(item))
            self.problem((*path, index), said)
        return tuple(dict.fromkeys(found))
