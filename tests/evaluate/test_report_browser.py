"""The comparison report renders in a real browser: matrix table and plots in the DOM."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_compare import FakeRunner, project  # noqa: F401  (fixture)

from llm_extract.evaluate.compare import compare

pytestmark = pytest.mark.browser


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail("CI is set but chromium is not installed (apt-get install -y chromium)")
    pytest.skip("chromium not installed (apt-get install -y chromium); CI is not set")


def browse(page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp / 'profile'}",
    ]
    return subprocess.run(
        [chromium(), *flags, *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_report_renders_in_chromium(project: Path, tmp_path: Path) -> None:  # noqa: F811
    compare(project, runner=FakeRunner(project.parent))
    report = project.parent / "out" / "report.html"

    dom = browse(report, tmp_path, "--dump-dom").stdout
    assert '<table id="matrix-table">' in dom
    assert dom.count("<tr>") >= 3  # header + regex + fake-llm rows
    for plot in ("plot-f1_vs_cost", "plot-f1_vs_seconds"):
        start = dom.index(f'id="{plot}"')
        assert "<svg" in dom[start : start + 500]
    assert "fake-llm" in dom and "regex" in dom

    shot = tmp_path / "report.png"
    browse(report, tmp_path, f"--screenshot={shot}", "--window-size=1400,1800")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 30_000

    page = project.parent / "out" / "docs" / "a1.html"
    doc_dom = browse(page, tmp_path, "--dump-dom").stdout
    assert "&lt;script&gt;alert" in doc_dom and "<script>alert" not in doc_dom
    assert 'class="m-strict"' in doc_dom
