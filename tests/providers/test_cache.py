"""Unit tests for llm_extract.providers.cache: request keys and the on-disk cache."""

from __future__ import annotations

import json
import re

from llm_extract.providers.cache import ResponseCache, request_key

IDENTITY = "http://127.0.0.1:8080/v1"
REQUEST = {
    "mode": "tools",
    "model": "qwen",
    "messages": [{"role": "user", "content": "统计数据"}],
    "temperature": 0,
}


def test_key_stable_and_independent_of_dict_order():
    reordered = {
        "temperature": 0,
        "messages": [{"content": "统计数据", "role": "user"}],
        "model": "qwen",
        "mode": "tools",
    }
    assert request_key(IDENTITY, REQUEST) == request_key(IDENTITY, dict(REQUEST))
    assert request_key(IDENTITY, REQUEST) == request_key(IDENTITY, reordered)


def test_key_differs_for_identity_and_request():
    base = request_key(IDENTITY, REQUEST)
    assert request_key("http://127.0.0.1:9090/v1", REQUEST) != base
    assert request_key(IDENTITY, {**REQUEST, "temperature": 0.7}) != base
    assert request_key(IDENTITY, {**REQUEST, "mode": "json"}) != base
    other = {**REQUEST, "messages": [{"role": "user", "content": "統計數據"}]}
    assert request_key(IDENTITY, other) != base


def test_key_is_a_hash_without_secrets():
    secret = "sk-secret-123"
    key = request_key(IDENTITY, REQUEST)
    assert re.fullmatch(r"[0-9a-f]{64}", key)
    assert secret not in key
    assert "127.0.0.1" not in key


def test_put_then_get_round_trip(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key(IDENTITY, REQUEST)
    response = {"response": {"content": "粮食产量69541万吨"}, "seconds": 1.5}
    assert cache.get(key) is None
    cache.put(key, response)
    assert cache.get(key) == response
    path = tmp_path / key[:2] / f"{key}.json"
    assert path.is_file()
    assert json.loads(path.read_text(encoding="utf-8")) == response
    assert "sk-" not in path.read_text(encoding="utf-8")


def test_put_overwrites(tmp_path):
    cache = ResponseCache(tmp_path)
    cache.put("abcd", {"n": 1})
    cache.put("abcd", {"n": 2})
    assert cache.get("abcd") == {"n": 2}
    assert cache.get("abce") is None


def test_corrupt_file_returns_none(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key(IDENTITY, REQUEST)
    path = tmp_path / key[:2] / f"{key}.json"
    path.parent.mkdir(parents=True)
    path.write_text('{"response": {"content": "trunc', encoding="utf-8")
    assert cache.get(key) is None
    path.write_text("", encoding="utf-8")
    assert cache.get(key) is None
    path.write_bytes(b'{"response": "\xff\xfe"}')  # not UTF-8 (a torn or foreign file)
    assert cache.get(key) is None
    cache.put(key, {"ok": True})  # a later put repairs it
    assert cache.get(key) == {"ok": True}


def test_default_root_is_responses_dir(tmp_path, monkeypatch):
    import llm_extract.providers.cache as cache_module

    monkeypatch.setattr(cache_module, "responses_dir", lambda: tmp_path / "responses")
    assert ResponseCache().root == tmp_path / "responses"
