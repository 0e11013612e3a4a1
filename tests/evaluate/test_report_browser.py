"""The comparison report renders in a real browser: matrix table and plots in the DOM."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browse
from test_compare import FakeRunner, project  # noqa: F401  (fixture)

from llm_extract.evaluate.compare import compare

pytestmark = pytest.mark.browser


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
