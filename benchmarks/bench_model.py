"""Measure the embedded model's speed on this machine: prompt (prefill) and generation (decode).

    python benchmarks/bench_model.py                 # 1.5B, n_threads = cpu_count and 1
    python benchmarks/bench_model.py --small         # also the 0.5B pack (if installed)
    python benchmarks/bench_model.py --threads 2 --extra-args=--flash_attn=True

Prefill: ~800-token prompts through /v1/completions with max_tokens=1, each prompt different
from its first token on, so llama-cpp-python's prefix reuse cannot skip any of it.
Decode: a short chat prompt with max_tokens=200, temperature 0; the decode time is the wall
time minus the prompt time (prompt tokens / measured prefill rate).
Both are also read from the server's own llama_perf lines in its log as a cross-check.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from llm_extract.providers.llama_server import DEFAULT_N_BATCH, LlamaServer, server_installed
from llm_extract.providers.model_pack import PACKS, ensure_model, packs_installed

SENTENCES = [
    "据国家统计局{n}日发布的数据，{y}年全国规模以上工业增加值同比增长{p}%，比上年加快{q}个百分点。",
    "{y}年{m}月份，社会消费品零售总额{v}亿元，同比增长{p}%，其中除汽车以外的消费品零售额增长{q}%。",
    "全年城镇新增就业{v}万人，全国城镇调查失业率平均值为{p}%，比上年下降{q}个百分点。",
    "{y}年全国粮食总产量达到{v}亿斤，比上年增加{q}亿斤，增长{p}%，连续多年稳定在较高水平。",
    "海关总署统计，前{m}个月我国货物贸易进出口总值{v}亿元人民币，同比增长{p}%。",
    "全国居民人均可支配收入{v}元，比上年名义增长{p}%，扣除价格因素实际增长{q}%。",
    "{y}年末全国常住人口城镇化率为{p}%，比上年末提高{q}个百分点。",
    "全国固定资产投资（不含农户）{v}亿元，同比增长{p}%，其中制造业投资增长{q}%。",
    "国家能源局数据显示，{m}月份全社会用电量{v}亿千瓦时，同比增长{p}%。",
    "全年研究与试验发展经费支出{v}亿元，比上年增长{p}%，与国内生产总值之比为{q}%。",
]

PERF = re.compile(
    r"(prompt eval|eval) time =\s*([\d.]+) ms /\s*(\d+) (?:tokens|runs)\s*"
    r"\(.*?([\d.]+) tokens per second"
)


def news_text(rng: random.Random, chars: int) -> str:
    parts: list[str] = []
    while sum(map(len, parts)) < chars:
        template = rng.choice(SENTENCES)
        parts.append(
            template.format(
                n=rng.randint(1, 28),
                y=rng.randint(2015, 2024),
                m=rng.randint(1, 12),
                v=f"{rng.uniform(100, 99999):.1f}",
                p=f"{rng.uniform(-5, 15):.1f}",
                q=f"{rng.uniform(0.1, 3):.1f}",
            )
        )
    return "".join(parts)


def post(base_url: str, path: str, payload: dict) -> tuple[dict, float]:
    request = urllib.request.Request(
        base_url + path,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
    )
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=900) as response:
        body = json.loads(response.read())
    return body, time.perf_counter() - started


def perf_lines(server: LlamaServer) -> list[tuple[str, float, int, float]]:
    """(kind, ms, tokens, tokens/s) from the llama_perf lines this server logged so far."""
    return [
        (m[1], float(m[2]), int(m[3]), float(m[4])) for m in PERF.finditer(server.log_tail(10**6))
    ]


@dataclass
class Result:
    model: str
    threads: int
    extra_args: list[str]
    load_s: float
    prefill_tokens: list[int] = field(default_factory=list)
    prefill_tps: list[float] = field(default_factory=list)
    prefill_tps_server: list[float] = field(default_factory=list)
    decode_tokens: list[int] = field(default_factory=list)
    decode_tps: list[float] = field(default_factory=list)
    decode_tps_server: list[float] = field(default_factory=list)
    loadavg: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def summary(self) -> str:
        def med(xs: list[float]) -> str:
            # median, and the best run: other load on the machine only ever slows a run down
            return f"{statistics.median(xs):5.1f} (best {max(xs):5.1f})" if xs else "n/a"

        mean_tokens = statistics.mean(self.prefill_tokens or [0])
        return (
            f"{self.model:20} threads={self.threads} {' '.join(self.extra_args) or '-':24} "
            f"load {self.load_s:4.1f}s | prefill {med(self.prefill_tps)} tok/s "
            f"(server {med(self.prefill_tps_server)}; ~{mean_tokens:.0f} tok) "
            f"| decode {med(self.decode_tps)} tok/s (server {med(self.decode_tps_server)}; "
            f"{'/'.join(map(str, self.decode_tokens))} tok) | load avg {self.loadavg[0]:.2f}"
        )


def bench(
    pack: str,
    threads: int,
    extra_args: list[str],
    prefill_runs: int,
    decode_runs: int,
    prompt_tokens: int,
    n_batch: int,
) -> Result:
    path = ensure_model(pack, notify=lambda m: print(m, file=sys.stderr))
    rng = random.Random(20240601 + threads)
    server = LlamaServer(
        path,
        model_alias=pack,
        n_threads=threads,
        n_batch=n_batch,
        extra_args=extra_args,
        n_ctx=4096,
    )
    started = time.perf_counter()
    with server:
        result = Result(pack, threads, extra_args, load_s=time.perf_counter() - started)
        url = server.base_url
        # warm-up, and calibrate characters per token for the ~N-token prompts
        body, _ = post(url, "/completions", {"prompt": news_text(rng, 400), "max_tokens": 1})
        chars_per_token = 400 / max(1, body["usage"]["prompt_tokens"])
        for i in range(prefill_runs):
            # a distinct first line: no shared prefix with the previous prompt
            prompt = f"第{rng.randint(10**6, 10**7)}号 稿件 {i}\n" + news_text(
                rng, int(prompt_tokens * chars_per_token)
            )
            before = len(perf_lines(server))
            body, wall = post(url, "/completions", {"prompt": prompt, "max_tokens": 1})
            n = body["usage"]["prompt_tokens"]
            result.prefill_tokens.append(n)
            result.prefill_tps.append(n / wall)
            for kind, _ms, _tok, tps in perf_lines(server)[before:]:
                if kind == "prompt eval":
                    result.prefill_tps_server.append(tps)
            print(f"  prefill {i + 1}: {n} tokens in {wall:.2f}s", file=sys.stderr, flush=True)
        prefill = statistics.median(result.prefill_tps)
        for i in range(decode_runs):
            topic = rng.choice(["粮食生产", "居民收入", "对外贸易", "工业生产", "城镇就业"])
            messages = [
                {
                    "role": "user",
                    "content": f"请写一篇约600字的新闻稿，介绍某年全国{topic}的统计数据，"
                    f"包含多个具体数字。(#{i})",
                }
            ]
            before = len(perf_lines(server))
            body, wall = post(
                url,
                "/chat/completions",
                {"messages": messages, "max_tokens": 200, "temperature": 0},
            )
            usage = body["usage"]
            decode_s = wall - usage["prompt_tokens"] / prefill
            result.decode_tokens.append(usage["completion_tokens"])
            result.decode_tps.append(usage["completion_tokens"] / decode_s)
            for kind, _ms, tok, tps in perf_lines(server)[before:]:
                if kind == "eval" and tok > 1:
                    result.decode_tps_server.append(tps)
            print(
                f"  decode {i + 1}: {usage['completion_tokens']} tokens in {wall:.2f}s "
                f"(prompt {usage['prompt_tokens']})",
                file=sys.stderr,
                flush=True,
            )
        result.loadavg = os.getloadavg()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--small", action="store_true", help="also benchmark the 0.5B pack")
    parser.add_argument("--only-small", action="store_true", help="only the 0.5B pack")
    parser.add_argument(
        "--threads",
        default=f"{os.cpu_count()},1",
        help="comma-separated n_threads values to compare (default: cpu_count,1)",
    )
    parser.add_argument("--prefill-runs", type=int, default=3)
    parser.add_argument("--decode-runs", type=int, default=2)
    parser.add_argument("--prompt-tokens", type=int, default=800)
    parser.add_argument("--n-batch", type=int, default=DEFAULT_N_BATCH)
    parser.add_argument(
        "--extra-args", default="", help="extra server flags, e.g. '--flash_attn True'"
    )
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    args = parser.parse_args(argv)

    if not server_installed():
        print('llama-cpp-python[server] is not installed: pip install -e ".[local]"')
        return 2
    packs = [] if args.only_small else ["qwen2.5-coder-1.5b"]
    if args.small or args.only_small:
        if packs_installed(PACKS["qwen2.5-coder-0.5b"]):
            packs.append("qwen2.5-coder-0.5b")
        else:
            print('0.5B pack not installed (pip install -e ".[small]"): skipped', file=sys.stderr)
    threads = [int(t) for t in args.threads.split(",") if t.strip()]
    extra = args.extra_args.split()
    results: list[Result] = []
    for pack in packs:
        for n in threads:
            print(f"{pack}, n_threads={n} {' '.join(extra)}", file=sys.stderr, flush=True)
            results.append(
                bench(
                    pack,
                    n,
                    extra,
                    args.prefill_runs,
                    args.decode_runs,
                    args.prompt_tokens,
                    args.n_batch,
                )
            )
    print(
        f"\ncpu_count={os.cpu_count()}  n_batch={args.n_batch}  "
        "(median of runs, best run in parentheses)"
    )
    for result in results:
        print(result.summary())
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
