"""Static pieces of the HTML report: stylesheet, class labels, page frame."""

from __future__ import annotations

from html import escape

LABELS = {
    "m-strict": "matched (strict)",
    "m-core": "matched (core)",
    "m-value": "matched (value only)",
    "e-magnitude": "magnitude error",
    "e-percent_points": "% vs 个百分点",
    "e-sign": "sign error",
    "e-missed": "missed (gold)",
    "e-spurious": "spurious (prediction)",
    "e-chrome": "chrome number",
}

CSS = """
:root { --ink:#1f2328; --muted:#656d76; --line:#d0d7de; --head:#f3f5f8; --accent:#1b6ca8; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK SC",
  "Noto Sans SC", "WenQuanYi Micro Hei", "PingFang SC", sans-serif; color: var(--ink);
  margin: 0 auto; padding: 24px 32px 64px; max-width: 1320px; line-height: 1.45; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #eaeef2; }
.sub { color: var(--muted); margin: 0 0 18px; }
a { color: var(--accent); }
table { border-collapse: collapse; font-size: 14px; margin: 6px 0 8px; }
th, td { border: 1px solid var(--line); padding: 6px 10px; text-align: right;
  vertical-align: top; }
th { background: var(--head); font-weight: 600; white-space: nowrap; }
td.name, th.name { text-align: left; }
td.name { font-weight: 600; white-space: nowrap; }
td.name small { font-weight: 400; }
tbody tr:nth-child(even) td { background: #fafbfc; }
td .ci, td small { display: block; color: var(--muted); font-size: 12px; white-space: nowrap; }
td.best { background: #e6f4ea !important; font-weight: 700; }
td.pos { color: #1a7f37; } td.neg { color: #cf222e; }
.note { color: var(--muted); font-size: 13px; max-width: 980px; }
.plots { display: flex; gap: 18px; flex-wrap: wrap; }
.plot { flex: 1 1 560px; margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px;
  background: #fff; }
.plot svg, .plot img { width: 100%; height: auto; display: block; }
pre { background: #f6f8fa; border: 1px solid var(--line); border-radius: 6px; padding: 10px;
  font-size: 12px; overflow-x: auto; }
pre.article { white-space: pre-wrap; word-break: break-word; font-size: 14px; line-height: 1.7;
  background: #fff; max-height: 760px; overflow-y: auto; }
mark { border-radius: 3px; padding: 1px 0; cursor: help; color: inherit; }
mark.m-strict, .swatch.m-strict { background: #8fd19e; }
mark.m-core, .swatch.m-core { background: #c9ecb4; }
mark.m-value, .swatch.m-value { background: #fff3a3; }
mark.e-magnitude, mark.e-percent_points, mark.e-sign,
.swatch.e-magnitude, .swatch.e-percent_points, .swatch.e-sign { background: #ffc98b; }
mark.e-missed, .swatch.e-missed { background: #ffb3b3; box-shadow: inset 0 -2px #cf222e; }
mark.e-spurious, .swatch.e-spurious { background: #b6d7ff; }
mark.e-chrome, .swatch.e-chrome { background: #e2c6f5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 13px; margin: 8px 0 14px; }
.swatch { display: inline-block; width: 14px; height: 14px; border-radius: 3px;
  vertical-align: -2px; margin-right: 5px; }
nav.runs a { margin-right: 14px; }
section.run { margin-bottom: 30px; }
table.samples td, table.samples th { text-align: left; font-size: 13px; }
"""

SELECT_JS = """
document.getElementById('run-select').addEventListener('change', function (e) {
  document.querySelectorAll('section.run').forEach(function (s) {
    s.hidden = e.target.value !== '' && s.id !== e.target.value;
  });
});
"""


def legend() -> str:
    items = "".join(
        f'<span><span class="swatch {css}"></span>{escape(label)}</span>'
        for css, label in LABELS.items()
    )
    return f'<div class="legend">{items}</div>'


def page(title: str, body: str, script: str = "") -> str:
    js = f"<script>{script}</script>" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}{js}</body></html>\n"
    )
