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
    MAX_METADATA_VALUE_LENGTH,
    MAX_NAME_LENGTH,
    NAME_PATTERN,
    suggest_name,
)
from flowsery_gui.plan.check import compile_conformance
from flowsery_gui.plan.engine import (
    FORMATS,
    PatternError,
    compile_pattern,
    unavailable_formats,
)
from flowsery_gui.plan.model import ALLOW, FORBID, OPTIONAL, REQUIRED, GoalSpec, KeySpec, Plan
from flowsery_gui.plan.suggest import closest
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
        head = f"The plan {self.file} cannot be used" if self.file else "The plan cannot be used"
        if count == 1:
            super().__init__(str(self.problems[0]))
        else:
            super().__init__(f"{head} ({count} problems):\n" + "\n".join(map(str, self.problems)))


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


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"`{value}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"`{value}`"


class _Reader:
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
            what = "empty" if data is None else f"{_shown(data)}, not a mapping"
            self.problem((), f"The file is {what}: a plan starts with `plan:` and `goals:`.")
            raise PlanError(self.problems, self.doc.file)
        self.unknown_keys(data, (), PLAN_KEYS, "at the top of a plan")
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
        for key in data:
            if key not in known:
                hint = closest(key, known, cutoff=0.6)
                words = f" Did you mean `{hint}`?" if hint else f" Known: {', '.join(known)}."
                self.problem((*path, key), f"Unknown keyword `{key}` {where}.{words}")

    def text(
        self, data: dict[str, Any], path: Path_, key: str, default: str, *, required: bool = False
    ) -> str:
        if key not in data or data[key] is None:
            if required:
                self.problem((*path, key), f"`{key}` is required.")
            return default
        value = data[key]
        if not isinstance(value, str):
            self.problem((*path, key), f"`{key}` must be text, not {_shown(value)}.")
            return default
        return value

    def flag(self, data: dict[str, Any], path: Path_, key: str) -> bool:
        value = data.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.problem((*path, key), f"`{key}` must be true or false, not {_shown(value)}.")
            return False
        return value

    def choice(self, data: dict[str, Any], path: Path_, key: str, choices: tuple[str, str]) -> str:
        value = data.get(key)
        if value is None:
            return choices[1] if key != "other_metadata" else FORBID
        if value not in choices:
            self.problem(
                (*path, key),
                f"`{key}` must be {choices[0]} or {choices[1]}, not {_shown(value)}.",
            )
            return choices[0]
        return str(value)

    def api_name(self, name: Any, path: Path_, what: str) -> bool:
        """True when `name` follows the API's rule for goal names and metadata keys."""
        if isinstance(name, str) and NAME_PATTERN.fullmatch(name):
            return True
        if not isinstance(name, str) or not name:
            self.problem(path, f"A {what} must be text of 1 to {MAX_NAME_LENGTH} characters.")
            return False
        if len(name) > MAX_NAME_LENGTH:
            self.problem(
                path,
                f"The {what} `{name}` is {len(name)} characters long; the limit is "
                f"{MAX_NAME_LENGTH}.",
            )
            return False
        fix = suggest_name(name)
        hint = f" Did you mean `{fix}`?" if fix else ""
        self.problem(
            path,
            f"The {what} `{name}` breaks the API's rule: lowercase letters a-z, digits 0-9, "
            f"underscores (_) and hyphens (-) only.{hint}",
        )
        return False

    # -- goals ---------------------------------------------------------------------------

    def goals(self, value: Any, path: Path_, present: bool, plan_name: str) -> list[GoalSpec]:
        if not present or value is None:
            self.problem(path, "The plan lists no goals: add a `goals:` mapping.")
            return []
        if not isinstance(value, dict):
            self.problem(path, f"`goals` must be a mapping of goal names, not {_shown(value)}.")
            return []
        if len(value) > MAX_GOALS:
            self.problem(path, f"The plan lists {len(value):,} goals; the limit is {MAX_GOALS:,}.")
            return []
        if not value:
            self.problem(path, "The plan lists no goals.")
        found = []
        for name, spec in value.items():
            goal = self.goal(name, spec, (*path, name), plan_name)
            if goal is not None:
                found.append(goal)
        return found

    def goal(self, name: str, spec: Any, path: Path_, plan_name: str) -> GoalSpec | None:
        ok = self.api_name(name, path, "goal name")
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            self.problem(path, f"A goal is a mapping of its rules, not {_shown(spec)}.")
            return None
        self.unknown_keys(spec, path, GOAL_KEYS, "in a goal")
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
            self.problem(path, f"`metadata` must be a mapping of keys, not {_shown(value)}.")
            return {}
        if len(value) > MAX_METADATA_KEYS:
            self.problem(
                path,
                f"This goal declares {len(value)} metadata keys; the API allows at most "
                f"{MAX_METADATA_KEYS}.",
            )
        keys = {}
        for key, spec in value.items():
            found = self.key(key, spec, (*path, key))
            if found is not None:
                keys[key] = found
        return keys

    def key(self, key: str, spec: Any, path: Path_) -> KeySpec | None:
        ok = self.api_name(key, path, "metadata key")
        if spec is None:
            spec = {}
        if not isinstance(spec, dict):
            self.problem(path, f"A metadata key takes a mapping of rules, not {_shown(spec)}.")
            return None
        self.unknown_keys(spec, path, KEY_KEYS, "for a metadata key")
        enum = self.enum(spec, path)
        const = self.const(spec, path, enum)
        pattern = self.pattern(spec, path)
        low, high = self.length(spec, path, "minLength"), self.length(spec, path, "maxLength")
        if low is not None and high is not None and low > high:
            self.problem((*path, "minLength"), f"`minLength` {low} is over `maxLength` {high}.")
        fmt = self.format(spec, path)
        required, personal = self.flag(spec, path, "required"), self.flag(spec, path, "personal")
        description = self.text(spec, path, "description", "")
        if not ok:
            return None
        return KeySpec(
            key, required, description, personal, enum, const, pattern, low, high, fmt,
            self.doc.line(path),
        )  # fmt: skip

    def enum(self, spec: dict[str, Any], path: Path_) -> tuple[str, ...] | None:
        value = spec.get("enum")
        where = (*path, "enum")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.problem(where, f"`enum` must be a list of allowed texts, not {_shown(value)}.")
            return None
        seen: set[str] = set()
        for index, item in enumerate(value):
            if not isinstance(item, str):
                self.problem(
                    (*where, index),
                    f"`enum` values must be text; {_shown(item)} is not. Put it in quotes.",
                )
            elif len(item) > MAX_METADATA_VALUE_LENGTH:
                self.problem((*where, index), "An `enum` value is over 255 characters.")
            elif item in seen:
                self.problem((*where, index), f"`{item}` is listed twice in `enum`.")
            seen.add(str(item))
        return tuple(str(v) for v in value)

    def const(self, spec: dict[str, Any], path: Path_, enum: tuple[str, ...] | None) -> str | None:
        value = spec.get("const")
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem((*path, "const"), f"`const` must be text, not {_shown(value)}.")
            return None
        if enum is not None and value not in enum:
            self.problem((*path, "const"), f"`const` `{value}` is not one of its `enum` values.")
        return value

    def pattern(self, spec: dict[str, Any], path: Path_) -> str | None:
        value = spec.get("pattern")
        if value is None:
            return None
        if not isinstance(value, str):
            self.problem((*path, "pattern"), f"`pattern` must be text, not {_shown(value)}.")
            return None
        try:
            compile_pattern(value)
        except PatternError as exc:
            self.problem((*path, "pattern"), str(exc))
            return None
        return value

    def length(self, spec: dict[str, Any], path: Path_, key: str) -> int | None:
        value = spec.get(key)
        if value is None:
            return None
        limit = MAX_METADATA_VALUE_LENGTH
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limit:
            self.problem(
                (*path, key),
                f"`{key}` must be a whole number from 0 to {limit}, not {_shown(value)}.",
            )
            return None
        return value

    def format(self, spec: dict[str, Any], path: Path_) -> str | None:
        value = spec.get("format")
        if value is None:
            return None
        where = (*path, "format")
        if value not in FORMATS:
            hint = closest(str(value), FORMATS, cutoff=0.6)
            words = f" Did you mean `{hint}`?" if hint else ""
            self.problem(
                where,
                f"The format {_shown(value)} is not one this app checks ({', '.join(FORMATS)})."
                + words,
            )
            return None
        missing = unavailable_formats().get(value)
        if missing:
            self.problem(where, f"The format `{value}` cannot be checked: install {missing}.")
            return None
        return str(value)

    def expect(self, value: Any, names: list[str]) -> tuple[str, ...]:
        if value is None:
            return ()
        path: Path_ = ("expect",)
        if not isinstance(value, list):
            self.problem(path, f"`expect` must be a list of goal names, not {_shown(value)}.")
            return ()
        found = []
        for index, item in enumerate(value):
            if isinstance(item, str) and item in names:
                found.append(item)
                continue
            hint = closest(item, names) if isinstance(item, str) else None
            words = f" Did you mean `{hint}`?" if hint else ""
            self.problem((*path, index), f"{_shown(item)} is not a goal of this plan.{words}")
        return tuple(dict.fromkeys(found))
