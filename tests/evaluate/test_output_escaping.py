"""Article text and ids are shown as written: in rich tables, in report.md, and through a pipe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from llm_extract.cli.evaluate import eval_command
from llm_extract.evaluate.report import md_escape
from llm_extract.records import DocumentRecord

REPO = Path(__file__).resolve().parents[2]


def _predictions(tmp_path: Path, doc_id: str) -> Path:
    path = tmp_path / "pred.jsonl"
    record = DocumentRecord(doc_id=doc_id, source="x", model="regex", strategy="regex")
    path.write_text(record.model_dump_json() + "\n", encoding="utf-8")
    return path


def test_eval_prints_a_doc_id_with_rich_markup(tmp_path: Path, capsys) -> None:
    pred = _predictions(tmp_path, "a[/bold]b[red]")
    assert eval_command(pred, REPO / "evals" / "gold", as_json=False) == 0
    assert "a[/bold]b[red]" in capsys.readouterr().out


def test_markdown_shows_article_text_as_written() -> None:
    assert md_escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert md_escape("a|b *c* [d](e) `f`") == r"a\|b \*c\* \[d\](e) \`f\`"
    assert md_escape("two\nlines") == "two lines"


def test_a_closed_pipe_is_not_a_traceback(tmp_path: Path) -> None:
    pred = _predictions(tmp_path, "doc")
    command = (
        f"{sys.executable} -m llm_extract.cli eval {pred} --gold {REPO / 'evals' / 'gold'} "
        "--json | true"  # the reader leaves before a byte is written
    )
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
