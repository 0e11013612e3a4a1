"""`--shard I/N`: the N shards of a corpus are disjoint, together hold every document (unreadable
ones included, each in exactly one shard), give the unsharded run's records, and are the same
in every process; bad values and a resume with another shard are refused."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import untimed
from pydantic import ValidationError

from llm_extract.cli import main
from llm_extract.config import RunOptions, parse_shard
from llm_extract.paths import shared_dir
from llm_extract.pipeline import run_documents
from llm_extract.scale.shard import shard_of

SHARED = shared_dir()
N = 3

pytestmark = pytest.mark.skipif(
    not (SHARED / "seeds").is_dir() or not (SHARED / "articles").is_dir(),
    reason=f"shared corpus (seeds, articles) not found at {SHARED}",
)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    bad = tmp_path_factory.mktemp("bad") / "unreadable_binary.txt"
    bad.write_bytes(b"\x00\x01\x02 not text")
    return [str(SHARED / "seeds"), str(SHARED / "articles"), str(bad)]


@pytest.fixture(scope="module")
def whole(inputs: list[str]) -> list[dict]:
    records = [untimed(r) for r in run_documents(inputs, RunOptions(model="regex"))]
    assert len(records) > 40 and sum(len(r["stats"]) for r in records) > 500
    assert [r["doc_id"] for r in records if r["status"] == "failed"] == ["unreadable_binary"]
    return records


def test_shards_are_disjoint_complete_and_give_the_unsharded_records(
    inputs: list[str], whole: list[dict]
) -> None:
    shards = [
        [untimed(r) for r in run_documents(inputs, RunOptions(model="regex", shard=(i, N)))]
        for i in range(1, N + 1)
    ]
    ids = [[r["doc_id"] for r in shard] for shard in shards]
    assert all(ids), "every shard of this corpus has documents"
    assert sum(map(len, ids)) == len(whole)  # disjoint ...
    assert set().union(*map(set, ids)) == {r["doc_id"] for r in whole}  # ... and complete
    assert sum("unreadable_binary" in shard for shard in ids) == 1
    for i, shard in enumerate(shards, 1):
        # the unsharded run's records of this shard, in the same (input) order
        assert shard == [r for r in whole if shard_of(r["doc_id"], N) == i]


def test_the_partition_is_sha256_of_doc_id_in_every_process(whole: list[dict]) -> None:
    ids = [r["doc_id"] for r in whole]
    here = [shard_of(doc_id, 7) for doc_id in ids]
    spec = [int(hashlib.sha256(d.encode()).hexdigest()[:16], 16) % 7 + 1 for d in ids]
    assert here == spec and len(set(here)) == 7
    code = (
        "import json, sys; from llm_extract.scale.shard import shard_of; "
        "print(json.dumps([shard_of(d, 7) for d in json.load(sys.stdin)]))"
    )
    for seed in ("1", "2"):  # a salted hash() would differ between these
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code],
            input=json.dumps(ids),
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert json.loads(done.stdout) == here


@pytest.mark.parametrize(
    ("text", "shard"), [("1/1", (1, 1)), ("2/3", (2, 3)), (" 3/3 ", (3, 3)), ("10/12", (10, 12))]
)
def test_parse_shard_accepts_i_of_n(text: str, shard: tuple[int, int]) -> None:
    assert parse_shard(text) == shard
    assert RunOptions(shard=text).shard == shard  # as given in a TOML config


@pytest.mark.parametrize("text", ["0/3", "4/3", "x", "3", "1/0", "-1/3", "a/b", "1/3/5", ""])
def test_bad_shards_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="shard"):
        parse_shard(text)
    with pytest.raises(ValidationError, match="shard"):
        RunOptions(shard=text)


@pytest.mark.parametrize(
    ("value", "reason"),
    [("0/3", "1 <= I <= N"), ("4/3", "1 <= I <= N"), ("x", "expected I/N")],
)
def test_cli_refuses_a_bad_shard_with_exit_2(
    value: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(SHARED / "seeds"), "--model", "regex", "--shard", value, "-o", str(out)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--shard" in err and reason in err and repr(value) in err
    assert not out.exists()


def test_cli_shard_run_and_resume_with_another_shard_is_refused(
    inputs: list[str], whole: list[dict], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.jsonl"
    args = ["run", *inputs, "--model", "regex", "-o", str(out), "-q"]
    failing = shard_of("unreadable_binary", N)
    code = main([*args, "--shard", f"{failing}/{N}"])
    assert code == 1  # this shard holds the unreadable file
    written = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    for record in written:
        record["usage"].pop("seconds")
        record["checks"].pop("call_seconds")
    assert written == [r for r in whole if shard_of(r["doc_id"], N) == failing]
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    assert manifest["shard"] == [failing, N]
    before = out.read_bytes()
    capsys.readouterr()

    other = failing % N + 1
    assert main([*args, "--shard", f"{other}/{N}", "--resume"]) == 2
    err = capsys.readouterr().err
    assert f"shard was [{failing}, {N}], now [{other}, {N}]" in err
    assert main([*args, "--resume"]) == 2  # nor unsharded
    assert "shard was" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main([*args, "--shard", f"{failing}/{N}", "--resume"]) == 1  # the same shard resumes
    assert out.read_bytes() == before
