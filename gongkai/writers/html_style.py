"""The page shell and its style sheet, inlined so that one ``.html`` file is the whole publication.

Colours keep at least 7:1 contrast on white (WCAG AAA for body text), sizes are relative so a
reader's zoom and font size settings win, and the print rules give black text, ruled tables with
their header rows repeated on every page, link targets written out, and no heading left alone
at the foot of a page.
"""

from .runs import escape_html

CSS = """\
:root { color-scheme: light; }
body {
  margin: 0 auto; padding: 1.5rem 1rem 3rem; max-width: 52rem;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
    "WenQuanYi Zen Hei", "Noto Sans SC", sans-serif;
  font-size: 1.0625rem; line-height: 1.8; color: #1a1a1a; background: #fff;
}
h1, h2, h3, h4, h5, h6 { line-height: 1.4; margin: 1.6em 0 0.6em; }
h1 { font-size: 1.75rem; text-align: center; margin-top: 0.5em; }
h2 { font-size: 1.375rem; }
h3 { font-size: 1.1875rem; }
h4, h5, h6 { font-size: 1.0625rem; }
p { margin: 0 0 1em; text-indent: 2em; }
ul, ol { margin: 0 0 1em; padding-left: 2em; }
a { color: #0b4f9c; }
a:focus, .table-scroll:focus { outline: 3px solid #0b4f9c; outline-offset: 2px; }
.table-scroll { overflow-x: auto; margin: 0 0 1.5em; }
table { border-collapse: collapse; font-size: 0.9375rem; line-height: 1.5; min-width: 100%; }
caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 0.4em; }
th, td { border: 1px solid #595959; padding: 0.3em 0.5em; vertical-align: middle; }
th { background: #eef2f7; font-weight: bold; text-align: center; }
th[data-gongkai="label"], th[scope="row"] { text-align: left; font-weight: normal; background: #f7f9fb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}
.gongkai-checks {
  border: 2px solid #a4001d; background: #fff5f5; padding: 0.75em 1em; margin: 0 0 1.5em;
}
.gongkai-checks p { text-indent: 0; margin: 0 0 0.4em; }
.gongkai-checks ul { margin: 0; }
@page { size: A4; margin: 2cm 1.8cm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; line-height: 1.6; color: #000; }
  h1 { font-size: 18pt; }
  h2 { font-size: 14pt; }
  h3, h4, h5, h6 { font-size: 12pt; }
  h1, h2, h3, h4, h5, h6, caption { break-after: avoid; page-break-after: avoid; }
  p, li { orphans: 3; widows: 3; }
  .table-scroll { overflow: visible; }
  table { font-size: 9pt; width: 100%; }
  thead { display: table-header-group; }
  tr, th, td { break-inside: avoid; page-break-inside: avoid; }
  th, td { border-color: #000; }
  th, th[data-gongkai="label"], th[scope="row"] { background: none; }
  a { color: #000; text-decoration: underline; }
  a[href^="http"]::after { content: "（" attr(href) "）"; font-size: 0.85em; word-break: break-all; }
  .gongkai-checks { border: 1.5pt solid #000; background: none; break-inside: avoid; }
}
"""


def html_page(title: str, parts: list[str]) -> str:
    """One page shell (language, viewport, the style sheet, a ``main`` landmark) for every HTML
    gongkai writes, so the report page and the comparison page meet the same accessibility rules."""
    head = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="gongkai">',
        f"<title>{escape_html(title)}</title>",
        "<style>",
        CSS.rstrip("\n"),
        "</style>",
        "</head>",
        "<body>",
        "<main>",
    ]
    return "\n".join([*head, *parts, "</main>", "</body>", "</html>"]) + "\n"
