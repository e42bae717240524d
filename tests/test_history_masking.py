"""A key a server echoes back in any spelling never reaches the history or its exports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from urllib.parse import unquote

from flowsery_gui.exchange import Exchange, ReceivedResponse, SentRequest
from flowsery_gui.history import History, export_har, export_jsonl, record_to_json
from tests.history_helpers import GOALS_URL, KEY, T0


def _escaped(key: str) -> str:
    """The key with every underscore written as a JSON escape, as a server might echo it."""
    return key.replace("_", "\\u005f")


def _echoing_exchange() -> Exchange:
    body = '{"status":"error","error":{"message":"bad key ' + _escaped(KEY) + '"}}'
    location = "https://example.invalid/?k=" + KEY.replace("_", "%5F")
    return Exchange(
        request=SentRequest("POST", GOALS_URL, (("Authorization", "Bearer …Df2"),), "{}"),
        started_at=T0,
        elapsed_ms=12.0,
        response=ReceivedResponse(401, "Unauthorized", (("Location", location),), body, len(body)),
    )


def _decoded(text: str) -> str:
    """Every spelling undone: JSON escapes (twice, for JSON inside JSON) and %-encoding."""
    for _ in range(2):
        text = text.encode("ascii", "backslashreplace").decode("unicode_escape", "replace")
    return unquote(unquote(text))


def test_a_key_echoed_with_json_escapes_or_percent_encoding_is_masked_in_history(
    tmp_path: Path,
) -> None:
    history, _ = History.open(tmp_path / "h.sqlite3", secrets=lambda: (KEY,))
    assert history is not None
    with history:
        record_id = history.append(
            _echoing_exchange(), profile="Production", source="cli", goal=None
        )
        record = history.get(record_id)
        assert record is not None
        jsonl, har = io.StringIO(), io.StringIO()
        export_jsonl([record], jsonl)
        export_har([record], har)
    stored = json.dumps(record_to_json(record), ensure_ascii=False)
    raw_file = (tmp_path / "h.sqlite3").read_bytes().decode("latin-1")
    for text in (stored, jsonl.getvalue(), har.getvalue(), raw_file):
        assert KEY not in _decoded(text)
    assert "…" + KEY[-4:] in _decoded(stored)  # masked, not dropped: the person sees where
