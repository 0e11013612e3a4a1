"""The fake OpenAI server works with the real `openai` and `instructor` clients.

These tests also pin the installed instructor's behaviour that llm-extract relies on.
"""

from __future__ import annotations

import json
import time
from typing import Any

import instructor
import openai
import pytest
from fake_openai import (
    FakeOpenAI,
    Reply,
    error_reply,
    json_reply,
    slow_reply,
    tool_reply,
)
from instructor.core import InstructorRetryException
from openai import OpenAI
from pydantic import BaseModel, ValidationError

MESSAGES = [{"role": "user", "content": "Unemployment fell to 4.1% in May."}]


class Stat(BaseModel):
    label: str
    value: float


def raw_client(server: FakeOpenAI, timeout: float = 5.0) -> OpenAI:
    return OpenAI(base_url=server.base_url, api_key="test", max_retries=0, timeout=timeout)


def patched(server: FakeOpenAI, mode: instructor.Mode = instructor.Mode.TOOLS) -> Any:
    return instructor.from_openai(raw_client(server), mode=mode)


def test_models_endpoint(fake_openai: FakeOpenAI) -> None:
    models = raw_client(fake_openai).models.list()
    assert [m.id for m in models.data] == ["fake-model"]
    assert fake_openai.calls == 0  # only chat completions count
    assert fake_openai.all_requests[0].path == "/v1/models"


