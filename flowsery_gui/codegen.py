"""Code snippets (cURL, Node fetch, Python requests) for the one planned request.

Every snippet reads the key from the `FLOWSERY_API_KEY` environment variable: the
placeholder in the planned request becomes a variable lookup in each language, so no
snippet ever holds a key. Every string is escaped for its language by construction
(quotes, backslashes, line breaks, non-ASCII text, `</script>`), never by hand.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from flowsery_gui.sending.keys import KEY_ENV_VAR
from flowsery_gui.sending.request import (
    KEY_PLACEHOLDER,
    USER_AGENT,
    PlannedRequest,
)
from flowsery_gui.sending.request import escape_invisible as escape_invisible  # re-exported

INDENT = "  "  # JavaScript and shell continuation lines
PY_INDENT = "    "


def snippet_headers(planned: PlannedRequest) -> tuple[tuple[str, str], ...]:
    """The headers a snippet sends: all the planned ones but the app's own User-Agent.

    A snippet is code for the user's backend, which sends its own User-Agent (curl's, Node's,
    requests'); carrying "FlowseryGoalTester/… (+python-requests)" would misname it. The same
    rule for all three languages.
    """
    return tuple((k, v) for k, v in planned.headers if k.lower() != USER_AGENT.lower())


# --- POSIX shell --------------------------------------------------------------------------

_SPECIAL_IN_DOUBLE_QUOTES = frozenset('$`\\"!')


def shell_quote(text: str) -> str:
    """`text` as one POSIX shell word in single quotes (a `'` inside becomes `'\\''`)."""
    return "'" + text.replace("'", "'\\''") + "'"


def _shell_word_with_key(text: str) -> str:
    """A shell word in which the key placeholder expands to the environment variable."""
    parts = text.split(KEY_PLACEHOLDER)
    if all(c.isprintable() and c not in _SPECIAL_IN_DOUBLE_QUOTES for c in "".join(parts)):
        return '"' + text + '"'  # nothing in it that double quotes would interpret
    variable = f'"${KEY_ENV_VAR}"'
    return variable.join(shell_quote(part) if part else "" for part in parts)


def _shell_word(text: str) -> str:
    return _shell_word_with_key(text) if KEY_PLACEHOLDER in text else shell_quote(text)


def to_curl(planned: PlannedRequest) -> str:
    """A `curl` command for a POSIX shell, one option per line."""
    lines = [f"curl -sS -X {planned.method} {shell_quote(planned.url)}"]
    lines += [
        f"{INDENT}-H {_shell_word(f'{name}: {value}')}" for name, value in snippet_headers(planned)
    ]
    if planned.body_text is not None:
        lines.append(f"{INDENT}--data-raw {shell_quote(escape_invisible(planned.body_text))}")
    return " \\\n".join(lines) + "\n"


# --- JavaScript (Node 18+ fetch) ----------------------------------------------------------


def js_string(text: str) -> str:
    """A JavaScript string literal, also safe inside an HTML `<script>` block."""
    return escape_invisible(json.dumps(text, ensure_ascii=False)).replace("</", "<\\/")


def _js_template_with_key(text: str) -> str:
    def escape(part: str) -> str:
        inner = js_string(part)[1:-1]
        return inner.replace("`", "\\`").replace("${", "\\${")

    lookup = "${process.env." + KEY_ENV_VAR + "}"
    return "`" + lookup.join(escape(part) for part in text.split(KEY_PLACEHOLDER)) + "`"


def _js_value(text: str) -> str:
    return _js_template_with_key(text) if KEY_PLACEHOLDER in text else js_string(text)


def _js_number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return json.dumps(value)


def _py_number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return (
            'float("nan")'
            if math.isnan(value)
            else ('float("inf")' if value > 0 else '-float("inf")')
        )
    return repr(value)


def py_string(text: str) -> str:
    """A Python string literal in double quotes (built from `repr`, so always exact)."""
    literal = repr(text)
    if literal[0] == '"':
        return literal
    out: list[str] = []
    inner = literal[1:-1]
    i = 0
    while i < len(inner):
        char = inner[i]
        if char == "\\":
            pair = inner[i : i + 2]
            out.append("'" if pair == "\\'" else pair)
            i += 2
            continue
        out.append('\\"' if char == '"' else char)
        i += 1
    return '"' + "".join(out) + '"'


def _literal(value: Any, level: int, lang: str) -> str:
    """A pretty, indented literal of a JSON value in JavaScript ("js") or Python ("py")."""
    string = js_string if lang == "js" else py_string
    unit = INDENT if lang == "js" else PY_INDENT
    if isinstance(value, str):
        return string(value)
    if value is None:
        return "null" if lang == "js" else "None"
    if isinstance(value, bool):
        if lang == "js":
            return "true" if value else "false"
        return "True" if value else "False"
    if isinstance(value, (int, float)):
        return _js_number(value) if lang == "js" else _py_number(value)
    pad = unit * (level + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [
            f"{pad}{string(str(k))}: {_literal(v, level + 1, lang)}," for k, v in value.items()
        ]
        return "{\n" + "\n".join(items) + "\n" + unit * level + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{pad}{_literal(v, level + 1, lang)}," for v in value]
        return "[\n" + "\n".join(items) + "\n" + unit * level + "]"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _is_json(planned: PlannedRequest) -> bool:
    """True when the body text reads as JSON (a raw body sent as is may not)."""
    return planned.body() is not None or (planned.body_text or "").strip() == "null"


def to_node_fetch(planned: PlannedRequest) -> str:
    """A Node 18+ `fetch` call (an ES module or the REPL: it uses top-level await)."""
    headers = "\n".join(
        f"{INDENT * 2}{js_string(name)}: {_js_value(value)},"
        for name, value in snippet_headers(planned)
    )
    lines = [
        f"// Node 18+ (ES module or REPL). Set {KEY_ENV_VAR} in the environment first.",
        f"const response = await fetch({js_string(planned.url)}, {{",
        f"{INDENT}method: {js_string(planned.method)},",
        f"{INDENT}headers: {{",
        headers,
        f"{INDENT}}},",
    ]
    if planned.body_text is not None and _is_json(planned):
        lines.append(f"{INDENT}body: JSON.stringify({_literal(planned.body(), 1, 'js')}),")
    elif planned.body_text is not None:  # sent as typed: not JSON, so exactly that text
        lines.append(f"{INDENT}body: {js_string(planned.body_text)},")
    lines += [
        "});",
        "console.log(response.status, response.statusText);",
        "console.log(await response.text());",
    ]
    return "\n".join(lines) + "\n"


# --- Python (requests) --------------------------------------------------------------------


def _py_value(text: str) -> str:
    if KEY_PLACEHOLDER not in text:
        return py_string(text)
    lookup = f"os.environ[{py_string(KEY_ENV_VAR)}]"
    pieces: list[str] = []
    for index, part in enumerate(text.split(KEY_PLACEHOLDER)):
        if index:
            pieces.append(lookup)
        if part:
            pieces.append(py_string(part))
    return " + ".join(pieces)


def to_python_requests(planned: PlannedRequest) -> str:
    """A Python script using `requests`, with a timeout as every call should have."""
    pad = PY_INDENT
    headers = "\n".join(
        f"{pad * 2}{py_string(name)}: {_py_value(value)},"
        for name, value in snippet_headers(planned)
    )
    lines = [
        "import os",
        "",
        "import requests",
        "",
        f"response = requests.{planned.method.lower()}(",
        f"{pad}{py_string(planned.url)},",
        f"{pad}headers={{",
        headers,
        f"{pad}}},",
    ]
    if planned.body_text is not None and _is_json(planned):
        body = _literal(planned.body(), 0, "py").replace("\n", "\n" + pad)
        lines.append(f"{pad}json={body},")
    elif planned.body_text is not None:  # sent as typed: not JSON, so exactly that text
        lines.append(f'{pad}data={py_string(planned.body_text)}.encode("utf-8"),')
    lines += [
        f"{pad}timeout=10,",
        ")",
        "print(response.status_code, response.reason)",
        "print(response.text)",
    ]
    return "\n".join(lines) + "\n"


#: The snippet menu: id -> (label, generator). The UI builds its "Copy as…" actions from it.
SNIPPETS: dict[str, tuple[str, Callable[[PlannedRequest], str]]] = {
    "curl": ("cURL", to_curl),
    "node": ("Node fetch", to_node_fetch),
    "python": ("Python requests", to_python_requests),
}
