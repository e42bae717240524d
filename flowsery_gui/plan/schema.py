"""A planned goal as one standard JSON Schema (2020-12) of the goal's JSON body.

The same schema is checked here (its `metadata` part, by `jsonschema`) and exported by
`flowsery-goal plan schema` for tools that already speak JSON Schema (Segment Protocols,
RudderStack, Snowplow Iglu). It states the plan's rules only: the API's own rules (name
and key syntax, 10 keys, 255 characters) are the contract's, checked beside it.
"""

from __future__ import annotations

from typing import Any

from flowsery_gui.plan.model import FORBID, REQUIRED, GoalSpec, KeySpec

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
PERSONAL_KEYWORD = "x-personal"  # an annotation: a person's data (JSON Schema ignores it)


def key_schema(spec: KeySpec) -> dict[str, Any]:
    """The schema of one metadata value: a string, with the plan's keywords."""
    schema: dict[str, Any] = {"type": "string"}
    if spec.description:
        schema["description"] = spec.description
    if spec.enum is not None:
        schema["enum"] = list(spec.enum)
    if spec.const is not None:
        schema["const"] = spec.const
    if spec.pattern is not None:
        schema["pattern"] = spec.pattern
    if spec.min_length is not None:
        schema["minLength"] = spec.min_length
    if spec.max_length is not None:
        schema["maxLength"] = spec.max_length
    if spec.format is not None:
        schema["format"] = spec.format
    if spec.personal:
        schema[PERSONAL_KEYWORD] = True
    return schema


def metadata_schema(goal: GoalSpec) -> dict[str, Any]:
    """The schema of a goal's `metadata` object."""
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {key: key_schema(spec) for key, spec in goal.metadata.items()},
    }
    if goal.required_keys:
        schema["required"] = list(goal.required_keys)
    if goal.other_metadata == FORBID:
        schema["additionalProperties"] = False
    return schema


def goal_schema(goal: GoalSpec, plan_name: str = "") -> dict[str, Any]:
    """The whole body of one goal as a JSON Schema 2020-12 document."""
    id_schema = {"type": "string", "minLength": 1}
    schema: dict[str, Any] = {
        "$schema": SCHEMA_DIALECT,
        "title": goal.name,
    }
    if goal.description:
        schema["description"] = goal.description
    if plan_name:
        schema["$comment"] = f"Goal {goal.name} of the tracking plan {plan_name}."
    required = ["name"]
    if goal.visitor == REQUIRED:
        required.append("visitorUid")
    if goal.session == REQUIRED:
        required.append("sessionUid")
    if goal.required_keys:
        required.append("metadata")
    schema.update(
        {
            "type": "object",
            "properties": {
                "name": {"const": goal.name},
                "visitorUid": id_schema,
                "sessionUid": id_schema,
                "timezone": {"type": "string"},
                "metadata": metadata_schema(goal),
            },
            "required": required,
        }
    )
    return schema