def test_openai_client_gets_tool_call_and_usage(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(tool_reply({"label": "rate", "value": 4.1}, prompt_tokens=7))
    tools = [{"type": "function", "function": {"name": "record", "parameters": {}}}]
    completion = raw_client(fake_openai).chat.completions.create(
        model="some-model", messages=MESSAGES, tools=tools
    )
    choice = completion.choices[0]
    assert completion.model == "some-model"
    assert choice.finish_reason == "tool_calls"
    call = choice.message.tool_calls[0]
    assert call.function.name == "record"  # filled from the request's tools[0]
    assert json.loads(call.function.arguments) == {"label": "rate", "value": 4.1}
    assert completion.usage is not None
    assert (completion.usage.prompt_tokens, completion.usage.total_tokens) == (7, 27)
    [request] = fake_openai.requests
    assert request.body["messages"] == MESSAGES
    assert request.headers["authorization"] == "Bearer test"
    assert fake_openai.calls == 1


def test_instructor_tools_mode_parses_tool_reply(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(tool_reply({"label": "unemployment", "value": 4.1}))
    stat = patched(fake_openai).chat.completions.create(
        model="m", messages=MESSAGES, response_model=Stat
    )
    # Compare dumps: instructor attaches private attrs (_raw_response...) that break `==`.
    assert stat.model_dump() == {"label": "unemployment", "value": 4.1}
    body = fake_openai.requests[0].body
    # instructor forces one function named after the model class; no "strict" key by default.
    assert body["tool_choice"] == {"type": "function", "function": {"name": "Stat"}}
    [tool] = body["tools"]
    assert tool["function"]["name"] == "Stat"
    assert tool["function"]["parameters"]["required"] == ["label", "value"]
    assert "strict" not in tool["function"]
    assert body["messages"] == MESSAGES


def test_instructor_json_mode_parses_json_reply(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(json_reply({"label": "inflation", "value": 2.5}))
    stat = patched(fake_openai, instructor.Mode.JSON).chat.completions.create(
        model="m", messages=MESSAGES, response_model=Stat
    )
    assert stat.model_dump() == {"label": "inflation", "value": 2.5}
    body = fake_openai.requests[0].body
    assert body["response_format"] == {"type": "json_object"}
    assert "tools" not in body
    # The schema travels in a system message instructor prepends.
    assert body["messages"][0]["role"] == "system"
    assert '"label"' in body["messages"][0]["content"]
    assert body["messages"][1:] == MESSAGES


def test_rate_limit_reaches_openai_client_with_retry_after(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(error_reply(429, "slow down", retry_after=1.5))
    with pytest.raises(openai.RateLimitError) as caught:
        raw_client(fake_openai).chat.completions.create(model="m", messages=MESSAGES)
    assert caught.value.response.headers["retry-after"] == "1.5"
    assert caught.value.body["message"] == "slow down"  # type: ignore[index]
    assert caught.value.body["code"] == "rate_limit_exceeded"  # type: ignore[index]


def test_instructor_wraps_api_errors_without_retrying(fake_openai: FakeOpenAI) -> None:
    """instructor retries only parse/validation errors, but wraps every failure."""
    fake_openai.queue(error_reply(429, retry_after=1), tool_reply({"label": "x", "value": 1}))
    with pytest.raises(InstructorRetryException) as caught:
        patched(fake_openai).chat.completions.create(
            model="m", messages=MESSAGES, response_model=Stat, max_retries=3
        )
    assert isinstance(caught.value.__cause__, openai.RateLimitError)
    assert caught.value.n_attempts == 1
    assert (fake_openai.calls, fake_openai.pending) == (1, 1)


def test_slow_reply_trips_client_timeout(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(slow_reply(5, json_reply({"late": True})))
    start = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        raw_client(fake_openai, timeout=0.2).chat.completions.create(model="m", messages=MESSAGES)
    assert time.monotonic() - start < 2
    assert fake_openai.calls == 1  # recorded (and consumed) before the sleep


def test_stop_does_not_wait_for_sleeping_handler() -> None:
    server = FakeOpenAI().start()
    server.queue(slow_reply(30, json_reply({})))
    with pytest.raises(openai.APITimeoutError):
        raw_client(server, timeout=0.1).chat.completions.create(model="m", messages=MESSAGES)
    start = time.monotonic()
    server.stop()
    assert time.monotonic() - start < 1


def test_malformed_arguments_exhaust_retries(fake_openai: FakeOpenAI) -> None:
    """max_retries=1 means one re-ask: two requests, then InstructorRetryException."""
    fake_openai.queue(tool_reply('{"label": "x", "value": '), tool_reply("not json"))
    with pytest.raises(InstructorRetryException) as caught:
        patched(fake_openai).chat.completions.create(
            model="m", messages=MESSAGES, response_model=Stat, max_retries=1
        )
    error = caught.value
    assert isinstance(error.__cause__, ValidationError)
    assert error.__cause__.errors()[0]["type"] == "json_invalid"
    assert error.n_attempts == 2 and len(error.failed_attempts) == 2
    assert fake_openai.calls == 2

    # The re-ask replays the bad assistant turn plus a `tool` message carrying the error.
    first, second = (r.body["messages"] for r in fake_openai.requests)
    assert first == MESSAGES
    assistant, tool = second[len(MESSAGES) :]
    assert assistant["role"] == "assistant"
    assert assistant["tool_calls"][0]["function"]["arguments"] == '{"label": "x", "value": '
    assert tool["role"] == "tool" and tool["tool_call_id"] == "call_1" and tool["name"] == "Stat"
    assert tool["content"].startswith("Validation Error found:")
    assert "Recall the function correctly, fix the errors" in tool["content"]


def test_reask_recovers_and_usage_is_cumulative(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(
        tool_reply("{", prompt_tokens=100, completion_tokens=20),
        tool_reply({"label": "x", "value": 1}, prompt_tokens=150, completion_tokens=30),
    )
    stat, completion = patched(fake_openai).chat.completions.create_with_completion(
        model="m", messages=MESSAGES, response_model=Stat, max_retries=1
    )
    assert stat.model_dump() == {"label": "x", "value": 1.0}
    # instructor rewrites the returned completion's usage to the total over all attempts.
    assert (completion.usage.prompt_tokens, completion.usage.completion_tokens) == (250, 50)
    assert fake_openai.calls == 2


def test_instructor_validates_strictly_by_default(fake_openai: FakeOpenAI) -> None:
    """strict=True is instructor's default: a numeric string is not a float."""
    client = patched(fake_openai)
    fake_openai.queue(tool_reply({"label": "x", "value": "2"}))
    with pytest.raises(InstructorRetryException):
        client.chat.completions.create(
            model="m", messages=MESSAGES, response_model=Stat, max_retries=0
        )
    fake_openai.queue(tool_reply({"label": "x", "value": "2"}))
    stat = client.chat.completions.create(
        model="m", messages=MESSAGES, response_model=Stat, max_retries=0, strict=False
    )
    assert stat.value == 2.0


def test_empty_queue_fails_loudly(fake_openai: FakeOpenAI) -> None:
    with pytest.raises(openai.InternalServerError, match="no reply queued"):
        raw_client(fake_openai).chat.completions.create(model="m", messages=MESSAGES)


def test_responder_builds_reply_from_request(fake_openai: FakeOpenAI) -> None:
    def echo(request: dict[str, Any]) -> Reply:
        return json_reply({"label": request["messages"][-1]["content"], "value": 0})

    fake_openai.queue(error_reply(503))  # queued replies are served before the responder
    fake_openai.responder = echo
    client = raw_client(fake_openai)
    with pytest.raises(openai.InternalServerError):
        client.chat.completions.create(model="m", messages=MESSAGES)
    completion = client.chat.completions.create(model="m", messages=MESSAGES)
    content = json.loads(completion.choices[0].message.content or "")
    assert content["label"] == MESSAGES[0]["content"]
    fake_openai.reset()
    assert (fake_openai.calls, fake_openai.pending, fake_openai.responder) == (0, 0, None)


def test_tool_reply_without_tools_fails_loudly(fake_openai: FakeOpenAI) -> None:
    fake_openai.queue(tool_reply({"a": 1}))
    with pytest.raises(openai.InternalServerError, match="names no tool"):
        raw_client(fake_openai).chat.completions.create(model="m", messages=MESSAGES)
