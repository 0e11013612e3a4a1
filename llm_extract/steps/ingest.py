"""Finding input files and reading them into decoded documents.

Inputs are files, directories (searched recursively, sorted, hidden files and unsupported
suffixes skipped) and glob patterns. Supported: .txt .md .markdown .html .htm, and .jsonl
where each line is one document `{"id": ..., "text": ..., "published": "YYYY-MM-DD"}`
(`published` optional: the date the periods are resolved against).

Text is decoded as UTF-8 (a BOM is removed), else as GB18030/GBK or Big5 as detected by
charset-normalizer. A file larger than `MAX_BYTES` (20 MiB) is refused from its size alone,
before it is read; for JSONL the limit applies to each line, so a JSONL file may be larger.
Nothing here raises for a bad input: each problem becomes an `IngestFailure` naming the file
(and line) and the problem, and the other documents go on.
"""

from __future__ import annotations

import csv
import glob
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

MAX_BYTES = 20 * 1024 * 1024
"""Per-file (for JSONL: per-line) size limit: 20 MiB, far above any news page."""

SUFFIX_FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}
JSONL_SUFFIX = ".jsonl"
SUPPORTED_SUFFIXES = frozenset(SUFFIX_FORMATS) | {JSONL_SUFFIX}
_CHINESE_ENCODINGS = ["gb18030", "big5", "big5hkscs"]
_UTF16_BOMS = ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_GLOB_CHARS = re.compile(r"[*?\[]")
_HTML_HINT = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|[a-z]+);")
_READ_CHUNK = 1 << 16


@dataclass(frozen=True)
class Document:
    doc_id: str  # file stem; for JSONL, the line's `id`
    source: str  # the path as given/found; for JSONL "path#LINE" (1-based)
    text: str  # the decoded original text; all output offsets point into this
    fmt: str  # 'txt' | 'md' | 'html' (for JSONL lines: html if it has tags, else txt)
    published: str | None = None  # ISO date from the JSONL line's `published`, if given


@dataclass(frozen=True)
class IngestFailure:
    doc_id: str
    source: str
    error: str  # human-readable, names the file (and line) and the problem


