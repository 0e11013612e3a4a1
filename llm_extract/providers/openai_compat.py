"""Any OpenAI-compatible chat server (OpenAI, vLLM, Ollama, llama.cpp, DeepSeek, Qwen) through
instructor.

Retry policy, explicit:
- transport failures (timeout, connection error, 429, 5xx) are retried up to `max_retries`
  times with exponential backoff and jitter, honouring `Retry-After`;
- an answer that does not parse or validate is re-asked with the error, at most `max_reasks`
  times (instructor's `max_retries` counts re-asks after the first attempt in instructor >= 1.10);
- every attempt's tokens are summed; a chunk that still fails comes back as an error, never
  silently dropped.
Mode `auto` starts with tool calls and falls back to JSON when a server refuses tools, and
remembers the answer per backend beside the response cache.
"""

from __future__ import annotations

import functools
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import instructor
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from openai.types.chat import ChatCompletion
from pydantic import BaseModel
from tenacity import (
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)

from ..core.protocols import BackendUnavailable, Reply
from ..core.secrets import redact, strip_userinfo, url_secrets
from ..files import write_json
from ..records import Usage
from .cache import ResponseCache, request_key
from .errors import (
    AnswerSource,
    BadBody,
    Deferred,
    EngineDown,
    NoAnswer,
    connection_cause,
    describe,
    retry_after,
    transient,
)
from .ratelimit import RateLimiter, estimate_tokens
from .transport import http_client

COMPACT_JSON = {"whitespace_flexible": False, "item_separator": ",", "key_separator": ":"}


@functools.cache
def json_grammar(response_model: type[BaseModel]) -> str:
    """llama.cpp's `grammar` for the response schema, as compact JSON (a small model otherwise
    pretty-prints, spending half its output tokens on indentation: 70 against 31 measured)."""
    schema = {**response_model.model_json_schema(), "x-guidance": COMPACT_JSON}
    return "%llguidance {}\nstart: %json " + json.dumps(schema, ensure_ascii=False)


MODES = {"tools": instructor.Mode.TOOLS, "json": instructor.Mode.JSON}


def _raw_output(completion: ChatCompletion) -> str | None:
    message = completion.choices[0].message if completion.choices else None
    if message is None:
        return None
    if message.tool_calls:
        return message.tool_calls[0].function.arguments
    return message.content


