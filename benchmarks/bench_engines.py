"""Choose the embedded engine by measurement: install time, single-stream prefill and decode,
aggregate throughput with 1, 2 and 4 requests in flight, and whether it runs on this CPU.

    python benchmarks/bench_engines.py                        # xllamacpp (this venv)
    python benchmarks/bench_engines.py --llama-cpp-python VENV  # also llama-cpp-python's
                                                               # server from another venv
    python benchmarks/bench_engines.py --install              # also time cold installs
    python benchmarks/bench_engines.py --contention           # decode with a busy process
    python benchmarks/bench_engines.py --only-contention

Run it alone on the machine: a second CPU-heavy process slows a model 2-4x.
Real chunks: the guided prompts of the seeds' chunks, exactly as a run sends them.
- prefill tok/s: a chunk prompt with a unique first line (no prefix reuse), max_tokens=1;
- decode tok/s: the same prompt with max_tokens=160 (and no stop), minus its prefill time;
- aggregate: K chunk prompts sent at once, K in {1, 2, 4} (4 requests each); completion
  tokens / wall seconds, and the seconds until all are answered.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from llm_extract.config import RunOptions
from llm_extract.paths import shared_dir
from llm_extract.pipeline import prepare, strategy_for
from llm_extract.providers.embedded.llama_server import LlamaServer
from llm_extract.providers.select import resolve_model
from llm_extract.steps.ingest import load_documents

REPO = Path(__file__).resolve().parents[1]
SEEDS = shared_dir() / "seeds"
INSTALLS = {
    "xllamacpp": "xllamacpp==2026.10.11549",
    "llama-cpp-python": "llama-cpp-python[server]==0.3.36",
}


def chunk_prompts() -> list[list[dict[str, str]]]:
    """The guided messages of every seed chunk, as a run builds them."""
    options = RunOptions(strategy="guided")
    strategy = strategy_for(options)
    prompts = []
    for doc in load_documents([str(SEEDS)]):
        prompts += [strategy.messages(r) for r in prepare(doc, options, strategy).requests]
    return prompts


def post(base_url: str, body: dict, timeout: float = 900) -> tuple[dict, float]:
    request = urllib.request.Request(
        f"{base_url}/chat/completions",
        json.dumps(body).encode(),
        {"Content-Type": "application/json"},
    )
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=timeout) as response:
        answer = json.loads(response.read())
    return answer, time.perf_counter() - began


def single_stream(base_url: str, prompts: list) -> dict[str, float]:
    prefill, decode = [], []
    for n, messages in enumerate(prompts[:4]):
        nonce = [{"role": "system", "content": f"run {time.time_ns()} {n}"}]
        answer, first = post(base_url, {"messages": nonce + messages, "max_tokens": 1})
        prefill.append(answer["usage"]["prompt_tokens"] / first)
        nonce = [{"role": "system", "content": f"run {time.time_ns()} {n}b"}]
        body = {"messages": nonce + messages, "max_tokens": 160, "ignore_eos": True}
        answer, wall = post(base_url, body)
        tokens = answer["usage"]["completion_tokens"]
        decode.append(tokens / max(wall - first, 1e-6))
    return {"prefill": sum(prefill) / len(prefill), "decode": sum(decode) / len(decode)}


def aggregate(base_url: str, prompts: list, in_flight: int, requests: int = 4) -> dict[str, float]:
    """Chunk requests with a unique first line each, so no run profits from an earlier one's
    prompt cache: prefill and decode both count, as for a batch of new articles."""
    bodies = [
        {
            "messages": [{"role": "system", "content": f"batch {time.time_ns()} {n}"}]
            + prompts[n % len(prompts)],
            "max_tokens": 160,
            "ignore_eos": True,
        }
        for n in range(requests)
    ]
    began = time.perf_counter()
    with ThreadPoolExecutor(in_flight) as pool:
        answers = list(pool.map(lambda b: post(base_url, b)[0], bodies))
    wall = time.perf_counter() - began
    tokens = sum(a["usage"]["completion_tokens"] for a in answers)
    return {"completion_tok_s": tokens / wall, "wall_s": wall}


def engine_command(engine: str, venv: Path | None, model: Path, slots: int, threads: int):
    if engine == "xllamacpp":
        python = sys.executable
        return lambda host, port: [
            python, "-m", "llm_extract.providers.embedded.engine", "--model", str(model),
            "--alias", "bench", "--host", host, "--port", str(port),
            "--parallel", str(slots), "--threads", str(threads),
        ]  # fmt: skip
    python = str((venv or Path(sys.prefix)) / "bin" / "python")
    return lambda host, port: [
        python, "-m", "llama_cpp.server", "--model", str(model), "--host", host,
        "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads),
        "--n_threads_batch", str(threads), "--use_mlock", "False",
    ]  # fmt: skip


def measure(engine: str, venv: Path | None, model: Path, prompts: list, threads: int) -> dict:
    row: dict = {"engine": engine}
    slots = 4 if engine == "xllamacpp" else 1
    server = LlamaServer(
        command=engine_command(engine, venv, model, slots, threads),
        log_path=Path(tempfile.gettempdir()) / f"bench-{engine}.log",
        self_test=True,
        startup_timeout=300,
    )
    try:
        server.start()
    except Exception as exc:  # noqa: BLE001 - a crash on this CPU is a result
        row["runs_here"] = f"no: {str(exc).splitlines()[0]}"
        return row
    row["runs_here"] = "yes"
    with server:
        row.update(single_stream(server.base_url, prompts))
        for k in (1, 2, 4):
            row[f"in_flight_{k}"] = aggregate(server.base_url, prompts, k)
    return row


def cold_install(spec: str) -> float:
    """Seconds to install `spec` into a fresh venv with an empty pip cache."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "venv", f"{tmp}/venv"], check=True)
        env = {**os.environ, "PIP_CACHE_DIR": f"{tmp}/cache"}
        began = time.perf_counter()
        subprocess.run([f"{tmp}/venv/bin/pip", "install", "-q", spec], check=True, env=env)
        return time.perf_counter() - began


