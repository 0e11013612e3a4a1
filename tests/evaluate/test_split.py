"""The fixed tune/validation split of the gold documents."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from llm_extract.evaluate.split import SALT, split_of

GOLD = Path(__file__).resolve().parents[2] / "evals" / "gold"
TUNED_ON = ["000_a12ffeb42ad0c3ad", "004_a19b5bc65f1db598", "d01_x", "d09_y", "d15_z"]


@pytest.mark.parametrize("doc_id", TUNED_ON)
def test_the_documents_tuned_on_are_never_validation(doc_id: str) -> None:
    assert split_of(doc_id) == "tune"


@pytest.mark.parametrize("doc_id", ["d16_a", "d30_b", "d45_c", "x", "005_new"])
def test_later_documents_go_by_the_hash_of_their_id(doc_id: str) -> None:
    odd = hashlib.sha256(f"{SALT}:{doc_id}".encode()).digest()[0] % 2
    assert split_of(doc_id) == ("validation" if odd else "tune")


def test_the_gold_set_split_is_the_one_reported() -> None:
    """The README's validation figures are over these 17 documents: a changed rule or salt
    must be a deliberate change of this test too."""
    ids = sorted(p.name.removesuffix(".jsonl") for p in GOLD.glob("*.jsonl"))
    validation = [i for i in ids if split_of(i) == "validation"]
    assert len(ids) == 50 and len(validation) == 17
    assert all(int(i[1:3]) >= 16 for i in validation)
    assert {"d16_zgf_2016_q1_q3_caseload_cctv", "d44_tw_mof_2025_08_exports_numerals"} <= set(
        validation
    )