class OpenAICompatible:
    """A chat model behind an OpenAI-compatible endpoint; satisfies `extract.ChatModel`."""

    def __init__(
        self,
        model: str,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        identity: str | None = None,
        mode: str = "auto",
        cache: ResponseCache | None = None,
        timeout: float = 180.0,
        max_retries: int = 4,
        max_reasks: int = 2,
        max_wait: float = 30.0,
        connect: Callable[[], str] | None = None,
        revive: Callable[[], str] | None = None,
        schema_grammar: bool = False,
        memo_dir: Path | None = None,
        limiter: RateLimiter | None = None,
    ):
        """`connect`, when given, is called before the first live call and returns the base URL
        (the embedded server starts there, so a fully cached run never starts it). `revive` is
        called after a connection error: it returns the (possibly new) base URL of a live
        server, or raises `EngineDown`. `schema_grammar`: in JSON mode, constrain the answer to
        the response schema with a llama.cpp grammar (see `json_grammar`). `limiter` holds
        every call of the run under its rpm/tpm limits and pauses them all after a 429."""
        if base_url is None and connect is None and not api_key:
            raise ValueError("no OPENAI_API_KEY for OpenAI; set it, or give --base-url")
        self.name = model
        self.identity = strip_userinfo(identity or base_url or "https://api.openai.com/v1")
        self._secrets = [api_key or "", *url_secrets(base_url)]
        self._reached = False  # any answer from the server in this run
        self._unreachable: str | None = None
        self.cache = cache
        self.max_retries = max_retries
        self.max_reasks = max_reasks
        self.max_wait = max_wait
        self._backoff = wait_exponential(multiplier=0.5, max=max_wait) + wait_random(0, 0.5)
        self._connect = connect
        self._revive = revive
        self._schema_grammar = schema_grammar
        self.limiter = limiter or RateLimiter()
        self.offline: AnswerSource | None = None  # set: answers come from it, never the server
        self._lock = threading.Lock()  # chunks are sent from several threads
        self._client_args = {
            "base_url": base_url,
            "api_key": api_key or "no-key",
            "max_retries": 0,
            "timeout": timeout,
            "http_client": http_client(timeout),  # `timeout` is a deadline for the whole call
        }
        self._client: openai.OpenAI | None = None
        memo_dir = memo_dir or (cache.root if cache else None)
        self._mode_memo = memo_dir / "modes.json" if memo_dir else None
        self.mode = mode if mode != "auto" else self._remembered_mode() or "tools"
        self._auto = mode == "auto"

    # -- mode memory -------------------------------------------------------------------
    def _memo_key(self) -> str:
        return f"{self.identity}|{self.name}"

    def _read_memo(self) -> dict[str, str]:
        """The remembered modes; an unreadable memo is only a lost hint, never an error."""
        try:
            memo = json.loads(self._mode_memo.read_text()) if self._mode_memo else {}
        except (OSError, ValueError):
            return {}
        return memo if isinstance(memo, dict) else {}

    def _remembered_mode(self) -> str | None:
        return self._read_memo().get(self._memo_key())

    def _remember_mode(self) -> None:
        if not self._mode_memo:
            return
        memo = self._read_memo()
        memo[self._memo_key()] = self.mode
        write_json(self._mode_memo, memo, indent=1)  # a crash never leaves a torn memo

    def _openai(self) -> openai.OpenAI:
        with self._lock:
            if self._client is None:
                if self._connect is not None:
                    self._client_args["base_url"] = self._connect()
                self._client = openai.OpenAI(**self._client_args)
            return self._client

    def client(self) -> openai.OpenAI:
        """The OpenAI client (for the files and batches endpoints); connects on first use."""
        return self._openai()

    def _after_connection_error(self, client: openai.OpenAI) -> None:
        """Ask the supervisor whether the server lives; point at its new address if restarted."""
        if self._revive is None:
            return
        with self._lock:
            if self._client is not client:
                return  # another thread already revived it
            url = self._revive()
            if url != self._client_args["base_url"]:
                self._client_args["base_url"] = url
                self._client = openai.OpenAI(**self._client_args)

    # -- one HTTP call, cached and retried ---------------------------------------------
    def _wait(self, state: Any) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = retry_after(exc)
        delay = min(after, self.max_wait) if after is not None else self._backoff(state)
        if isinstance(exc, openai.RateLimitError):
            self.limiter.pause(delay)  # the whole run slows down, not just this request
        return delay

    def _call(
        self, request: dict[str, Any], usage: Usage, seconds: list[float], asked: list
    ) -> ChatCompletion:
        """One answer, from the cache or the server. `asked` collects (key, answer) per attempt
        of this chunk: only a validated answer is cached, under the first attempt's key."""
        key = request_key(self.identity, {"mode": self.mode, **request})
        hit = self.cache.get(key) if self.cache else None
        asked.append((key, hit, False))
        if hit is not None:
            usage.cached_calls += 1
            completion = ChatCompletion.model_validate(hit["response"])
            seconds.append(hit.get("seconds", 0.0))
        elif self.offline is not None:
            completion = ChatCompletion.model_validate(self.offline(key, request))
            usage.calls += 1
            seconds.append(0.0)
            payload = {"response": completion.model_dump(), "seconds": 0.0}
            asked[-1] = (key, payload, True)
        else:
            completion = self._live_call(request, usage, seconds)
            payload = {"response": completion.model_dump(), "seconds": seconds[-1]}
            asked[-1] = (key, payload, True)
        if completion.usage:
            usage.prompt_tokens += completion.usage.prompt_tokens
            usage.completion_tokens += completion.usage.completion_tokens
        return completion

    def _live_call(
        self, request: dict[str, Any], usage: Usage, seconds: list[float]
    ) -> ChatCompletion:
        def count_retry(_state: Any) -> None:
            usage.retries += 1

        retrying = Retrying(
            retry=retry_if_exception(transient),
            wait=self._wait,
            stop=stop_after_attempt(self.max_retries + 1),
            before_sleep=count_retry,
            reraise=True,
        )
        if self._unreachable:
            raise BackendUnavailable(self._unreachable)
        try:
            for attempt in retrying:
                with attempt:
                    estimated = estimate_tokens(request)
                    self.limiter.acquire(estimated)
                    usage.calls += 1
                    began = time.perf_counter()
                    client = self._openai()
                    used = 0  # a failed attempt uses no tokens
                    try:
                        completion = client.chat.completions.create(**request)
                        used = completion.usage.total_tokens if completion.usage else estimated
                    except openai.APIConnectionError:
                        self._after_connection_error(client)  # raises EngineDown if it is gone
                        raise
                    except ValueError as exc:  # a body cut inside a character, or not JSON
                        raise BadBody(f"the response body is cut or not JSON ({exc})") from exc
                    finally:
                        self.limiter.settle(estimated, used)
                    seconds.append(round(time.perf_counter() - began, 3))
        except openai.APIConnectionError as exc:
            if not self._reached and self._revive is None:
                # never reached in this run: the URL is wrong or the server is down; say it
                # once and stop, instead of retrying every chunk of every document
                self._unreachable = self._redact(
                    f"cannot connect to {self.identity}: {connection_cause(exc)} (is the server "
                    "running and the --base-url right?)"
                )
                raise BackendUnavailable(self._unreachable) from None
            raise
        self._reached = True
        return completion

    def _redact(self, text: str) -> str:
        return redact(text, self._secrets)

    # -- the typed surface -------------------------------------------------------------
    def create(
        self, messages: list[dict[str, str]], response_model: type[BaseModel], max_tokens: int
    ) -> Reply:
        """Ask for `response_model`; never raises for model or server trouble."""
        began = time.perf_counter()
        reply = self._create(messages, response_model, max_tokens)
        refused = (reply.error or "").startswith("server answered 400") and "tool" in reply.error
        if refused and self._auto and self.mode == "tools" and self.offline is None:
            self.mode = "json"  # the server refused tool calls: fall back once, remember
            self._remember_mode()
            retry = self._create(messages, response_model, max_tokens)
            retry.usage.add(reply.usage)
            reply = retry
        reply.usage.seconds = round(time.perf_counter() - began, 3)
        return reply

    def _create(
        self, messages: list[dict[str, str]], response_model: type[BaseModel], max_tokens: int
    ) -> Reply:
        usage, seconds, attempts, raw, asked = Usage(), [], [0], [None], []

        def raw_create(**request: Any) -> ChatCompletion:
            if self._schema_grammar and self.mode == "json":
                request.pop("response_format", None)
                request["extra_body"] = {"grammar": json_grammar(response_model)}
            attempts[0] += 1
            if attempts[0] > 1:
                usage.reasks += 1
            completion = self._call(request, usage, seconds, asked)
            raw[0] = _raw_output(completion)
            return _mark_cut_off(completion, request.get("max_tokens"))

        create = instructor.patch(create=raw_create, mode=MODES[self.mode])
        error = None
        value = None
        cut_off = False
        try:
            value = create(
                response_model=response_model,
                messages=messages,
                model=self.name,
                max_tokens=max_tokens,
                temperature=0,
                max_retries=self.max_reasks,
                strict=False,  # accept "2" for a number: small models quote numbers
            )
        except IncompleteOutputException:
            error = f"output reached max_tokens={max_tokens} (cut off)"
            cut_off = True
        except (BackendUnavailable, Deferred):
            raise
        except InstructorRetryException as exc:
            cause = exc.__cause__ or exc
            if isinstance(cause, BackendUnavailable | Deferred):
                raise cause from None
            if isinstance(cause, EngineDown | BadBody | NoAnswer):
                error = f"{type(cause).__name__}: {cause}"
            else:
                error = describe(cause, attempts[0])
        except openai.APIError as exc:
            error = describe(exc, attempts[0])
        except (EngineDown, BadBody, NoAnswer) as exc:
            error = f"{type(exc).__name__}: {exc}"
        answered = bool(asked) and (asked[-1][2] or len(asked) > 1)  # not just one cache hit
        if self.cache and answered and (value is not None or cut_off):
            # Only the answer that validated enters the cache (or one cut off at the output
            # budget, salvaged the same way on every run), under the chunk's first request: a
            # rerun gets it in one lookup, and a faulty answer is asked again next time.
            self.cache.put(asked[0][0], asked[-1][1])
        return Reply(
            value=value,
            usage=usage,
            first_try_valid=value is not None and attempts[0] == 1,
            call_seconds=seconds,
            error=self._redact(error) if error else None,
            raw=raw[0],
        )


def _mark_cut_off(completion: ChatCompletion, max_tokens: int | None) -> ChatCompletion:
    """Some servers (llama.cpp with tools) say `tool_calls` for an answer cut at max_tokens;
    call it `length`, so it is salvaged instead of re-asked with a context-filling echo."""
    used = completion.usage.completion_tokens if completion.usage else 0
    if max_tokens and used >= max_tokens and completion.choices:
        completion.choices[0].finish_reason = "length"
    return completion
