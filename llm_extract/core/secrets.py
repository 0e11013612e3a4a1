"""Secrets kept out of everything a run writes: URL userinfo and keys, redacted from text."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit


def strip_userinfo(url: str) -> str:
    """`url` without a `user:secret@` part (kept out of cache keys, memos and messages)."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def url_secrets(url: str | None) -> list[str]:
    """The user name and password of a URL's userinfo, if any."""
    if not url:
        return []
    parts = urlsplit(url)
    return [s for s in (parts.username, parts.password) if s]


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every secret (of 4+ characters) replaced by `***`."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "***")
    return text