def decode_bytes(data: bytes) -> str:
    """Decode UTF-8 (BOM removed), UTF-16 with a BOM, else GB18030/GBK or Big5; ValueError if
    binary or undecodable."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, codec in _UTF16_BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ValueError(f"cannot decode the text as UTF-16 ({exc.reason})") from None
    if b"\x00" in data:
        raise ValueError("binary data (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    decoded = {}
    for codec in _CHINESE_ENCODINGS:
        try:
            decoded.setdefault(data.decode(codec), codec)
        except UnicodeDecodeError:
            continue
    if len(decoded) == 1:
        return next(iter(decoded))
    if decoded:
        # Several codecs accept the bytes (any Big5 pair is also valid GB18030): keep the reading
        # made of common characters; charset-normalizer's guess breaks ties. Short texts give
        # the detector alone too little to go on (3 GBK characters read as Big5 garbage).
        best = charset_normalizer.from_bytes(data, cp_isolation=_CHINESE_ENCODINGS).best()
        guess = str(best) if best is not None else None
        return max(decoded, key=lambda text: (_common_share(text[:20000]), text == guess))
    raise ValueError("cannot decode the text: not UTF-8, UTF-16, GB18030/GBK or Big5")


def _common(char: str) -> bool:
    """ASCII, or a character of GB2312's level 1 or of Big5's frequent range (most of news)."""
    if char < "\x80":
        return True
    try:
        gb = char.encode("gb2312")
        return len(gb) == 2 and 0xB0 <= gb[0] <= 0xD7
    except UnicodeEncodeError:
        pass
    try:
        big5 = char.encode("big5")
        return len(big5) == 2 and 0xA4 <= big5[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _common_share(text: str) -> float:
    return sum(map(_common, text)) / max(len(text), 1)


def discover(inputs: Sequence[str]) -> list[Path | IngestFailure]:
    """Expand files, directories and globs into supported files, in input order; a missing
    path or a pattern matching nothing becomes an IngestFailure."""
    found: list[Path | IngestFailure] = []
    seen: set[Path] = set()
    for item in inputs:
        for result in _expand(item):
            if isinstance(result, Path):
                key = result.resolve()
                if key in seen:
                    continue
                seen.add(key)
            found.append(result)
    return found


def count_documents(inputs: Sequence[str]) -> int:
    """How many records a run over `inputs` yields (for a progress ETA): one per file or
    failure, one per non-blank JSONL line; reads JSONL files but decodes nothing."""
    total = 0
    for item in discover(inputs):
        if isinstance(item, Path) and item.suffix.lower() == JSONL_SUFFIX:
            try:
                with item.open("rb") as handle:
                    total += sum(1 for line in handle if line.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def load_documents(inputs: Sequence[str]) -> Iterator[Document | IngestFailure]:
    """Yield a Document or an IngestFailure per input document, in input order; never raises
    for a bad file. A document whose doc_id was already used fails (records are keyed by it)."""
    first: dict[str, str] = {}
    for item in _load_all(inputs):
        if isinstance(item, Document):
            if item.doc_id in first:
                yield IngestFailure(
                    item.doc_id,
                    item.source,
                    f"{item.source}: duplicate doc_id {item.doc_id!r} (first in "
                    f"{first[item.doc_id]}); give every document its own id",
                )
                continue
            first[item.doc_id] = item.source
        yield item


def _load_all(inputs: Sequence[str]) -> Iterator[Document | IngestFailure]:
    for item in discover(inputs):
        if isinstance(item, IngestFailure):
            yield item
        elif item.suffix.lower() == JSONL_SUFFIX:
            yield from _load_jsonl(item)
        else:
            yield _load_file(item)


def _expand(item: str) -> list[Path | IngestFailure]:
    if not item.strip():
        return [IngestFailure("", item, "empty input path")]
    path = Path(item)
    if path.is_file():
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return [_failure(path, f"unsupported file type '{path.suffix}'")]
        return [path]
    if path.is_dir():
        files = _files_in(path)
        return files or [_failure(path, "directory has no .txt/.md/.html/.jsonl files")]
    if _GLOB_CHARS.search(item):
        matches = [Path(m) for m in sorted(glob.glob(item, recursive=True))]
        files = [f for m in matches for f in ([m] if m.is_file() else _files_in(m))]
        files = [f for f in files if _supported(f)]
        return files or [_failure(path, "pattern matched no supported files", item)]
    return [_failure(path, "no such file or directory")]


def _files_in(directory: Path) -> list[Path]:
    """Supported, non-hidden files below `directory`, sorted."""
    files = []
    for path in sorted(directory.rglob("*")):
        hidden = any(part.startswith(".") for part in path.relative_to(directory).parts)
        if not hidden and path.is_file() and _supported(path):
            files.append(path)
    return files


def _supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES and not path.name.startswith(".")


def _failure(path: Path, problem: str, source: str | None = None) -> IngestFailure:
    source = source or str(path)
    return IngestFailure(path.stem, source, f"{source}: {problem}")


def _load_file(path: Path) -> Document | IngestFailure:
    """Read one text file, refusing it by size before reading."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _failure(path, f"file too large ({size:,} bytes; limit {MAX_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        return _failure(path, f"cannot read file ({exc.strerror or exc})")
    if not data:
        return _failure(path, "file is empty")
    try:
        text = decode_bytes(data)
    except ValueError as exc:
        return _failure(path, str(exc))
    if not text.strip():
        return _failure(path, "file contains only whitespace")
    return Document(path.stem, str(path), text, SUFFIX_FORMATS[path.suffix.lower()])


def _load_jsonl(path: Path) -> Iterator[Document | IngestFailure]:
    """One document per non-blank line; each bad line is its own failure."""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(_read_lines(handle), start=1):
                if isinstance(line, bytes) and not line.strip():
                    continue
                yield _parse_jsonl_line(path, number, line)
    except OSError as exc:
        yield _failure(path, f"cannot read file ({exc.strerror or exc})")


def _read_lines(handle: BinaryIO) -> Iterator[bytes | None]:
    """Lines of at most MAX_BYTES; a longer line is skipped and yields None."""
    while True:
        line = handle.readline(MAX_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(_READ_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


@cache
def published_dates(path: Path) -> dict[str, str]:
    """The publication dates of a CSV with the header `id,published` (one row per document
    id: a file's stem or a JSONL line's `id`), as ISO dates; a bad row is an error naming the
    file and line."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the publication dates ({exc.strerror})") from None
    if not rows or [c.strip() for c in rows[0]] != ["id", "published"]:
        raise ValueError(f"{path}: line 1 must be the header 'id,published'")
    dates: dict[str, str] = {}
    for number, row in enumerate(rows[1:], 2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise ValueError(f"{path}: line {number} has {len(row)} fields, not 2 (id,published)")
        doc_id, day = (cell.strip() for cell in row)
        try:
            dates[doc_id] = date.fromisoformat(day).isoformat()
        except ValueError:
            raise ValueError(f"{path}: line {number}: {day!r} is not a date YYYY-MM-DD") from None
    return dates


def _parse_jsonl_line(path: Path, number: int, line: bytes | None) -> Document | IngestFailure:
    source = f"{path}#{number}"

    def fail(problem: str, doc_id: str | None = None) -> IngestFailure:
        return IngestFailure(doc_id or f"{path.stem}#{number}", source, f"{source}: {problem}")

    if line is None:
        return fail(f"line too large (limit {MAX_BYTES:,} bytes)")
    try:
        record = json.loads(decode_bytes(line))
    except ValueError as exc:
        return fail(f"not valid JSON ({exc})")
    if not isinstance(record, dict):
        return fail("not a JSON object")
    doc_id = record.get("id")
    if isinstance(doc_id, bool) or not isinstance(doc_id, str | int) or str(doc_id) == "":
        return fail("missing or invalid 'id' (need a string)")
    text = record.get("text")
    if text is None:
        return fail("missing 'text'", str(doc_id))
    if not isinstance(text, str):
        return fail(f"'text' is not a string ({type(text).__name__})", str(doc_id))
    if not text.strip():
        return fail("'text' is empty", str(doc_id))
    fmt = "html" if _HTML_HINT.search(text) else "txt"
    published = record.get("published")
    if published is not None:
        try:
            published = date.fromisoformat(str(published)[:10]).isoformat()
        except ValueError:
            return fail(f"'published' is not a date YYYY-MM-DD ({published!r})", str(doc_id))
    return Document(str(doc_id), source, text, fmt, published)
