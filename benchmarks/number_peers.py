"""Our number reader against two peers on the gold statistics: Microsoft Recognizers-Text
(`recognizers-text-suite`, NumberModel, Chinese) and cn2an (`transform`, then the digits).

For every gold statistic, each reader reads the gold `evidence` clause; it *reads* the
statistic when one of its numbers has the gold value (for a range, the gold upper end; a
percentage or a 成-share as its percent figure). Figures are given per split; with
`--cases`, the tune statistics one peer reads and we do not are listed (never validation ones)
— to decide who is right and write the test.

    pip install recognizers-text-suite "emoji<1.0" cn2an   # benchmark only
    python benchmarks/number_peers.py [--cases]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from llm_extract.evaluate.split import split_of
from llm_extract.steps.numbers import find_numbers

GOLD = Path(__file__).resolve().parents[1] / "evals" / "gold"
_DIGITS = re.compile(r"-?\d+(?:\.\d+)?")


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def ours(text: str) -> list[float]:
    out = []
    for m in find_numbers(text):
        out += [float(m.value)] + ([float(m.value_max)] if m.value_max is not None else [])
    return out


def recognizers(text: str) -> list[float]:
    from recognizers_number import Culture, recognize_number

    out = []
    for result in recognize_number(text, Culture.Chinese):
        value = (result.resolution or {}).get("value")
        try:
            out.append(float(Decimal(str(value).rstrip("%"))))
        except (InvalidOperation, ValueError):
            continue
    return out


def cn2an_digits(text: str) -> list[float]:
    import cn2an

    try:
        converted = cn2an.transform(text, "cn2an")
    except Exception:  # noqa: BLE001 - a peer failing on a clause reads nothing there
        converted = text
    values = []
    for m in _DIGITS.finditer(converted.replace(",", "")):
        value, rest = float(m.group()), converted[m.end() : m.end() + 1]
        values.append(value * {"万": 1e4, "亿": 1e8, "萬": 1e4, "億": 1e8}.get(rest, 1))
        values.append(value)
    return values


READERS = {"ours": ours, "recognizers-text": recognizers, "cn2an": cn2an_digits}


def wanted(stat: dict) -> float:
    value = stat["value_max"] if stat.get("value_max") is not None else stat["value"]
    return float(value)


def main() -> int:
    show = "--cases" in sys.argv[1:]
    hits: Counter[str] = Counter()
    cases: list[str] = []
    for path in sorted(GOLD.glob("*.jsonl")):
        split = split_of(path.stem)
        for line in path.read_text(encoding="utf-8").splitlines():
            stat = json.loads(line)
            goal, text = wanted(stat), stat["evidence"]
            hits[f"{split} n"] += 1
            got = {}
            for name, read in READERS.items():
                got[name] = any(_close(v, goal) or _close(-v, goal) for v in read(text))
                hits[f"{split} {name}"] += got[name]
            if show and split == "tune" and not got["ours"] and any(got.values()):
                peers = ", ".join(n for n, ok in got.items() if ok)
                cases.append(f"  {path.stem[:12]} {stat['surface']!r} = {goal:g} ({peers})")
    for split in ("tune", "validation"):
        n = hits[f"{split} n"]
        parts = [f"{name} {hits[f'{split} {name}']}/{n}" for name in READERS]
        print(f"{split:10s} gold statistics read: " + ", ".join(parts))
    if show:
        print("tune statistics a peer reads and we do not:")
        print("\n".join(cases) or "  none")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
