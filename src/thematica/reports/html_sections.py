"""The study sections of the HTML report (summary, participants, codebook, themes, framework
matrix), each a function of the report data returning HTML.

Every piece of study text (names, definitions, passages, attributes, summaries, the study
record) goes through :func:`~thematica.reports.charts.text`, which escapes it: transcripts may
hold anything, including markup and script, and the report must show it, never run it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from thematica.analysis.framework import FrameworkCell
from thematica.analysis.frequencies import Coverage
from thematica.analysis.quotes import Quote
from thematica.analysis.valence import ValenceRow
from thematica.reports.charts import (
    PALETTE,
    text,
    valence_chart,
)
from thematica.reports.data import (
    ReportData,
    cell_quotes,
    column_heading,
    figure,
    table1_heading,
    table1_rows,
)

__all__ = [
    "code_numbers",
    "codebook_section",
    "framework_section",
    "html_table",
    "number_cell",
    "participants_section",
    "summary_section",
    "theme_colours",
    "themes_section",
]

#: How many linked passages a framework cell shows on the page (the XLSX has them all).
PASSAGES_PER_CELL = 5


def html_table(
    headers: Sequence[str], rows: Iterable[str], *, cls: str = "", numeric: int = 0
) -> str:
    """A table in a sideways-scrolling box; the last ``numeric`` columns are right-aligned."""
    cells = "".join(
        f'<th scope="col"{" class=num" if i >= len(headers) - numeric else ""}>{text(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(rows)
    klass = f' class="{cls}"' if cls else ""
    return (
        f'<div class="scroll"><table{klass}><thead><tr>{cells}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def number_cell(value: object) -> str:
    return f'<td class="num">{text(value)}</td>'


def theme_colours(report: ReportData) -> dict[str, str]:
    """A colour per code: the theme's own colour from the codebook, else the palette's."""
    colours: dict[str, str] = {}
    for i, theme in enumerate(report.themes):
        entry = report.entry(theme)
        colour = entry.colour if entry and entry.colour else PALETTE[i % len(PALETTE)]
        for code in report.codes_of(theme):
            colours[code.path] = colour
    return colours


def code_numbers(report: ReportData) -> dict[str, int]:
    """Codes numbered 1.. in codebook order, as the network and its legend label them."""
    return {entry.path: i for i, entry in enumerate(report.codebook, start=1)}


def summary_section(report: ReportData) -> str:
    s = report.summary
    figures = [
        (s.participants, "participants"),
        (s.documents, "transcripts"),
        (s.themes, "themes"),
        (s.codes, "codes"),
        (len(s.coders), "coders"),
        (s.codings, "codings"),
        (
            figure(s.coverage.share * 100, 0, "%"),
            "of the text coded",
        ),
        (s.double_coded, "transcripts double-coded"),
    ]
    items = "".join(f"<li><b>{text(v)}</b>{text(label)}</li>" for v, label in figures)
    return (
        '<section id="summary"><h2>Study summary</h2>'
        + "".join(f'<p class="flag warning">{text(w)}</p>' for w in report.warnings)
        + (f"<p>{text(s.description)}</p>" if s.description else "")
        + f'<ul class="figures">{items}</ul>'
        + f'<p class="note">Coders: {text(", ".join(s.coders) or "none yet")}. Codings are '
        "counted in the analysis layer (see Methods): the consensus of a closed double-coding "
        "round for its transcripts, otherwise the coders' codings with each passage counted "
        "once, so an agreed passage is never counted once per coder.</p>"
        + _coverage(report)
        + "</section>"
    )


def _share(coverage: Coverage) -> str:
    return figure(coverage.share * 100, 1, "%")


def _coverage(report: ReportData) -> str:
    """Codings and the share of text coded, by coder and by the attribute the report splits by."""
    found = report.coverage
    if found is None or not found.coders:
        return ""
    codings: dict[str, int] = {}
    for frequency in report.frequencies:
        for coder, n in frequency.by_coder.items():
            codings[coder] = codings.get(coder, 0) + n
    rows = [
        f"<tr><td>{text(coder)}</td>{number_cell(codings.get(coder, 0))}"
        f'<td class="num">{_share(share)}</td></tr>'
        for coder, share in found.coders.items()
    ]
    parts = [
        "<h3>Frequencies and coverage</h3>",
        '<p class="note">By where the analysis layer takes each transcript\'s codings from. Share '
        "of text coded counts overlapping codings once, of the transcripts each source covers.</p>",
        html_table(["Source", "Codings", "Text coded"], rows, cls="by-coder", numeric=2),
    ]
    if found.groups:
        attribute = (report.valence.attribute or "group").replace("_", " ")
        parts.append(
            html_table(
                [attribute.capitalize(), "Text coded"],
                [
                    f'<tr><td>{text(value)}</td><td class="num">{_share(share)}</td></tr>'
                    for value, share in found.groups.items()
                ],
                cls="by-attribute",
                numeric=1,
            )
        )
    return "".join(parts)


def participants_section(report: ReportData) -> str:
    table = report.participants_table
    if not table.blocks:
        body = '<p class="note">No participant attributes recorded yet.</p>'
        return f'<section id="participants"><h2>Participants (Table 1)</h2>{body}</section>'
    rows: list[str] = []
    flags: list[str] = []
    for block in table.blocks:
        name = block.name
        rows.append(f'<tr class="block"><th colspan="3" scope="rowgroup">{text(name)}</th></tr>')
        for row, count, percent in table1_rows(block):
            rows.append(
                f'<tr><td>{text(row)}</td>{number_cell(count)}<td class="num">{percent}</td></tr>'
            )
        if block.note:
            rows.append(
                f'<tr><td colspan="3"><div class="flag" data-block="{text(block.attribute)}">'
                f"⚠ {text(name)}: {text(block.note)}</div></td></tr>"
            )
            flags.append(name)
    note = (
        f'<p class="note">{text(table1_heading(table))} Attributes can hold several '
        "values, so a block need not sum to N; blocks that do not are flagged"
        + (f" ({text(', '.join(flags))})" if flags else "")
        + ", never hidden.</p>"
    )
    return (
        '<section id="participants" class="major"><h2>Participants (Table 1)</h2>'
        + note
        + html_table(["Characteristic", "n", "%"], rows, cls="table1", numeric=2)
        + "</section>"
    )


def codebook_section(report: ReportData) -> str:
    rows = []
    for entry in report.codebook:
        details = "".join(
            f"<div><b>{label}:</b> {text(value)}</div>"
            for label, value in (
                ("Include", entry.inclusion),
                ("Exclude", entry.exclusion),
                ("Example", entry.example),
            )
            if value
        )
        indent = "&nbsp;&nbsp;&nbsp;&nbsp;" * entry.depth
        name = f"<b>{text(entry.name)}</b>" if entry.depth == 0 else text(entry.name)
        rows.append(
            f"<tr><td>{indent}{name}</td><td>{text(entry.definition)}{details}</td>"
            f"{number_cell(entry.codings)}{number_cell(entry.participants)}</tr>"
        )
    return (
        '<section id="codebook" class="major"><h2>Codebook</h2>'
        + html_table(["Code", "Definition", "Codings", "Participants"], rows, numeric=2)
        + "</section>"
    )


def _valence_cells(row: ValenceRow, size: int) -> str:
    return "".join(
        f'<td class="num">{getattr(row, kind)} <span class="muted">/ {size}</span></td>'
        for kind in ("barrier", "facilitator", "mixed")
    )


def _valences(report: ReportData) -> dict[tuple[str, int, int, str], set[str]]:
    """The valences coders gave each coded span, so a quote can say how it reads."""
    found: dict[tuple[str, int, int, str], set[str]] = {}
    for s in report.segments:
        if s.valence is not None:
            found.setdefault((s.document, s.start, s.end, s.code), set()).add(str(s.valence))
    return found


def _quote(quote: Quote, attributes: Sequence[str], valences: set[str]) -> str:
    agreement = f"{len(quote.coders)} of {quote.document_coders} coders"
    pills = "".join(
        f' <span class="pill {kind}">{kind}</span>'
        for kind in ("barrier", "facilitator", "mixed")
        if kind in valences
    )
    return (
        f"<blockquote>{text(quote.text)}<cite>— {text(quote.attribution(attributes))} "
        f"({text(quote.document)}; {agreement}){pills}</cite></blockquote>"
    )


def _short(row: ValenceRow) -> str:
    """A valence row's label: the theme in bold, a sub-code by its own name."""
    if row.code is None:
        return f"<b>{text(row.theme)}</b>"
    return text(row.code.split(" > ", 1)[1] if " > " in row.code else row.code)


