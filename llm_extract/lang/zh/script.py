"""Script conversion: Traditional → Simplified by opencc, one character at a time, so a text
keeps its length and offsets (phrase-level conversions that change length are not taken)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

import opencc


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=8192)
def simplify_char(char: str) -> str:
    """One character in Simplified script (one character out, so offsets keep)."""
    out = _t2s().convert(char)
    return out if len(out) == 1 else char


def to_simplified(text: str) -> str:
    """Traditional → Simplified, character by character (length preserved)."""
    return "".join(simplify_char(c) for c in text)


@lru_cache(maxsize=1)
def _s2t() -> tuple[opencc.OpenCC, str]:
    """The converter `script.toml` names for the word lists, and the characters it keeps."""
    script = tomllib.loads(resources.files(__package__).joinpath("script.toml").read_text("utf-8"))
    return opencc.OpenCC(script["opencc"]), script["keep"]


def to_traditional(text: str) -> str:
    """Simplified → Traditional, character by character (length preserved), as the word lists
    are converted (`script.toml`)."""
    converter, keep = _s2t()
    out = (c if c in keep else converter.convert(c) for c in text)
    return "".join(o if len(o) == 1 else c for o, c in zip(out, text, strict=True))
