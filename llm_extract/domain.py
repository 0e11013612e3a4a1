"""A domain is a schema file (`schemas/NAME.py`) plus a prompt file (`prompts/NAME.toml`).

Adding a domain needs no code change: write both files and pass `--schema NAME` (or a path to
the schema file; the prompt file is looked up beside `prompts/` by the schema's stem).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field, create_model

MAX_EXTRA = 3  # guided: statistics the marks missed; bounded so a looping model stops early
PROJECT_ROOT = Path(__file__).resolve().parents[1]
SCHEMA_DIR = PROJECT_ROOT / "schemas"
PROMPT_DIR = PROJECT_ROOT / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    version: str
    parts: dict[str, dict[str, str]]  # strategy -> {"system": ..., "user": ...}

    @property
    def ident(self) -> str:
        return f"{self.name}@v{self.version}"

    def messages(self, strategy: str, **fields: str) -> list[dict[str, str]]:
        part = self.parts[strategy]
        return [
            {"role": "system", "content": part["system"]},
            {"role": "user", "content": part["user"].format(**fields)},
        ]


def _load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"llm_extract_schema_{path.stem}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{path}: not a loadable Python schema file")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _at_most(limit: int):
    """Keep the first `limit` items (servers without grammar support may send more)."""

    def cut(items: object) -> object:
        return items[:limit] if isinstance(items, list) else items

    return cut


def _schema_hash(*models: type[BaseModel]) -> str:
    blob = json.dumps([m.model_json_schema() for m in models], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


class Domain:
    """The response models and prompt of one extraction domain."""

    def __init__(
        self, name: str, item: type[BaseModel], candidate_fields: frozenset[str], prompt: Prompt
    ):
        self.name = name
        self.item = item
        self.candidate_fields = candidate_fields
        self.prompt = prompt

    @cached_property
    def free_model(self) -> type[BaseModel]:
        """`{"stats": [Item, ...]}`."""
        return create_model("Extraction", stats=(list[self.item], Field(default_factory=list)))

    @cached_property
    def label_model(self) -> type[BaseModel]:
        """One label of a marked candidate: id, is_stat and the item's non-candidate fields."""
        fields: dict = {"id": (int, ...), "is_stat": (bool, ...)}
        for name, info in self.item.model_fields.items():
            if name not in self.candidate_fields:
                fields[name] = (info.annotation | None, None)
        return create_model("Label", **fields)

    @cached_property
    def guided_model(self) -> type[BaseModel]:
        """`{"labels": [Label, ...], "extra": [Item, ...]}`."""
        return create_model(
            "Labelling",
            labels=(list[self.label_model], Field(default_factory=list)),
            extra=(
                Annotated[list[self.item], BeforeValidator(_at_most(MAX_EXTRA))],
                Field(default_factory=list, json_schema_extra={"maxItems": MAX_EXTRA}),
            ),
        )

    def response_model(self, strategy: str) -> type[BaseModel]:
        return self.guided_model if strategy == "guided" else self.free_model

    @cached_property
    def schema_hash(self) -> str:
        return _schema_hash(self.free_model, self.guided_model)


def load_domain(name_or_path: str) -> Domain:
    """Load `schemas/NAME.py` and `prompts/NAME.toml`, or a schema file given by path."""
    path = Path(name_or_path)
    if path.suffix != ".py":
        path = SCHEMA_DIR / f"{name_or_path}.py"
    if not path.is_file():
        raise ValueError(f"schema {name_or_path!r}: no file {path}")
    module = _load_module(path)
    item = getattr(module, "Item", None)
    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        raise ValueError(f"{path}: must define a pydantic model `Item`")
    prompt_path = PROMPT_DIR / f"{path.stem}.toml"
    if not prompt_path.is_file():
        raise ValueError(f"schema {path.stem!r}: no prompt file {prompt_path}")
    data = tomllib.loads(prompt_path.read_text(encoding="utf-8"))
    parts = {k: v for k, v in data.items() if isinstance(v, dict)}
    prompt = Prompt(data.get("name", path.stem), str(data.get("version", "0")), parts)
    fields = frozenset(getattr(module, "CANDIDATE_FIELDS", frozenset()))
    return Domain(path.stem, item, fields, prompt)
