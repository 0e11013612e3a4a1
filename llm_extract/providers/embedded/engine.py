"""The embedded engine: llama.cpp's native C++ server (xllamacpp's prebuilt CPU wheel) in a child
process, so a crash in native code can never take the run down with it.

    python -m llm_extract.providers.embedded.engine --model FILE.gguf --port N [--parallel 2] ...

Why this engine (measured in `benchmarks/bench_engines.py`, figures in the README): it installs
as a prebuilt wheel in seconds (llama-cpp-python compiles for 6-9 minutes), its portable CPU build
has no AVX-512/AMX code paths (the native llama-cpp-python build crashed on AMX CPUs), and its
server decodes several requests in one batch (parallel slots), which llama-cpp-python's does not.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import signal
import sys
import threading

ENGINE = "xllamacpp"
INSTALL_HINT = 'pip install -e ".[local]"'


def engine_installed() -> bool:
    return importlib.util.find_spec(ENGINE) is not None


def cpu_features() -> str:
    """The CPU features the engine was built to use (llama.cpp's system info line)."""
    import xllamacpp

    return str(xllamacpp.get_system_info()).strip()


def uses_amx(features: str) -> bool:
    """True when the engine's build reports an AMX code path (`AMX_INT8 = 1`)."""
    return any(
        part.strip().startswith("AMX") and part.strip().endswith("= 1")
        for part in features.split("|")
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m llm_extract.providers.embedded.engine")
    p.add_argument("--model", required=True)
    p.add_argument("--alias", default="embedded")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--parallel", type=int, default=1, help="slots (requests decoded together)")
    p.add_argument("--ctx-per-slot", type=int, default=4096)
    p.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--poll", type=int, default=0, help="thread busy-wait level 0-100 (0: sleep)")
    return p


ORPHAN_POLL = 1.0  # seconds between checks that the supervisor is still alive


def _orphaned(parent: int, stop: threading.Event) -> None:
    """Stop when the supervising process is gone, however it went (SIGKILL, or a SIGTERM
    while the engine was started from a worker thread, where neither its signal handlers nor
    the parent-death signal apply): the engine is then a child of another process."""
    while not stop.wait(ORPHAN_POLL):
        if os.getppid() != parent:
            stop.set()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import xllamacpp as xlc

    print(f"engine {ENGINE} {xlc.__version__}; cpu: {cpu_features()}", flush=True)
    params = xlc.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias}  # a set of names
    params.hostnames = [args.host]  # loopback only
    params.port = args.port
    params.n_parallel = args.parallel
    params.n_ctx = args.ctx_per_slot * args.parallel  # llama.cpp splits n_ctx across slots
    params.n_batch = args.batch
    params.n_ubatch = args.batch
    params.use_jinja = True  # the GGUF's own chat template
    params.warmup = True
    params.endpoint_metrics = True
    for cpu in (params.cpuparams, params.cpuparams_batch):
        cpu.n_threads = args.threads
        # ggml's own thread pool: 0 = sleep while waiting. This wheel's threads are OpenMP's,
        # whose waits the supervisor makes passive (OMP_WAIT_POLICY, see llama_server).
        cpu.poll = args.poll
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    threading.Thread(target=_orphaned, args=(os.getppid(), stop), daemon=True).start()
    server = xlc.Server(params)  # serves on its own threads
    print(f"listening on {server.listening_address}", flush=True)
    stop.wait()
    del server
    return 0


if __name__ == "__main__":
    sys.exit(main())
