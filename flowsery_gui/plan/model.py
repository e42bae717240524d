"""A tracking plan in memory: the goals a website fires and what each must carry.

Built only by `flowsery_gui.plan.loader` (which refuses a bad plan), immutable once built,
and cheap to share between threads: each goal's JSON Schema and its validator are made
once, at load.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

REQUIRED = "required"
OPTIONAL = "optional"
FORBID = "forbid"
ALLOW = "allow"


@dataclass(frozen=True)
class KeySpec:
    """What one metadata key of one goal must hold (all constraints optional)."""

    name: str
    required: bool = False
    description: str = ""
    personal: bool = False
    enum: tuple[str, ...] | None = None
    const: str | None = None
    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    format: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class GoalSpec:
    """One planned goal: its IDs, its metadata keys, and whether other keys are allowed."""

    name: str
    description: str = ""
    visitor: str = OPTIONAL  # visitorUid: required | optional
    session: str = OPTIONAL  # sessionUid: required | optional
    metadata: Mapping[str, KeySpec] = field(default_factory=dict)
    other_metadata: str = FORBID  # forbid | allow
    line: int | None = None
    plan_name: str = field(default="", compare=False, repr=False)
    #: metadata -> True when it meets the plan: the fast answer for the common case, made
    #: at load from the same keywords; the validator explains every "no".
    conforms: Any = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def schema(self) -> Mapping[str, Any]:
        """The goal's JSON Schema (2020-12), made when first asked (export, explanations)."""
        from flowsery_gui.plan.schema import goal_schema

        return goal_schema(self, self.plan_name)

    @functools.cached_property
    def metadata_validator(self) -> Any:
        """The JSON Schema validator of the goal's metadata, made on the first goal that does
        not conform (it explains why); `conforms` answers the common case without it."""
        from flowsery_gui.plan.engine import validator_for

        return validator_for(dict(self.schema["properties"]["metadata"]))

    @functools.cached_property
    def required_keys(self) -> tuple[str, ...]:
        """The metadata keys this goal must carry, in plan order."""
        return tuple(k for k, spec in self.metadata.items() if spec.required)

    @functools.cached_property
    def personal_keys(self) -> tuple[str, ...]:
        """The keys that hold a person's data: the window warns before a Production send."""
        return tuple(k for k, spec in self.metadata.items() if spec.personal)


@dataclass(frozen=True)
class Plan:
    """A whole tracking plan: its name, its goals, and the goals a CI run must see."""

    name: str
    goals: Mapping[str, GoalSpec]
    file: str = ""
    description: str = ""
    expect: tuple[str, ...] = ()

    @functools.cached_property
    def name_index(self) -> Any:
        """The goal names indexed for "did you mean" (made on the first unplanned name)."""
        from flowsery_gui.plan.suggest import NameIndex

        return NameIndex(self.goals)

    def goal(self, name: str) -> GoalSpec | None:
        """The planned goal of that exact name, or None."""
        return self.goals.get(name)

    @property
    def names(self) -> tuple[str, ...]:
        """Every planned goal name, in plan order (for completion)."""
        return tuple(self.goals)

    def schema(self, name: str) -> Mapping[str, Any] | None:
        """The JSON Schema (2020-12) of one goal's body, or None when it is not planned."""
        goal = self.goals.get(name)
        return goal.schema if goal is not None else None

    def schemas(self) -> dict[str, Mapping[str, Any]]:
        """Every goal's JSON Schema, by goal name (for `plan schema` and other tools)."""
        return {name: goal.schema for name, goal in self.goals.items()}

    def personal_keys(self, name: str) -> tuple[str, ...]:
        """The personal-data keys of one goal (empty when the goal is not planned)."""
        goal = self.goals.get(name)
        return goal.personal_keys if goal is not None else ()
