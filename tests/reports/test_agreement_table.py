"""The report's agreement table says why a figure is what it is: a code one coder never used,
an undefined statistic, bootstrap resamples left out, and which units were compared."""

from __future__ import annotations

import math
from dataclasses import replace

import lxml.html

from tests.reports.known_study import CODINGS
from thematica.reports.data import ReportData
from thematica.reports.html import render_html
from thematica.services.report import gather_report
from thematica.storage import Database


def _rows(report: ReportData) -> dict[str, list[str]]:
    page = lxml.html.fromstring(render_html(report))
    table = page.cssselect("#agreement table")[0]
    return {
        tr[0].text_content(): [td.text_content() for td in tr] for tr in table.cssselect("tbody tr")
    }


def test_a_code_one_coder_never_used_says_so_in_its_row(report: ReportData) -> None:
    # In the double-coded interviews (I1, I2) Sam never applied Support > Training; Robin did.
    robin = {c.document for c in CODINGS if c.code == "Support > Training" and c.coder == "Robin"}
    sam = {c.document for c in CODINGS if c.code == "Support > Training" and c.coder == "Sam"}
    assert robin & {"I1", "I2"} and not sam
    row = _rows(report)["Support > Training"]
    assert row[1] == "0.000"
    assert row[3] == "", "no verbal band for a figure that says nothing about agreement"
    assert row[-1].startswith(
        "Sam never applied this code in the units compared (applied by Robin in 2), so "
        "Cohen's kappa cannot show agreement on it"
    )


def test_undefined_values_print_undefined_with_the_reason(report: ReportData) -> None:
    assert report.agreement is not None
    first = report.agreement.rows[0]
    undefined = replace(
        first,
        value=math.nan,
        ci_low=math.nan,
        ci_high=math.nan,
        band=None,
        note="Cohen's kappa is undefined: every rating is in the same category",
        ci_note="",
    )
    changed = replace(report, agreement=replace(report.agreement, rows=(undefined,)))
    row = _rows(changed)[first.label]
    assert row[1] == "undefined" and row[2] == "–"
    assert row[-1] == "Cohen's kappa is undefined: every rating is in the same category"


def test_the_note_on_undefined_bootstrap_resamples_is_kept(report: ReportData) -> None:
    assert report.agreement is not None
    noted = [r for r in report.agreement.rows if r.ci_note]
    assert noted, "the known study's small codes make some resamples undefined"
    rows = _rows(report)
    for row in noted:
        assert "bootstrap replicates, which were left out of the interval" in row.ci_note
        assert row.ci_note in rows[row.label][-1]


def test_units_say_whether_interviewer_turns_were_compared(known_db: Database) -> None:
    included = gather_report(known_db).agreement
    left_out = gather_report(known_db, interviewer_turns="exclude").agreement
    assert included is not None and left_out is not None
    # Each interview is "Interviewer: Question n?" then the participant's answer, so the two
    # double-coded interviews hold as many interviewer turns as answers.
    questions = sum(1 for c in {(c.document, c.phrase) for c in CODINGS} if c[0] in {"I1", "I2"})
    assert included.units_note == f"interviewer turns included: {questions} speaker turns"
    assert left_out.units_note == f"interviewer turns left out: {questions} speaker turns"
    pooled_in, pooled_out = included.pooled, left_out.pooled
    assert pooled_in is not None and pooled_out is not None
    assert pooled_in.units == 2 * pooled_out.units == 2 * questions
    without = gather_report(known_db, interviewer_turns="exclude")
    assert "by speaker turn (interviewer turns left out: " in render_html(without)
    assert "by speaker turn, interviewer turns left out, " in without.methods
    assert "by speaker turn, interviewer turns included, " in gather_report(known_db).methods
