"""Plain words for responses and failures: the server's text in every shape, never a crash."""

from __future__ import annotations

import json
import time
from email.utils import formatdate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flowsery_gui.exchange import Exchange, Failure, FailureKind, ReceivedResponse, SentRequest
from flowsery_gui.explain import explain, retry_after_text, server_message

GOALS_URL = "https://analytics.flowsery.com/api/v1/goals"


def exchange(
    status: int,
    body: str = "",
    *,
    headers: tuple[tuple[str, str], ...] = (),
    method: str = "POST",
    url: str = GOALS_URL,
    reason: str = "",
    truncated: bool = False,
) -> Exchange:
    """An exchange as the client would record it for this answer."""
    return Exchange(
        request=SentRequest(method, url, ()),
        started_at=0.0,
        elapsed_ms=12.0,
        response=ReceivedResponse(status, reason, headers, body, len(body), truncated),
    )


def failed(kind: FailureKind, message: str = "What happened, and what to check.") -> Exchange:
    return Exchange(SentRequest("POST", GOALS_URL, ()), 0.0, 5.0, failure=Failure(kind, message))


# --- server_message: every body shape --------------------------------------------------------

NGINX_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"status":"error","error":{"code":400,"message":"name: bad"}}', "name: bad"),
        ('{"statusCode":400,"message":"name must match","error":"Bad Request"}', "name must match"),
        (
            '{"statusCode":400,"message":["name must match","metadata too big"],'
            '"error":"Bad Request"}',
            "name must match; metadata too big",
        ),
        ('{"statusCode":401,"message":[],"error":"Unauthorized"}', "Unauthorized"),
        (
            '{"status":"success","data":[{"message":"Goal created successfully"}]}',
            "Goal created successfully",
        ),
        (
            '{"status":"success","data":[{"deleted":3,"message":"Goal events deleted"}]}',
            "Goal events deleted",
        ),
        ('{"weird": [1, 2, {"x": null}]}', '{"weird":[1,2,{"x":null}]}'),
        ("[1, 2, 3]", "[1,2,3]"),
        ('"just a string"', '"just a string"'),
        (NGINX_502, "502 Bad Gateway"),
        (
            "<!DOCTYPE html><html><body><script>alert(1)</script><p>Service down</p></body></html>",
            "Service down",
        ),
        ("  Internal failure: try later\n", "Internal failure: try later"),
        ("", None),
        ("   \n\t ", None),
        ('{"status": "succ', '{"status": "succ'),
        ("<not really html", "<not really html"),
    ],
)
def test_server_message_reads_every_body_shape(body: str, expected: str | None) -> None:
    assert server_message(body) == expected


def test_server_message_cuts_a_long_text_to_about_300_characters() -> None:
    said = server_message("x" * 5000)
    assert said is not None and len(said) <= 300 and said.endswith("…")


def test_server_message_cuts_unknown_json_to_about_300_characters() -> None:
    said = server_message(json.dumps({"items": list(range(1000))}))
    assert said is not None and len(said) <= 300 and said.startswith('{"items":[0,1,2')


@given(st.text())
def test_server_message_never_raises_on_any_text(body: str) -> None:
    said = server_message(body)
    assert said is None or (isinstance(said, str) and len(said) <= 300)


_MARKUP = st.lists(
    st.sampled_from(
        [
            "<html>",
            "<title>",
            "</title>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "<![CDATA[",
            "<![if",
            "]]>",
            "<p>",
            "<body",
            " a='",
            "&#",
            "&amp",
            "<!DOCTYPE html>",
            "<div>",
            "<?",
        ]
    )
    | st.text(max_size=8),
    max_size=30,
).map("".join)


@settings(max_examples=60)
@given(_MARKUP)
def test_server_message_never_raises_on_broken_html(body: str) -> None:
    said = server_message("<html>" + body)
    assert said is None or isinstance(said, str)


@settings(max_examples=60)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=8,
    )
)
def test_server_message_never_raises_on_any_json(value: object) -> None:
    said = server_message(json.dumps(value))
    assert said is None or isinstance(said, str)


# --- explain: statuses -----------------------------------------------------------------------


def test_200_says_the_goal_was_created_with_the_server_words() -> None:
    body = '{"status":"success","data":[{"message":"Goal created successfully"}]}'
    result = explain(exchange(200, body, reason="OK"))
    assert result.tone == "success"
    assert result.title == "200 OK · Goal created"
    assert "Goal created successfully" in result.message


def test_metadata_success_names_the_website() -> None:
    body = json.dumps(
        {
            "status": "success",
            "data": [{"domain": "shop.example", "name": "Shop", "timezone": "UTC"}],
        }
    )
    result = explain(exchange(200, body, method="GET", url="https://h/api/v1/metadata"))
    assert result.tone == "success" and "Shop (shop.example)" in result.message


def test_delete_success_says_how_many_were_deleted() -> None:
    body = (
        '{"status":"success","data":[{"deleted":14,"message":"Goal events deleted successfully"}]}'
    )
    result = explain(exchange(200, body, method="DELETE"))
    assert "14" in result.message


