"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched).

The page carries a Content-Security-Policy that forbids scripts, network requests and frames, so
even if a piece of study text slipped past the escaping in :mod:`~thematica.reports.html_sections`
a browser would refuse to run it; and nothing on the page is loaded from anywhere, so the file
opens offline and can be e-mailed or archived as it is.
"""

from __future__ import annotations

from thematica.reports.charts import text
from thematica.reports.data import ReportData
from thematica.reports.html_analyses import (
    agreement_section,
    cooccurrence_section,
    coreq_section,
    memos_section,
    methods_section,
    saturation_section,
)
from thematica.reports.html_sections import (
    codebook_section,
    framework_section,
    participants_section,
    summary_section,
    themes_section,
)
from thematica.reports.html_style import STYLE

__all__ = ["CONTENT_SECURITY_POLICY", "SECTIONS", "render_html"]

#: No scripts, no requests, no frames: styles and images only from the page itself.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)

#: The sections in page order: (anchor, title in the contents).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("participants", "Participants"),
    ("codebook", "Codebook"),
    ("themes", "Themes"),
    ("framework", "Framework matrix"),
    ("saturation", "Saturation"),
    ("agreement", "Agreement"),
    ("cooccurrence", "Co-occurrence"),
    ("methods", "Methods"),
    ("memos", "Memos"),
    ("coreq", "COREQ"),
)


def render_html(report: ReportData) -> str:
    """The report as one HTML document (a string)."""
    s = report.summary
    sections = [
        summary_section(report),
        participants_section(report),
        codebook_section(report),
        themes_section(report),
        framework_section(report),
        saturation_section(report),
        agreement_section(report),
        cooccurrence_section(report),
        methods_section(report),
        memos_section(report),
        coreq_section(report),
    ]
    toc = "".join(f'<a href="#{anchor}">{title}</a>' for anchor, title in SECTIONS)
    created = f" · study created {s.created_at:%Y-%m-%d}" if s.created_at else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{text(s.software)}">'
        f"<title>{text(s.heading)}: study report</title>"
        f"<style>{STYLE}</style></head><body>"
        f'<header class="report"><div class="inner"><h1>{text(s.heading)}</h1>'
        + (f'<p class="study-name">Study: {text(s.name)}</p>' if s.heading != s.name else "")
        + (f'<p class="team">Research team: {text(s.team)}</p>' if s.team else "")
        + f"<p>Study report · generated {s.generated_at:%Y-%m-%d %H:%M} UTC by "
        f"{text(s.software)}{created}</p></div></header>"
        f'<nav class="toc" aria-label="Contents">{toc}</nav>'
        f"<main>{''.join(sections)}</main>"
        "<footer>Every figure in this report is computed from the study's codings; the "
        "framework matrix (all passages) and the coded segments are in the XLSX, a "
        "participants-by-codes matrix for R or pandas in the CSV.</footer>"
        "</body></html>\n"
    )