def _by_codebook(report: ReportData, rows: Sequence[ValenceRow]) -> list[ValenceRow]:
    order = {theme: i for i, theme in enumerate(report.themes)}
    return sorted(rows, key=lambda r: order.get(r.theme, len(order)))


def themes_section(report: ReportData) -> str:
    table = report.valence
    n = table.group_sizes.get(None, 0)
    overall = valence_chart(_by_codebook(report, table.themes()), n)
    parts = [
        '<section id="themes" class="major"><h2>Themes: barriers and facilitators</h2>',
        '<p class="note">Numbers are distinct participants out of N; a participant can raise a '
        "theme both as a barrier and as a facilitator, so the bars of a theme can add up to more "
        "than the participants who raised it.</p>",
        f'<figure class="chart-box">{overall}<figcaption>Participants raising each theme as '
        f"a barrier, a facilitator or mixed (N = {n}).</figcaption></figure>",
    ]
    if table.groups:
        heads = ["Theme"] + [
            f"{g} (n = {table.group_sizes.get(g, 0)}): barrier / facilitator / mixed"
            for g in table.groups
        ]
        rows = []
        for theme_row in _by_codebook(report, table.themes()):
            cells = "".join(
                f'<td class="num">{r.barrier} / {r.facilitator} / {r.mixed}</td>'
                for r in (table.row(theme_row.theme, group=g) for g in table.groups)
            )
            rows.append(f"<tr><td>{text(theme_row.theme)}</td>{cells}</tr>")
        attribute = (table.attribute or "").replace("_", " ")
        parts.append(f"<h3>By {text(attribute)}</h3>")
        parts.append(html_table(heads, rows, cls="by-group", numeric=len(table.groups)))
    colours = theme_colours(report)
    valences = _valences(report)
    for theme in report.themes:
        entry = report.entry(theme)
        theme_rows = report.valence_rows(theme)
        colour = colours.get(theme, PALETTE[0])
        parts.append(
            f'<div class="theme" data-theme="{text(theme)}"><h3><span class="swatch" '
            f'style="background:{text(colour)}"></span>{text(theme)}</h3>'
        )
        if entry and entry.definition:
            parts.append(f"<p>{text(entry.definition)}</p>")
        if theme_rows:
            body = [
                f"<tr><td>{_short(r)}</td>{number_cell(r.participants)}"
                f"{_valence_cells(r, n)}{number_cell(r.codings)}</tr>"
                for r in theme_rows
            ]
            parts.append(
                html_table(
                    ["Code", "Participants", "Barrier", "Facilitator", "Mixed", "Codings"],
                    body,
                    cls="valence",
                    numeric=5,
                )
            )
        else:
            parts.append('<p class="note">Not coded yet.</p>')
        for code in report.codes_of(theme):
            chosen = report.quotes.quotes.get(code.path, ())
            if chosen:
                parts.append(f"<h4>{text(code.name)}</h4>")
                parts.extend(
                    _quote(
                        q,
                        report.quote_attributes,
                        valences.get((q.document, q.start, q.end, q.code), set()),
                    )
                    for q in chosen
                )
        parts.append("</div>")
    parts.append("</section>")
    return "".join(parts)