@pytest.mark.parametrize(
    "body",
    [
        '{"status":"error","error":{"code":400,"message":"metadata.plan: too long"}}',
        '{"statusCode":400,"message":["metadata.plan: too long"],"error":"Bad Request"}',
    ],
)
def test_400_says_the_payload_was_rejected_and_quotes_the_server(body: str) -> None:
    result = explain(exchange(400, body))
    assert result.tone == "client_error"
    assert "rejected the payload" in result.message
    assert "metadata.plan: too long" in result.message
    assert result.server_message == "metadata.plan: too long"


def test_400_without_a_body_still_explains() -> None:
    result = explain(exchange(400, ""))
    assert "rejected the payload" in result.message and result.server_message is None


def test_401_says_the_key_was_rejected_and_what_to_do() -> None:
    result = explain(exchange(401, '{"statusCode":401,"message":"Unauthorized"}'))
    assert result.tone == "auth"
    assert result.title == "401 Unauthorized · API key rejected"
    assert "API key was rejected" in result.message
    assert "flow_" in result.message


def test_403_says_the_key_is_not_allowed() -> None:
    result = explain(exchange(403))
    assert result.tone == "auth" and "forbidden" in result.message


@pytest.mark.parametrize("body", ["", '{"statusCode":404,"message":"Cannot POST /x"}', NGINX_502])
def test_404_is_a_wrong_url_never_a_missing_pageview(body: str) -> None:
    result = explain(exchange(404, body))
    assert "wrong URL or API version" in result.message
    assert "base URL" in result.message
    for word in ("pageview", "page view", "visitor"):
        assert word not in result.message.lower()
        assert word not in result.title.lower()


def test_413_says_the_payload_is_too_large() -> None:
    assert "too large" in explain(exchange(413)).message


def test_429_with_retry_after_seconds_says_when_to_retry() -> None:
    result = explain(exchange(429, headers=(("Retry-After", "30"),)))
    assert result.title == "429 Too Many Requests · Rate limited"
    assert "30 seconds" in result.message


def test_429_with_retry_after_date_says_when_to_retry() -> None:
    when = formatdate(time.time() + 120, usegmt=True)
    result = explain(exchange(429, headers=(("retry-after", when),)))
    assert when in result.message and "seconds from now" in result.message


def test_429_without_retry_after_still_says_to_wait() -> None:
    assert "Wait" in explain(exchange(429)).message


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_warns_the_goal_may_have_been_recorded_and_never_retries(status: int) -> None:
    result = explain(exchange(status, NGINX_502, headers=(("Retry-After", "5"),)))
    assert result.tone == "server_error"
    assert "may or may not have been recorded" in result.message
    assert "check before sending again" in result.message
    assert "never retries" in result.message
    assert "5 seconds" in result.message


def test_other_status_gets_a_generic_explanation() -> None:
    result = explain(exchange(418, "short and stout"))
    assert result.tone == "client_error" and "418" in result.message
    assert result.server_message == "short and stout"


def test_truncated_body_is_mentioned() -> None:
    assert "only its first part" in explain(exchange(200, "x", truncated=True)).message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "wait 0 seconds"),
        ("1", "wait 1 second "),
        ("Wed, 21 Oct 2015 07:28:00 GMT", "that time has passed"),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after_reads_seconds_and_dates(value: str | None, expected: str | None) -> None:
    text = retry_after_text(value)
    if expected is None:
        assert text is None
    else:
        assert text is not None and expected in text


# --- explain: failures -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k in FailureKind if k is not FailureKind.CANCELLED])
def test_failures_use_the_failure_message(kind: FailureKind) -> None:
    result = explain(failed(kind, "The host name could not be found."))
    assert result.tone == "failure"
    assert result.message == "The host name could not be found."
    assert result.server_message is None


def test_cancelled_is_information_not_an_error() -> None:
    result = explain(failed(FailureKind.CANCELLED, "Cancelled."))
    assert result.tone == "info" and result.title == "No response · Cancelled"


def test_a_200_with_a_body_that_is_not_json_is_not_called_a_clean_success() -> None:
    exchange = Exchange(
        request=SentRequest("POST", "https://analytics.flowsery.com/api/v1/goals", ()),
        started_at=time.time(),
        elapsed_ms=12.0,
        response=ReceivedResponse(200, "OK", (), '{"status": "succ', 16),
    )
    explanation = explain(exchange)
    assert explanation.title == "200 OK · Not the API's answer"
    assert explanation.tone == "info"  # not a green success: nobody knows it was recorded
    assert "not known whether the goal was recorded" in explanation.message
    assert "most likely" not in explanation.message
    assert "base URL" in explanation.message and "before sending it again" in explanation.message


def test_a_dropped_connection_and_a_reset_have_different_titles() -> None:
    dropped = explain(failed(FailureKind.DROPPED, "The server closed the connection."))
    reset = explain(failed(FailureKind.RESET, "The connection was reset."))
    assert dropped.title == "No response · Connection closed, no answer"
    assert reset.title == "No response · Connection reset"


def test_an_absurd_retry_after_is_left_out_rather_than_crashing() -> None:
    result = explain(exchange(429, "slow down", headers=(("Retry-After", "9" * 5000),)))
    assert result.title.startswith("429") and "Wait a little" in result.message
