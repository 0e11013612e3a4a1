"""Run settings: one typed object, filled from CLI flags, a TOML config file and the environment."""

from __future__ import annotations

import importlib.resources
import os
import tomllib
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

# Measured on 2 cores (benchmarks/bench_engines.py, README): two slots decode together at 1.9x
# one slot's throughput; four add little more and double each call's latency.
EMBEDDED_SLOTS = 2
EMBEDDED_CALL_DEADLINE = 600.0
REMOTE_CALL_DEADLINE = 180.0
REMOTE_IN_FLIGHT = 4
EMBEDDED_MODELS = {"embedded": "qwen2.5-coder-1.5b", "embedded-0.5b": "qwen2.5-coder-0.5b"}


def _checked(shard: tuple[int, int], text: object = None) -> tuple[int, int]:
    if not 1 <= shard[0] <= shard[1]:
        shown = text if text is not None else f"{shard[0]}/{shard[1]}"
        raise ValueError(f"shard {shown!r}: need I/N with 1 <= I <= N, e.g. 1/4 ... 4/4")
    return shard


def parse_shard(text: str) -> tuple[int, int]:
    """`"I/N"` as `(I, N)`, with 1 <= I <= N; ValueError naming the problem otherwise."""
    index, slash, count = str(text).strip().partition("/")
    try:
        if not slash:
            raise ValueError
        shard = int(index), int(count)
    except ValueError:
        raise ValueError(f"shard {text!r}: expected I/N, e.g. 1/4") from None
    return _checked(shard, text)


Shard = Annotated[
    tuple[int, int],
    BeforeValidator(lambda value: parse_shard(value) if isinstance(value, str) else value),
    AfterValidator(_checked),
]
"""A RunOptions field type: `(I, N)`, or `"I/N"` (as in a TOML config)."""


class RunOptions(BaseModel):
    """Everything that decides how documents are extracted."""

    model_config = ConfigDict(extra="forbid")  # a misspelt setting is an error, not ignored

    model: str = "embedded"  # 'regex', 'embedded', 'embedded-0.5b', or a served model name
    strategy: Literal["free", "guided", "reread"] = "guided"
    base_url: str | None = None  # OpenAI-compatible endpoint; None = OpenAI or the embedded server
    api_key: str | None = Field(default=None, exclude=True, repr=False)
    mode: Literal["auto", "tools", "json"] = "auto"
    schema_name: str = "statistics"  # a name under schemas/ or a path to a .py/.json schema
    chunk_chars: int = 900
    cache: bool = True
    cache_dir: Path | None = None
    model_path: Path | None = None  # any GGUF file instead of the embedded pack
    timeout: float | None = Field(default=None, gt=0)  # seconds per model call; None: by backend
    doc_timeout: float = Field(default=900.0, gt=0)  # seconds for one document, end to end
    concurrency: int | None = Field(default=None, ge=1)  # chunks in flight; None: by backend
    rpm: float | None = Field(default=None, gt=0)  # requests per minute, all calls together
    tpm: float | None = Field(default=None, gt=0)  # tokens per minute (prompt + max_tokens)
    price: tuple[float, float] | None = None  # USD per 1M (prompt, completion) tokens
    batch_api: bool = False  # send the chunks through the OpenAI Batch API (half the price)
    batch_poll: float = Field(default=30.0, gt=0)  # seconds between polls of a batch
    max_reasks: int = 2
    max_retries: int = 4
    shard: Shard | None = None  # (I, N): only the documents of shard I of N (--shard)
    language: str = "zh"  # the language pack (llm_extract/lang/CODE)
    published: date | None = None  # publication date of documents that state none (--published)
    published_from: Path | None = None  # a CSV `id,published` of dates by document id
    engine: Literal["local", "ray"] = "local"  # where documents run; never changes records
    quiet: bool = False

    @property
    def call_deadline(self) -> float:
        """Seconds one model call may take, end to end. The embedded engine cancels a request
        its client gave up on, so its bound only guards against a hung engine; on 2 cores a
        chunk takes 10-100 s, and 2-4x that beside another busy process."""
        if self.timeout is not None:
            return self.timeout
        return EMBEDDED_CALL_DEADLINE if self.uses_embedded else REMOTE_CALL_DEADLINE

    @property
    def in_flight(self) -> int:
        """Chunks sent at once: the embedded engine's slots, or a bound for remote servers."""
        if self.concurrency is not None:
            return self.concurrency
        return EMBEDDED_SLOTS if self.uses_embedded else REMOTE_IN_FLIGHT

    @property
    def uses_llm(self) -> bool:
        return self.model != "regex"

    @property
    def uses_embedded(self) -> bool:
        return (
            self.uses_llm
            and self.base_url is None
            and (self.model in EMBEDDED_MODELS or self.model_path is not None)
        )

    @model_validator(mode="after")
    def _language_pack_exists(self) -> RunOptions:
        packs = importlib.resources.files("llm_extract.lang")
        if not packs.joinpath(self.language, "chars.py").is_file():
            known = sorted(p.name for p in packs.iterdir() if p.joinpath("chars.py").is_file())
            raise ValueError(
                f"language {self.language!r}: no such pack (known: {', '.join(known)})"
            )
        return self

    @model_validator(mode="after")
    def _batch_needs_a_remote_api(self) -> RunOptions:
        if self.batch_api and (not self.uses_llm or self.uses_embedded):
            raise ValueError(
                "--batch-api needs a model behind the OpenAI API (or a server with its files "
                "and batches endpoints): give --model NAME, with --base-url for a server"
            )
        return self


def load_options(config: Path | None = None, **overrides: object) -> RunOptions:
    """Merge a TOML config file, OPENAI_* environment variables and explicit overrides."""
    values: dict[str, object] = {}
    if config is not None:
        values.update(tomllib.loads(config.read_text(encoding="utf-8")).get("run", {}))
    if os.environ.get("OPENAI_BASE_URL"):
        values.setdefault("base_url", os.environ["OPENAI_BASE_URL"])
    if os.environ.get("OPENAI_API_KEY"):
        values.setdefault("api_key", os.environ["OPENAI_API_KEY"])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return RunOptions.model_validate(values)
