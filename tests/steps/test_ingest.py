"""Ingestion: discovery of inputs, decoding, and a failure per bad file or JSONL line."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm_extract.steps import ingest
from llm_extract.steps.clean import clean
from llm_extract.steps.ingest import (
    MAX_BYTES,
    Document,
    IngestFailure,
    decode_bytes,
    discover,
    load_documents,
)

DATA = Path(__file__).parents[1] / "data"


def _load(*inputs: str | Path) -> list[Document | IngestFailure]:
    return list(load_documents([str(i) for i in inputs]))


def _one_failure(*inputs: str | Path) -> IngestFailure:
    [result] = _load(*inputs)
    assert isinstance(result, IngestFailure), result
    return result


# --- decoding ------------------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom() -> None:
    text = "公安部：破获案件39.4万起。"
    assert decode_bytes(text.encode()) == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode()) == text


def test_decode_gbk_and_big5_fixtures() -> None:
    gbk = decode_bytes((DATA / "gbk_article.txt").read_bytes())
    assert gbk.startswith("要闻\n\n公安机关外强机制内赋动能强化打击治理能力")
    assert "全国共破获电信网络诈骗案件22万起，抓获犯罪嫌疑人29.6万名" in gbk.replace(",", "，")
    big5 = decode_bytes((DATA / "big5_article.txt").read_bytes())
    assert big5.startswith("9月失業率 24年同期最低")
    assert "行政院主計總處昨(24)日公布9月失業率3.43%" in big5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04\x00\x00binary", "NUL"),
        (bytes(range(0x80, 0x100)) * 4, "cannot decode"),
        ("café résumé naïve".encode("latin-1"), "cannot decode"),
    ],
)
def test_decode_refuses_binary_and_undecodable(data: bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        decode_bytes(data)


# --- files -----------------------------------------------------------------------------------


def test_fixture_files_load_with_their_format() -> None:
    docs = {d.doc_id: d for d in _load(DATA) if isinstance(d, Document)}
    assert docs["gbk_article"].fmt == "txt"
    assert docs["gbk_article"].source == str(DATA / "gbk_article.txt")
    assert docs["big5_article"].text.startswith("9月失業率")
    assert docs["scripts_page"].fmt == "html"
    assert docs["front_matter"].fmt == "md"
    assert docs["utf8_bom"].text.startswith("公安部")  # BOM stripped
    assert not docs["utf8_bom"].text.startswith("\ufeff")


def test_html_full_of_scripts_loads_and_cleans_to_its_body() -> None:
    [doc] = _load(DATA / "scripts_page.html")
    assert isinstance(doc, Document)
    text = clean(doc.text, doc.fmt).text
    for junk in ("999.9", "888万元", "777万", "666万", "555万", "444万元", "333万", "16546", "ICP"):
        assert junk not in text
    assert "抓获犯罪嫌疑人63.4万名" in text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.txt", " \n\t\r\n\u3000\n".encode(), "only whitespace"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.md", "café résumé naïve".encode("latin-1"), "cannot decode"),
        ("image.png", b"\x89PNG", "unsupported file type '.png'"),
    ],
)
def test_bad_files_become_failures_naming_the_file(
    tmp_path: Path, name: str, content: bytes, problem: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    failure = _one_failure(path)
    assert failure.doc_id == path.stem
    assert failure.source == str(path)
    assert str(path) in failure.error
    assert problem in failure.error


def test_oversized_file_is_refused_by_size_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of NUL bytes on stat

    def no_reading(self: Path) -> bytes:
        raise AssertionError(f"{self} was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    failure = _one_failure(big)
    assert "too large" in failure.error and str(big) in failure.error
    assert f"{MAX_BYTES:,}" in failure.error


def test_file_just_under_the_limit_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "MAX_BYTES", 12)
    (tmp_path / "ok.txt").write_text("甲乙丙丁", encoding="utf-8")  # 12 bytes
    (tmp_path / "big.txt").write_text("甲乙丙丁戊", encoding="utf-8")  # 15 bytes
    ok, big = _load(tmp_path / "ok.txt", tmp_path / "big.txt")
    assert isinstance(ok, Document) and ok.text == "甲乙丙丁"
    assert isinstance(big, IngestFailure) and "too large" in big.error


def test_bad_files_do_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("第一篇，案件10起。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text("第三篇，案件30起。", encoding="gbk")
    results = _load(tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "missing.txt", tmp_path)
    kinds = [(type(r).__name__, r.doc_id) for r in results]
    assert kinds == [
        ("Document", "a"),
        ("IngestFailure", "b"),
        ("IngestFailure", "missing"),
        ("Document", "c"),  # a.txt and b.txt already listed; the directory adds c.txt only
    ]
    assert "no such file or directory" in results[2].error


# --- discovery -------------------------------------------------------------------------------


def _tree(root: Path) -> None:
    for rel in [
        "b/2.md",
        "b/deeper/3.html",
        "a/1.txt",
        "a/notes.markdown",
        "z.htm",
        "docs.jsonl",
        ".hidden.txt",
        ".git/ignored.txt",
        "a/picture.png",
        "a/data.json",
    ]:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text('{"id": "j", "text": "文本"}' if rel.endswith("jsonl") else "文本")


def test_directory_is_searched_recursively_sorted_skipping_hidden_and_unsupported(
    tmp_path: Path,
) -> None:
    _tree(tmp_path)
    found = discover([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/1.txt",
        "a/notes.markdown",
        "b/2.md",
        "b/deeper/3.html",
        "docs.jsonl",
        "z.htm",
    ]


def test_globs_expand_and_missing_inputs_fail(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = discover(
        [str(tmp_path / "**/*.md"), str(tmp_path / "*.htm"), str(tmp_path / "*.pdf"), "nope/x.txt"]
    )
    assert [p.name for p in found[:2]] == ["2.md", "z.htm"]
    no_match, missing = found[2:]
    assert isinstance(no_match, IngestFailure) and "matched no supported files" in no_match.error
    assert str(tmp_path / "*.pdf") in no_match.error
    assert isinstance(missing, IngestFailure) and missing.error.startswith("nope/x.txt:")


def test_empty_directory_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    failure = _one_failure(tmp_path / "empty")
    assert "no .txt/.md/.html/.jsonl files" in failure.error


def test_explicit_files_keep_input_order_and_are_not_repeated(tmp_path: Path) -> None:
    _tree(tmp_path)
    z, one = tmp_path / "z.htm", tmp_path / "a" / "1.txt"
    found = discover([str(z), str(one), str(tmp_path / "a"), str(z)])
    assert found == [z, one, tmp_path / "a" / "notes.markdown"]


# --- JSONL -----------------------------------------------------------------------------------


def test_jsonl_good_and_bad_lines() -> None:
    path = DATA / "docs.jsonl"
    results = _load(path)
    summary = [(type(r).__name__, r.doc_id, r.source) for r in results]
    assert summary == [
        ("Document", "a1", f"{path}#1"),
        ("Document", "a2", f"{path}#2"),
        ("IngestFailure", "docs#4", f"{path}#4"),
        ("IngestFailure", "docs#5", f"{path}#5"),
        ("IngestFailure", "a5", f"{path}#6"),
        ("IngestFailure", "a6", f"{path}#7"),
        ("IngestFailure", "docs#8", f"{path}#8"),
        ("Document", "7", f"{path}#9"),
    ]
    a1, a2 = results[0], results[1]
    assert isinstance(a1, Document) and a1.fmt == "txt" and a1.text.endswith("39.4万起。")
    assert isinstance(a2, Document) and a2.fmt == "html"
    errors = [r.error for r in results if isinstance(r, IngestFailure)]
    for error, problem in zip(
        errors,
        ["not valid JSON", "'id'", "missing 'text'", "'text' is not a string", "not a JSON object"],
        strict=True,
    ):
        assert error.startswith(f"{path}#") and problem in error


def test_jsonl_bom_empty_text_and_oversized_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_BYTES", 80)
    path = tmp_path / "batch.jsonl"
    lines = [
        '{"id": "x", "text": "第一篇"}',
        '{"id": "y", "text": "  "}',
        '{"id": "z", "text": "' + "长" * 40 + '"}',
        '{"id": "w", "text": "最后一篇"}',
    ]
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode())
    x, y, z, w = _load(path)
    assert isinstance(x, Document) and x.doc_id == "x"
    assert isinstance(y, IngestFailure) and "'text' is empty" in y.error
    assert isinstance(z, IngestFailure) and z.source == f"{path}#3" and "too large" in z.error
    assert isinstance(w, Document) and w.source == f"{path}#4" and w.text == "最后一篇"
