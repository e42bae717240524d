"""The request model and the code snippets built from it: golden files, and real runs.

Golden files live in tests/golden/; run with UPDATE_GOLDEN=1 to rewrite them after an
intended change, then read the diff. The cURL, Python and Node snippets are also run for
real against the sandbox, and what the sandbox stored must be exactly the goal planned.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from flowsery_gui.codegen import (
    SNIPPETS,
    escape_invisible,
    js_string,
    py_string,
    shell_quote,
    to_curl,
    to_node_fetch,
    to_python_requests,
)
from flowsery_gui.contract import check_body, stored_metadata
from flowsery_gui.request_model import (
    KEY_ENV_VAR,
    KEY_PLACEHOLDER,
    PlannedRequest,
    join_url,
    masked_for_display,
    plan_goal_request,
    serialize_body,
    with_real_key,
)
from tests.sandbox_helpers import running_sandbox

GOLDEN = Path(__file__).parent / "golden"
USER_AGENT = "flowsery-goal-tester/0.1.0"
BASE = "https://analytics.flowsery.com"

SIMPLE_BODY: dict[str, Any] = {"name": "newsletter_signup", "metadata": {"plan": "pro"}}
NASTY_BODY: dict[str, Any] = {
    "name": "signup_test-2",
    "visitorUid": 'O\'Brien "quoted" \\back\\slash',
    "sessionUid": "sess-'$(id)'-`whoami`-$HOME",
    "metadata": {
        "quote": 'He said "hi" and it\'s fine',
        "backslash": "C:\\Users\\me\\new not a newline \\u0041 \\",
        "newline": "line one\nline two\r\nline three\ttab",
        "emoji": "🎉 launch 👩‍💻 done",
        "script": "<b>bold</b></script><script>alert('x')</script>tail",
        "unicode": "café 日本語 Ünïcödé \u2028sep\u2029 \u202ertl\u202c \u00a0nbsp",
        "shell": "$HOME `id` $(whoami) !! %PATH% ^&|;<> ${x} \\$ end'",
        "json_like": '{"a": [1, 2], "b": null} </SCRIPT> <!--',
    },
    "timezone": "Europe/Paris",
}
CASES = {"simple": SIMPLE_BODY, "nasty": NASTY_BODY}


def plan(body: dict[str, Any], base: str = BASE) -> PlannedRequest:
    return plan_goal_request(base, body, has_key=True, user_agent=USER_AGENT)


def snippet_env(key: str) -> dict[str, str]:
    """The environment a person would run a snippet in: their key set, no proxy in the way."""
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost,::1"
    env[KEY_ENV_VAR] = key
    return env


def stored_goals(url: str) -> list[dict[str, Any]]:
    goals = requests.get(f"{url}/sandbox/goals", timeout=5).json()
    return [{k: v for k, v in g.items() if k not in ("id", "receivedAt")} for g in goals]


def expected_stored(body: dict[str, Any]) -> dict[str, Any]:
    expected = dict(body)
    if "metadata" in expected:
        expected["metadata"] = stored_metadata(expected["metadata"])
    return expected


# --- Request model ----------------------------------------------------------------------------


def test_the_nasty_body_is_a_valid_goal_so_the_sandbox_must_store_it() -> None:
    assert check_body(NASTY_BODY).ok


@pytest.mark.parametrize(
    "base",
    [
        "https://analytics.flowsery.com",
        "https://analytics.flowsery.com/",
        "https://analytics.flowsery.com//",
        "  https://analytics.flowsery.com/ ",
    ],
)
def test_goal_url_has_exactly_one_slash_whatever_the_base_ends_with(base: str) -> None:
    assert plan(SIMPLE_BODY, base).url == "https://analytics.flowsery.com/api/v1/goals"


def test_join_url_keeps_a_base_path_such_as_a_self_hosted_prefix() -> None:
    assert join_url("https://example.com/flowsery/", "/api/v1/goals") == (
        "https://example.com/flowsery/api/v1/goals"
    )


def test_planned_request_has_the_contract_headers_in_send_order_with_a_key_placeholder() -> None:
    planned = plan(SIMPLE_BODY)
    assert planned.method == "POST"
    assert planned.headers == (
        ("Authorization", f"Bearer {KEY_PLACEHOLDER}"),
        ("Content-Type", "application/json"),
        ("Accept", "application/json"),
        ("User-Agent", USER_AGENT),
    )


def test_planned_request_without_a_key_sends_no_authorization_header() -> None:
    planned = plan_goal_request(BASE, SIMPLE_BODY, has_key=False, user_agent=USER_AGENT)
    assert planned.header("authorization") is None
    assert planned.header("content-type") == "application/json"


def test_body_text_is_compact_json_with_unicode_kept_as_text() -> None:
    body = {"name": "x", "metadata": {"city": "Zürich 🎉", "q": 'say "hi"'}}
    assert serialize_body(body) == '{"name":"x","metadata":{"city":"Zürich 🎉","q":"say \\"hi\\""}}'
    assert plan(body).body_text == serialize_body(body)
    assert plan(body).body() == body


def test_preview_shows_the_key_masked_to_its_last_four_characters() -> None:
    key = "flow_sk_test_secret9876"
    shown = masked_for_display(plan(SIMPLE_BODY), key)
    assert shown.header("Authorization") == "Bearer …9876"
    assert key not in repr(shown)


def test_preview_without_a_key_says_no_key_is_set() -> None:
    shown = masked_for_display(plan(SIMPLE_BODY), None)
    assert shown.header("Authorization") == "Bearer (no key set)"


def test_with_real_key_fills_the_placeholder_and_leaves_the_rest_unchanged() -> None:
    planned = plan(SIMPLE_BODY)
    sent = with_real_key(planned, "flow_abc_123456")
    assert sent.header("Authorization") == "Bearer flow_abc_123456"
    assert sent.headers[1:] == planned.headers[1:]
    assert sent.body_text == planned.body_text


# --- Golden files -------------------------------------------------------------------------------


@pytest.mark.parametrize("snippet_id", list(SNIPPETS))
@pytest.mark.parametrize("case", list(CASES))
def test_snippet_matches_its_golden_file(case: str, snippet_id: str) -> None:
    _label, generate = SNIPPETS[snippet_id]
    text = generate(plan(CASES[case]))
    path = GOLDEN / f"{case}_{snippet_id}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 to create it"
    assert text == path.read_bytes().decode("utf-8")


def test_snippet_menu_offers_curl_node_and_python_in_that_order() -> None:
    assert [(k, label) for k, (label, _f) in SNIPPETS.items()] == [
        ("curl", "cURL"),
        ("node", "Node fetch"),
        ("python", "Python requests"),
    ]


@pytest.mark.parametrize("generate", [to_curl, to_node_fetch, to_python_requests])
def test_snippets_read_the_key_from_the_environment_never_a_literal_key(generate: Any) -> None:
    key = "flow_sk_test_do_not_leak_4321"
    planned = plan(NASTY_BODY)
    text = generate(planned)
    assert key not in text and "4321" not in text
    assert KEY_ENV_VAR in text
    # Fed the preview (masked) request by mistake, a generator still cannot show the key.
    assert key not in generate(masked_for_display(planned, key))


def test_curl_authorization_header_is_double_quoted_so_the_variable_expands() -> None:
    assert f'-H "Authorization: Bearer ${KEY_ENV_VAR}"' in to_curl(plan(SIMPLE_BODY))


def test_node_reads_the_key_in_a_template_literal_and_python_from_os_environ() -> None:
    assert f"`Bearer ${{process.env.{KEY_ENV_VAR}}}`" in to_node_fetch(plan(SIMPLE_BODY))
    assert f'"Bearer " + os.environ["{KEY_ENV_VAR}"]' in to_python_requests(plan(SIMPLE_BODY))


def test_curl_header_with_shell_specials_around_the_placeholder_stays_literal() -> None:
    planned = PlannedRequest("POST", "http://x", (("X-Odd", f'a"b`c!{KEY_PLACEHOLDER}$d'),), None)
    command = to_curl(planned)
    assert "-H 'X-Odd: a\"b`c!'\"$FLOWSERY_API_KEY\"'$d'" in command


def test_python_snippet_is_valid_python_whose_json_argument_is_the_body() -> None:
    tree = ast.parse(to_python_requests(plan(NASTY_BODY)))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.keywords)
    json_arg = next(k.value for k in call.keywords if k.arg == "json")
    assert ast.literal_eval(json_arg) == NASTY_BODY


def test_javascript_strings_cannot_close_a_script_block_or_break_a_line() -> None:
    literal = js_string("a</script>b\u2028c\u2029d")
    assert "</" not in literal and "\u2028" not in literal and "\u2029" not in literal
    assert json.loads(literal) == "a</script>b\u2028c\u2029d"


def test_curl_body_shows_invisible_and_bidi_characters_as_escapes() -> None:
    command = to_curl(plan(NASTY_BODY))
    assert "\u202e" not in command and "\u2028" not in command and "\u200d" not in command
    assert "\\u202e" in command


@given(st.text())
def test_python_string_literal_reads_back_as_the_same_text(text: str) -> None:
    literal = py_string(text)
    assert literal.startswith('"')
    assert ast.literal_eval(literal) == text


@given(st.text())
def test_javascript_string_literal_is_json_that_reads_back_as_the_same_text(text: str) -> None:
    assert json.loads(js_string(text)) == text


@given(st.recursive(st.text() | st.none() | st.booleans(), lambda c: st.dictionaries(st.text(), c)))
def test_escaping_invisible_characters_keeps_the_json_meaning(value: Any) -> None:
    text = json.dumps(value, ensure_ascii=False)
    assert json.loads(escape_invisible(text)) == value


@pytest.mark.parametrize(
    "text", ["plain", "it's", "'", "''", "a\\b", "$HOME `id` $(x) !!", "line\nbreak", "é 🎉"]
)
def test_shell_quote_gives_bash_the_exact_text(text: str) -> None:
    result = subprocess.run(
        ["bash", "-c", f"printf %s {shell_quote(text)}"],
        capture_output=True,
        timeout=10,
        check=True,
    )
    assert result.stdout.decode("utf-8") == text


# --- Real runs against the sandbox --------------------------------------------------------------


def run_snippet(snippet_id: str, text: str, key: str) -> subprocess.CompletedProcess[str]:
    if snippet_id == "curl":
        command = ["bash", "-c", text]
    elif snippet_id == "python":
        command = [sys.executable, "-c", text]
    else:
        node = shutil.which("node")
        if node is None:
            pytest.skip("node is not installed")
        command = [node, "--input-type=module", "-e", text]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=snippet_env(key),
        timeout=20,
    )


@pytest.mark.slow
@pytest.mark.parametrize("snippet_id", list(SNIPPETS))
@pytest.mark.parametrize("case", list(CASES))
def test_snippet_run_for_real_stores_exactly_the_planned_goal(case: str, snippet_id: str) -> None:
    body = CASES[case]
    with running_sandbox() as sandbox:
        _label, generate = SNIPPETS[snippet_id]
        text = generate(plan(body, sandbox.url))
        assert sandbox.api_key not in text
        result = run_snippet(snippet_id, text, sandbox.api_key)
        assert result.returncode == 0, result.stderr
        assert "Goal created successfully" in result.stdout
        assert stored_goals(sandbox.url) == [expected_stored(body)]


@pytest.mark.slow
def test_curl_snippet_with_a_wrong_key_in_the_environment_is_refused_and_stores_nothing() -> None:
    with running_sandbox() as sandbox:
        result = run_snippet("curl", to_curl(plan(SIMPLE_BODY, sandbox.url)), "flow_wrong_key")
        assert result.returncode == 0, result.stderr
        assert "401" in result.stdout
        assert stored_goals(sandbox.url) == []


@pytest.mark.parametrize("snippet_id", list(SNIPPETS))
def test_no_snippet_carries_the_apps_own_user_agent(snippet_id: str) -> None:
    text = SNIPPETS[snippet_id][1](plan(CASES["simple"]))
    assert "User-Agent" not in text and USER_AGENT not in text
    assert "Bearer" in text  # the rest of the headers are still there
