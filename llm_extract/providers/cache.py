"""On-disk cache of raw model responses, one JSON file per request.

The key is a hash of everything that decides the answer: the backend's identity (base URL or
embedded model file), model, mode, messages, tools/response format and sampling parameters.
The API key is never part of it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from ..files import write_json
from ..paths import responses_dir


def request_key(identity: str, request: dict[str, Any]) -> str:
    payload = json.dumps(
        {"identity": identity, "request": request},
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ResponseCache:
    """Maps request keys to raw JSON responses under `root`."""

    def __init__(self, root: Path | None = None):
        self.root = Path(root) if root else responses_dir()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):  # missing, not JSON, or not UTF-8: a miss
            return None

    def put(self, key: str, response: dict[str, Any]) -> None:
        write_json(self._path(key), response)
