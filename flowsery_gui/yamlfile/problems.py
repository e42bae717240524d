"""Where something is wrong in a YAML file, in plain words: file, line, key path."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from flowsery_gui.i18n import _

KeyPath = tuple["str | int", ...]
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where (file, line, key path) and what, in plain words."""

    file: str
    line: int | None
    key: str
    message: str

    def __str__(self) -> str:
        fields = {
            "file": self.file or "<text>",
            "line": self.line,
            "key": self.key,
            "message": self.message,
        }
        if self.line is not None and self.key:
            return _("{file}, line {line}, {key}: {message}", **fields)
        if self.line is not None:
            return _("{file}, line {line}: {message}", **fields)
        if self.key:
            return _("{file}, {key}: {message}", **fields)
        return _("{file}: {message}", **fields)


class YamlError(ValueError):
    """The file could not be read as safe YAML; `problem` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def key_path_text(path: Sequence[str | int]) -> str:
    """`goals.newsletter_signup.metadata.plan`, `goals[2]`, `goals["Bad Name"]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.fullmatch(part):
            out += f".{part}" if out else part
        else:
            out += f"[{json.dumps(part, ensure_ascii=False)}]"
    return out
