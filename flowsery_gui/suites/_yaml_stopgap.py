"""STOPGAP until `flowsery_gui.yamlfile` lands: read one YAML file keeping line numbers.

To be replaced by the project's one safe YAML reader; only `read_yaml` is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

MAX_BYTES = 1024 * 1024


class YamlError(ValueError):
    """The file is not YAML this app reads; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def read_yaml(path: Path) -> Any:
    """The document (ruamel round-trip types, which keep line numbers); raise YamlError."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise YamlError("the file is larger than 1 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlError(f"the file is not UTF-8 text (byte {exc.start + 1}).") from None
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(f"this is not valid YAML: {exc.problem}.", line) from None
    except YAMLError as exc:
        raise YamlError(f"this is not valid YAML: {exc}.") from None