def _cell(report: ReportData, cell: FrameworkCell) -> str:
    if cell.is_empty:
        return '<td class="empty"></td>'
    parts = [f'<td><span class="count">{cell.codings}</span> coding(s)']
    if cell.summary:
        parts.append(f'<span class="summary">{text(cell.summary)}</span>')
        note = report.summary_notes.get((cell.participant, cell.column))
        if note:
            parts.append(
                f'<span class="by">{text(note.author)}, {note.updated_at:%Y-%m-%d %H:%M}</span>'
            )
    shown, total = cell_quotes(cell, PASSAGES_PER_CELL)
    if shown:
        more = total - len(shown)
        parts.append(
            "".join(
                f'<q class="passage">{text(q.text)}</q><cite>{text(q.document)}, '
                f"{text(', '.join(q.coders))}</cite>"
                for q in shown
            )
        )
        if more:
            parts.append(f'<p class="note">and {more} more passage(s) (see the XLSX)</p>')
    parts.append("</td>")
    return "".join(parts)


def framework_section(report: ReportData) -> str:
    matrix = report.framework
    parts = [
        '<section id="framework" class="major"><h2>Framework matrix</h2>',
        '<p class="note">The Framework Method (Gale et al. 2013): participants (rows) by codes '
        "(columns), one chart per theme. Each cell gives the number of codings, the summary a "
        "researcher charted (with who wrote it and when) and a short quote from each passage it "
        "rests on, once per passage, with its transcript and coders.</p>",
    ]
    if matrix.groups:
        order = [(g.value, g.participants) for g in matrix.groups]
        parts.append(
            f'<p class="note">Rows grouped by {text((matrix.group_by or "").replace("_", " "))}'
            "; a participant holding two values appears in both groups.</p>"
        )
    else:
        order = [("", matrix.participants)]
    for theme in report.themes:
        shown = report.chart_columns(theme, used=True)
        if not shown:
            continue
        heads = ["Participant", *(column_heading(c) for c in shown)]
        rows = []
        for value, members in order:
            if value:
                rows.append(
                    f'<tr class="group"><th colspan="{len(shown) + 1}">{text(value)} '
                    f"({len(members)})</th></tr>"
                )
            for label in members:
                cells = "".join(_cell(report, matrix.cell(label, c)) for c in shown)
                rows.append(f'<tr><th scope="row">{text(label)}</th>{cells}</tr>')
        parts.append(f"<h3>{text(theme)}</h3>")
        parts.append(html_table(heads, rows, cls="matrix"))
    if matrix.unassigned:
        parts.append(
            f'<p class="note">{matrix.unassigned} coding(s) are on transcripts with no '
            "participant and are not charted.</p>"
        )
    parts.append("</section>")
    return "".join(parts)
