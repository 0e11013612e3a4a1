"""Run settings that depend on the backend: calls in flight and the per-call deadline."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from llm_extract.config import RunOptions


def test_defaults_follow_the_backend() -> None:
    embedded = RunOptions(model="embedded")
    remote = RunOptions(model="gpt-4o-mini", base_url="http://127.0.0.1:1/v1")
    assert (embedded.in_flight, embedded.call_deadline) == (2, 600.0)
    assert (remote.in_flight, remote.call_deadline) == (4, 180.0)


def test_explicit_settings_win_and_are_checked() -> None:
    options = RunOptions(model="embedded", concurrency=1, timeout=30)
    assert (options.in_flight, options.call_deadline) == (1, 30)
    for bad in ({"concurrency": 0}, {"timeout": 0}, {"doc_timeout": -1}):
        with pytest.raises(ValidationError):
            RunOptions(**bad)


def test_the_language_is_a_pack_that_exists() -> None:
    assert RunOptions().language == "zh"
    with pytest.raises(ValidationError, match="language 'fr': no such pack \\(known: zh\\)"):
        RunOptions(language="fr")
