"""The analysis sections of the HTML report: saturation, agreement, co-occurrence, the methods
paragraph and the COREQ checklist. Study text is escaped with
:func:`~thematica.reports.charts.text`, as in :mod:`~thematica.reports.html_sections`.
"""

from __future__ import annotations

import math
import re

from thematica.reports.charts import network_chart, saturation_chart, text
from thematica.reports.data import ReportData, figure, listed
from thematica.reports.html_sections import (
    code_numbers,
    html_table,
    number_cell,
    theme_colours,
)

__all__ = [
    "agreement_section",
    "cooccurrence_section",
    "coreq_section",
    "methods_section",
    "saturation_section",
]


def saturation_section(report: ReportData) -> str:
    result = report.saturation
    rows = [
        f"<tr>{number_cell(s.position)}<td>{text(s.document)}</td>"
        f"<td>{text(s.participant or '')}</td>"
        f"{number_cell(s.codes)}{number_cell(s.new)}{number_cell(s.cumulative)}"
        f"<td>{text(', '.join(s.new_codes))}</td></tr>"
        for s in result.steps
    ]
    runs = [
        f"<tr><td>{r.first}-{r.last}</td>{number_cell(len(r.new_codes))}"
        f'<td class="num">{figure(r.ratio * 100, 1, "%")}</td>'
        f"<td>{'yes' if r.meets_threshold else 'no'}</td></tr>"
        for r in result.runs
    ]
    return (
        '<section id="saturation" class="major"><h2>Saturation</h2>'
        f'<figure class="chart-box">{saturation_chart(result)}<figcaption>Codes first '
        "appearing in each interview (bars) and codes found so far (line), in interview order "
        "(import order).</figcaption></figure>"
        f'<p class="verdict"><b>Verdict (a heuristic):</b> {text(result.verdict)}</p>'
        f'<p class="note">Base {result.base_size} interviews holding {result.base_codes} codes; '
        f"runs of {result.run_length}; new-information threshold "
        f"{result.threshold * 100:g}% (Guest, Namey and Chen 2020).</p>"
        + (
            "<h3>Runs after the base</h3>"
            + html_table(
                ["Interviews", "New codes", "Of the base", "Within threshold"], runs, numeric=2
            )
            if runs
            else ""
        )
        + "<h3>First appearance of codes</h3>"
        + html_table(
            ["#", "Transcript", "Participant", "Codes", "New", "So far", "New codes"], rows
        )
        + "</section>"
    )


def agreement_section(report: ReportData) -> str:
    found = report.agreement
    if found is None:
        return (
            '<section id="agreement"><h2>Intercoder agreement</h2>'
            f'<p class="note">{text(report.agreement_note)}</p></section>'
        )
    level = f"{found.confidence * 100:g}% interval" if found.confidence else "interval"
    rows = [
        f"<tr{' class=undefined' if math.isnan(r.value) else ''}><td>{text(r.label)}</td>"
        f'<td class="num">{"undefined" if math.isnan(r.value) else f"{r.value:.3f}"}</td>'
        f'<td class="num">{"–" if math.isnan(r.ci_low) else f"{r.ci_low:.3f} to {r.ci_high:.3f}"}'
        f"</td><td>{text(r.band or '')}</td>{number_cell(r.units)}<td>{text(r.notes)}</td></tr>"
        for r in found.rows
    ]
    return (
        '<section id="agreement"><h2>Intercoder agreement</h2>'
        f"<p>{text(found.statistic)} by {text(found.unit_described)} between "
        f"{text(listed(found.coders))}"
        f" on {len(found.documents)} double-coded transcript(s): "
        f"{text(', '.join(found.documents))}.</p>"
        + html_table(["Code", "Value", level, "Band", "Units", "Note"], rows)
        + '<p class="note">Bands are conventions, not tests (Landis and Koch for the kappa '
        "family; Krippendorff's 0.667 and 0.8 for alpha).</p></section>"
    )


