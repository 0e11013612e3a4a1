"""The facts review page renders in a real browser, article text as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browse
from test_facts_command import runs  # noqa: F401  (fixture)

from llm_extract.cli import main

pytestmark = pytest.mark.browser


def test_facts_page_renders_in_chromium(runs: list[Path], tmp_path: Path) -> None:  # noqa: F811
    page = tmp_path / "facts.html"
    assert main(["facts", *map(str, runs), "--html", str(page)]) == 0
    dom = browse(page, tmp_path, "--dump-dom").stdout
    assert '<table class="facts" id="facts-table">' in dom
    assert dom.count('class="fact ') == 3
    first = dom.index('class="fact ')
    assert dom[first : first + 40].startswith('class="fact rounded"')  # several sources first
    assert "&lt;b&gt;一年来&lt;/b&gt;" in dom and "<b>一年来</b>" not in dom

    article = browse(tmp_path / "facts_docs" / "a.html", tmp_path, "--dump-dom").stdout
    assert article.count("<mark") == 2 and "../facts.html#f" in article
