"""A domain is a schema file plus a prompt file.

The built-in domains are folders `llm_extract/domains/NAME/` holding `schema.py` and
`prompt.toml`, read through importlib.resources, so they ship in the wheel (the repository's
`schemas/NAME.py` and `prompts/NAME.toml` are links to them, the place to look and edit).
Adding a domain needs no code change: `--schema PATH` takes a schema file with its prompt beside
it (`X.py` + `X.toml`, `schema.py` + `prompt.toml`, or `schemas/X.py` + `prompts/X.toml`), or a
folder holding `schema.py` and `prompt.toml`; installed packages can add domains by name through
the `llm_extract.domains` entry point group (value: the package holding both files).
A schema's `Item` extends `llm_extract.domains.base.StatisticItem`; the fields it adds reach the
output (as the `Statistic` field of that name, else in `Statistic.attributes`).
"""

from __future__ import annotations

import hashlib
import importlib.resources
import importlib.util
import json
import sys
import tomllib
from dataclasses import dataclass
from functools import cached_property
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model

from .base import StatisticItem

MAX_EXTRA = 3  # guided: statistics the marks missed; bounded so a looping model stops early
STRICT_TOP = ConfigDict(extra="forbid")  # top level of an answer: exactly the schema's keys
BUILTIN = "llm_extract.domains"
ENTRY_POINTS = "llm_extract.domains"


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


def _load_module(path: Path, name: str) -> ModuleType:
    # one module name per file, so two schemas of the same name never share a module
    where = hashlib.sha256(str(path.resolve()).encode("utf-8")).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(f"llm_extract_schema_{name}_{where}", path)
    if spec is None or spec.loader is None:
        raise ValueError(f"{path}: not a loadable Python schema file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # postponed annotations resolve through it
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[spec.name]
        raise
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
        """`{"stats": [Item, ...]}`: the key is required and no other is allowed, so an answer
        with the wrong keys is a validation error (and re-asked), never an empty answer."""
        return create_model("Extraction", __config__=STRICT_TOP, stats=(list[self.item], ...))

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
            __config__=STRICT_TOP,
            labels=(list[self.label_model], ...),
            extra=(
                Annotated[list[self.item], BeforeValidator(_at_most(MAX_EXTRA))],
                Field(default_factory=list, json_schema_extra={"maxItems": MAX_EXTRA}),
            ),
        )

    @cached_property
    def reread_item(self) -> type[BaseModel]:
        """One answer of `reread`: id, `period` the letter of one listed wording, `metric` the
        item's metric."""
        metric = self.item.model_fields["metric"].annotation
        return create_model(
            "Reading", id=(int, ...), period=(str | None, None), metric=(metric | None, None)
        )

    @cached_property
    def reread_model(self) -> type[BaseModel]:
        """`{"answers": [Reading, ...]}` (the `reread` strategy)."""
        return create_model(
            "Rereading", __config__=STRICT_TOP, answers=(list[self.reread_item], ...)
        )

    @cached_property
    def schema_hash(self) -> str:
        return _schema_hash(self.free_model, self.guided_model)


def _builtin(name: str) -> Path | None:
    """The folder of a domain shipped in this package or registered by an entry point."""
    folders = [importlib.resources.files(BUILTIN).joinpath(name)]
    for ep in entry_points(group=ENTRY_POINTS):
        if ep.name == name:
            try:
                folders.append(importlib.resources.files(ep.value))
            except ModuleNotFoundError:
                continue
    for folder in folders:
        if folder.joinpath("schema.py").is_file():
            return Path(str(folder))  # regular packages on disk (wheels are unpacked)
    return None


def _prompt_beside(schema: Path) -> Path:
    """The prompt file that belongs to a schema file."""
    candidates = [
        schema.with_suffix(".toml"),
        schema.parent / "prompt.toml",
        schema.parent.parent / "prompts" / f"{schema.stem}.toml",
    ]
    for path in candidates:
        if path.is_file():
            return path
    tried = ", ".join(str(p) for p in candidates)
    raise ValueError(f"schema {schema}: no prompt file (looked for {tried})")


def _files(name_or_path: str) -> tuple[str, Path, Path]:
    """Domain name, schema file and prompt file for a name, a schema file or a folder."""
    path = Path(name_or_path)
    if path.suffix != ".py" and not path.is_dir():
        folder = _builtin(name_or_path)
        if folder is None:
            raise ValueError(
                f"schema {name_or_path!r}: no built-in domain of that name (give a path to a "
                "schema .py file or a folder with schema.py and prompt.toml)"
            )
        path = folder
    if path.is_dir():
        return path.name, path / "schema.py", path / "prompt.toml"
    if not path.is_file():
        raise ValueError(f"schema {name_or_path!r}: no file {path}")
    name = path.parent.name if path.name == "schema.py" else path.stem
    return name, path, _prompt_beside(path)


def load_domain(name_or_path: str) -> Domain:
    """Load a built-in domain by name, or a schema file or folder given by path."""
    name, path, prompt_path = _files(name_or_path)
    if not path.is_file():
        raise ValueError(f"schema {name_or_path!r}: no file {path}")
    if not prompt_path.is_file():
        raise ValueError(f"schema {name!r}: no prompt file {prompt_path}")
    module = _load_module(path, name)
    item = getattr(module, "Item", None)
    if not (isinstance(item, type) and issubclass(item, BaseModel)):
        raise ValueError(f"{path}: must define a pydantic model `Item`")
    if not issubclass(item, StatisticItem):
        raise ValueError(
            f"{path}: `Item` must extend llm_extract.domains.base.StatisticItem (its fields "
            "value_text, value and evidence are what a statistic is grounded by): "
            "`class Item(StatisticItem): ...`"
        )
    data = tomllib.loads(prompt_path.read_text(encoding="utf-8"))
    parts = {k: v for k, v in data.items() if isinstance(v, dict)}
    prompt = Prompt(data.get("name", name), str(data.get("version", "0")), parts)
    fields = frozenset(getattr(module, "CANDIDATE_FIELDS", frozenset()))
    return Domain(name, item, fields, prompt)