def contention(model: Path) -> list[dict]:
    """Decode (and short-prompt prefill) tok/s of xllamacpp, alone and beside one busy
    CPU-bound process, by threads and OpenMP wait policy (read from the server's timings)."""
    rows = []
    configs = [(2, "ACTIVE", False), (2, "PASSIVE", False), (1, "PASSIVE", False)]
    configs += [(2, "ACTIVE", True), (2, "PASSIVE", True), (1, "PASSIVE", True)]
    body = {
        "messages": [{"role": "user", "content": "Count from 1 to 100, comma separated."}],
        "max_tokens": 40,
        "ignore_eos": True,
    }
    for threads, wait_policy, busy in configs:
        server = LlamaServer(
            command=engine_command("xllamacpp", None, model, 1, threads),
            log_path=Path(tempfile.gettempdir()) / "bench-contention.log",
            self_test=True,
            env={**os.environ, "OMP_WAIT_POLICY": wait_policy},
        )
        with server:
            load = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
            try:
                answer, wall = post(server.base_url, body)
            finally:
                if load is not None:
                    load.kill()
        timings = answer.get("timings", {})
        rows.append(
            {
                "threads": threads,
                "OMP_WAIT_POLICY": wait_policy,
                "busy_process": busy,
                "decode": round(timings.get("predicted_per_second", 0.0), 2),
                "wall_s": round(wall, 1),
            }
        )
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--llama-cpp-python", type=Path, metavar="VENV", help="venv with it installed")
    p.add_argument("--install", action="store_true", help="time cold installs (slow)")
    p.add_argument("--contention", action="store_true")
    p.add_argument("--only-contention", action="store_true")
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    model, prompts = resolve_model(RunOptions()), chunk_prompts()
    print(f"{len(prompts)} seed chunks; model {model.name}; {os.cpu_count()} cores", flush=True)
    engines = [("xllamacpp", None)]
    if args.llama_cpp_python:
        engines.append(("llama-cpp-python", args.llama_cpp_python))
    for engine, venv in [] if args.only_contention else engines:
        row = measure(engine, venv, model, prompts, args.threads)
        if args.install:
            row["install_s"] = cold_install(INSTALLS[engine])
        print(json.dumps(row), flush=True)
    if args.contention or args.only_contention:
        for row in contention(model):
            print(json.dumps({"contention": row}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
