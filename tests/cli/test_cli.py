"""The command line on real articles with the regex model: contract, chrome, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_extract.cli import main
from llm_extract.config import load_options
from llm_extract.paths import shared_dir
from llm_extract.records import GOLD_FIELDS

SHARED = shared_dir()
CONTRACT = {"doc_id", "source", "model", "strategy", "status", "error", "stats", "usage"}
STAT_FIELDS = {*GOLD_FIELDS, "grounding", "baseline"}


def _records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_regex_run_on_seeds_follows_the_contract(tmp_path):
    out = tmp_path / "seeds.jsonl"
    assert main(["run", str(SHARED / "seeds"), "--model", "regex", "-o", str(out), "-q"]) == 0
    records = _records(out)
    assert [r["doc_id"] for r in records] == sorted(p.stem for p in (SHARED / "seeds").iterdir())
    for record in records:
        assert record.keys() >= CONTRACT and record["status"] == "ok"
        assert set(record["usage"]) >= {
            "calls",
            "cached_calls",
            "prompt_tokens",
            "completion_tokens",
            "seconds",
        }
        text = Path(record["source"]).read_text(encoding="utf-8")
        starts = [s["start"] for s in record["stats"]]
        assert starts == sorted(starts)
        for stat in record["stats"]:
            assert stat.keys() >= STAT_FIELDS
            assert text[stat["start"] : stat["end"]] == stat["surface"]
            assert stat["surface"] in stat["evidence"] and stat["evidence"] in text
            assert stat["grounding"] == "exact" and stat["baseline"] == "agree"
        sidebar = text.find("推荐阅读")
        if sidebar >= 0:
            assert all(s["end"] <= sidebar for s in record["stats"])
    surfaces = {s["surface"] for r in records for s in r["stats"]}
    assert "39.4 万起" in surfaces  # seed 000 keeps the space as written
    assert not any("千瓦时" in s or "16546" in s for s in surfaces)


def test_bad_file_fails_alone_with_exit_1(tmp_path):
    (tmp_path / "a.txt").write_text("全国共破获案件39.4万起。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "out.jsonl"
    assert (
        main(
            [
                "run",
                str(tmp_path / "a.txt"),
                str(tmp_path / "b.txt"),
                "--model",
                "regex",
                "-o",
                str(out),
                "-q",
            ]
        )
        == 1
    )
    good, bad = _records(out)
    assert good["status"] == "ok" and good["stats"][0]["value"] == 394000
    assert bad["status"] == "failed" and "b.txt" in bad["error"] and bad["stats"] == []


def test_jsonl_input_uses_ids_and_line_sources(tmp_path):
    lines = [
        {"id": "x1", "text": "抓获犯罪嫌疑人63.4万名。"},
        {"id": "x2", "text": "同比下降17.3%。"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(src), "--model", "regex", "-o", str(out), "-q"]) == 0
    first, second = _records(out)
    assert (first["doc_id"], first["source"]) == ("x1", f"{src}#1")
    assert second["stats"][0]["value"] == -17.3 and second["stats"][0]["kind"] == "change"


def test_bad_configuration_exits_2(tmp_path, capsys):
    config = tmp_path / "run.toml"
    config.write_text('[run]\nstrategy = "bogus"\n', encoding="utf-8")
    assert main(["run", str(tmp_path), "--config", str(config), "-o", "-", "-q"]) == 2
    assert "strategy" in capsys.readouterr().err
    config.write_text('[run]\nstrategi = "free"\n', encoding="utf-8")
    assert main(["run", str(tmp_path), "--config", str(config), "-q"]) == 2


def test_config_file_env_and_flags_precedence(tmp_path, monkeypatch):
    config = tmp_path / "run.toml"
    config.write_text(
        '[run]\nmodel = "qwen"\nstrategy = "free"\nbase_url = "http://a/v1"\n', encoding="utf-8"
    )
    monkeypatch.setenv("OPENAI_BASE_URL", "http://env/v1")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    options = load_options(config, strategy="guided")
    assert (options.model, options.strategy, options.base_url) == ("qwen", "guided", "http://a/v1")
    assert options.api_key == "sk-env" and "sk-env" not in options.model_dump_json()
    assert load_options(None).base_url == "http://env/v1"


@pytest.mark.parametrize("argv", [["run"], ["bench"], ["nonsense"]])
def test_usage_errors_exit_2(argv):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2


def test_progress_bar_goes_to_stderr_and_quiet_silences_it(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("全国共破获案件39.4万起。", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["run", str(tmp_path / "a.txt"), "--model", "regex", "-o", str(out)]) == 0
    assert "eta" in capsys.readouterr().err
    assert main(["run", str(tmp_path / "a.txt"), "--model", "regex", "-o", str(out), "-q"]) == 0
    assert "eta" not in capsys.readouterr().err
