"""Read gold labels, prediction files and the document texts they point into."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from llm_extract.records import DocumentRecord, Statistic
from llm_extract.steps.ingest import Document, load_documents


def load_gold(gold_dir: Path) -> dict[str, list[Statistic]]:
    """`<doc_id>.jsonl` → statistics; an empty file is a labelled document with none."""
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"gold directory not found: {gold_dir}")
    gold = {}
    for path in sorted(gold_dir.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        gold[path.stem] = [Statistic.model_validate_json(line) for line in lines if line.strip()]
    return gold


def load_predictions(path: Path) -> list[DocumentRecord]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [DocumentRecord.model_validate_json(line) for line in lines if line.strip()]


def write_predictions(path: Path, records: Iterable[DocumentRecord]) -> list[DocumentRecord]:
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = list(records)
    path.write_text("".join(r.model_dump_json() + "\n" for r in kept), encoding="utf-8")
    return kept


def find_texts(inputs: Iterable[Path], records: Iterable[DocumentRecord]) -> dict[str, str]:
    """doc_id → text as the pipeline decodes it, from the inputs and the records' sources."""
    paths = [str(p) for p in inputs]  # files, folders or globs, as a run takes them
    sources = {r.source.rpartition("#")[0] if "#" in r.source else r.source for r in records}
    paths += sorted(p for p in sources - set(paths) if Path(p).exists())
    texts: dict[str, str] = {}
    for doc in load_documents(paths):  # a missing input is an IngestFailure, skipped
        if isinstance(doc, Document):
            texts.setdefault(doc.doc_id, doc.text)
    return texts
