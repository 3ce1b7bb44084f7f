"""The report page's style sheet, inlined into the page so it opens with no network.

Readable on a phone (tables scroll sideways inside their own box, charts scale to the width) and
printable (no navigation, sections start on a new page where that helps, links print their text,
colours kept for the charts).
"""

from __future__ import annotations

__all__ = ["STYLE"]

STYLE = """
:root { --ink: #1a1a1a; --muted: #5a5a5a; --line: #d0d4d9; --soft: #f5f7fa; --accent: #0072B2;
  --barrier: #D55E00; --facilitator: #0072B2; --mixed: #CC79A7; --warn: #8a4b00;
  --warn-bg: #fff4e0; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 1rem 1rem 3rem; }
header.report { background: #0b3c5d; color: #fff; padding: 1.5rem 1rem 1.25rem; }
header.report .inner { max-width: 1100px; margin: 0 auto; }
header.report h1 { margin: 0 0 .25rem; font-size: 1.7rem; line-height: 1.2; }
header.report p { margin: .25rem 0; color: #dbe8f2; }
nav.toc { max-width: 1100px; margin: 0 auto; padding: .5rem 1rem; display: flex;
  flex-wrap: wrap; gap: .25rem .9rem; font-size: .95rem; border-bottom: 1px solid var(--line); }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
h2 { font-size: 1.4rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem;
  border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.15rem; margin: 1.5rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.note, .muted { color: var(--muted); font-size: .92rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(9.5rem, 1fr));
  gap: .6rem; margin: .8rem 0; padding: 0; list-style: none; }
.figures li { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .55rem .7rem; }
.figures b { display: block; font-size: 1.5rem; line-height: 1.2; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .6rem 0;
  border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .55rem; text-align: left;
  vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.block th { background: #e9eef4; }
tr.group th { background: #eef6ee; font-weight: 600; }
.flag { color: var(--warn); background: var(--warn-bg); border-left: 4px solid #e69f00;
  padding: .35rem .6rem; margin: .3rem 0; font-size: .9rem; }
.chart-box { margin: .8rem 0 1rem; max-width: 760px; }
.chart-box svg { display: block; height: auto; }
figure { margin: 0; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
blockquote { margin: .5rem 0; padding: .4rem .8rem; border-left: 4px solid var(--accent);
  background: var(--soft); white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote cite { display: block; font-style: normal; color: var(--muted); font-size: .88rem;
  margin-top: .25rem; white-space: normal; }
.theme { border: 1px solid var(--line); border-radius: 8px; padding: .2rem 1rem .8rem;
  margin: 1rem 0; }
.swatch { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-right: .35em; vertical-align: baseline; }
.pill { display: inline-block; padding: 0 .45em; border-radius: 1em; font-size: .82rem;
  color: #fff; white-space: nowrap; }
.pill.barrier { background: var(--barrier); } .pill.facilitator { background: var(--facilitator); }
.pill.mixed { background: var(--mixed); }
.matrix td { min-width: 9rem; }
.matrix .count { font-weight: 700; }
.matrix .summary { display: block; margin-top: .2rem; }
.matrix .by { display: block; color: var(--muted); font-size: .8rem; }
details { margin-top: .2rem; }
details summary { cursor: pointer; color: var(--accent); font-size: .85rem; }
details blockquote { font-size: .85rem; }
article.memo { border-left: 3px solid var(--soft); padding-left: .8rem; margin: .8rem 0; }
article.memo .by { color: var(--muted); font-size: .85rem; }
table.matrix q.passage { display: block; font-size: .85rem; margin-top: .3rem; }
table.matrix q.passage + cite { display: block; color: var(--muted); font-size: .78rem;
  font-style: normal; }
ol.legend { columns: 2 20rem; column-gap: 3rem; font-size: .9rem; padding-left: 2rem; }
ol.legend li { break-inside: avoid; }
table.cooccurrence td.diagonal { font-weight: 700; background: var(--soft); }
table.coreq td:last-child { white-space: nowrap; }
.coreq .unanswered td.answer { color: var(--warn); background: var(--warn-bg); }
.methods { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .8rem 1rem; }
.gap { color: var(--warn); background: var(--warn-bg); }
footer { max-width: 1100px; margin: 0 auto; padding: 1rem; color: var(--muted);
  font-size: .85rem; border-top: 1px solid var(--line); }
@media (max-width: 600px) {
  body { font-size: 15px; }
  header.report h1 { font-size: 1.35rem; }
  main { padding: .5rem .6rem 2rem; }
  .theme { padding: .1rem .6rem .6rem; }
  th, td { padding: .3rem .4rem; }
}
@media print {
  @page { margin: 15mm; }
  body { font-size: 10.5pt; }
  /* Closed passages stay closed on paper; every passage is in the XLSX. */
  nav.toc, details { display: none; }
  header.report { background: none; color: #000; padding: 0; border-bottom: 2px solid #000; }
  header.report p { color: #333; }
  .scroll { overflow: visible; border: none; }
  thead th { position: static; }
  h2 { break-after: avoid; }
  section.major { break-before: page; }
  table, figure, blockquote, .theme { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""