def cooccurrence_section(report: ReportData) -> str:
    co = report.co_occurrence
    numbers = code_numbers(report)
    picture = network_chart(report.network, numbers, theme_colours(report))
    used = [i for i, code in enumerate(co.codes) if co.counts[i, i] > 0]
    legend = "".join(
        f'<li value="{numbers.get(co.codes[i], i + 1)}">{text(co.codes[i])} '
        f'<span class="muted">({int(co.counts[i, i])} turns)</span></li>'
        for i in used
    )
    heads = ["Code"] + [str(numbers.get(co.codes[i], i + 1)) for i in used]
    rows = [
        f'<tr><th scope="row">{numbers.get(co.codes[i], i + 1)}. {text(co.codes[i])}</th>'
        + "".join(
            f'<td class="num diagonal">{int(co.counts[i, j])}</td>'
            if i == j
            else number_cell(int(co.counts[i, j]))
            for j in used
        )
        + "</tr>"
        for i in used
    ]
    return (
        '<section id="cooccurrence" class="major"><h2>Co-occurrence of codes</h2>'
        f'<p class="note">Two codes co-occur when both are applied in the same speaker turn; '
        f"{co.units} turns hold at least one code"
        + (f"; {co.skipped} codings on transcripts without turns are left out" * bool(co.skipped))
        + ". The diagonal counts the turns holding each code.</p>"
        f'<figure class="chart-box">{picture}<figcaption>Codes numbered as in the list; line '
        "width grows with the number of turns two codes share.</figcaption></figure>"
        f'<ol class="legend">{legend}</ol>'
        + (html_table(heads, rows, cls="cooccurrence", numeric=len(used)) if used else "")
        + "</section>"
    )


def methods_section(report: ReportData) -> str:
    paragraph = text(report.methods)
    # Gaps are marked by methods_paragraph as "[to record: ...]"; highlight them (after escaping,
    # so only our own brackets become markup).
    paragraph = re.sub(r"(\[to record: [^\]]*\])", r'<span class="gap">\1</span>', paragraph)
    return (
        '<section id="methods" class="major"><h2>Methods (draft)</h2>'
        f'<p class="methods">{paragraph}</p>'
        '<p class="note">Filled from the study record and the data; fill the marked gaps with '
        "<code>thematica record set ITEM VALUE</code> and write the report again.</p></section>"
    )


def memos_section(report: ReportData) -> str:
    """The project journal (memos on the study) and the memos chosen for the report."""
    journal = [m for m in report.memos if m.journal]
    chosen = [m for m in report.memos if not m.journal]
    parts = ['<section id="memos" class="major"><h2>Memos</h2>']
    if not report.memos:
        parts.append(
            '<p class="note">No journal entries yet: <code>thematica memo add TEXT --author '
            "NAME</code> writes one; <code>thematica report --memo ID</code> adds a memo on a "
            "document, code or coding.</p>"
        )
    for heading, memos in (("Project journal", journal), ("Notes chosen for this report", chosen)):
        if not memos:
            continue
        parts.append(f"<h3>{heading}</h3>")
        for memo in memos:
            about = "" if memo.journal else f" · on {text(memo.about)}"
            title = f"<h4>{text(memo.title)}</h4>" if memo.title else ""
            paragraphs = "".join(f"<p>{text(p)}</p>" for p in memo.text.split("\n\n") if p)
            parts.append(
                f'<article class="memo" id="memo-{text(memo.id)}">{title}{paragraphs}'
                f'<p class="by">{text(memo.author)}, {memo.created_at:%Y-%m-%d %H:%M} UTC'
                f"{about}</p></article>"
            )
    parts.append("</section>")
    return "".join(parts)


def coreq_section(report: ReportData) -> str:
    answered = sum(1 for a in report.coreq if a.answered)
    rows = []
    domain = ""
    for a in report.coreq:
        if a.item.domain != domain:
            domain = a.item.domain
            rows.append(f'<tr class="block"><th colspan="4">{text(domain)}</th></tr>')
        cls = "answered" if a.answered else "unanswered"
        answer = text(a.answer) if a.answered else f"Needs an answer: {text(a.item.guide)}"
        source = text(a.source) if a.answered else ""
        rows.append(
            f'<tr class="{cls}" data-key="{text(a.item.key)}">{number_cell(a.item.number)}'
            f'<td>{text(a.item.item)}</td><td class="answer">{answer}</td><td>{source}</td></tr>'
        )
    return (
        '<section id="coreq" class="major"><h2>COREQ checklist</h2>'
        f'<p><b class="coreq-count">{answered} of {len(report.coreq)}</b> items answered '
        "(Tong, Sainsbury and Craig 2007). Items the study record does not answer yet are "
        "marked.</p>"
        + html_table(["#", "Item", "Answer", "Source"], rows, cls="coreq")
        + "</section>"
    )
