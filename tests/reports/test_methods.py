"""The draft methods paragraph stays grammatical for any study record and any counts, and the
COREQ answers the data gives are the right ones (item 30 is not answered with kappa)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thematica.reports.data import AgreementFigure, AgreementSummary, ReportData
from thematica.reports.methods import derived_coreq, methods_paragraph

#: Answers a team might write: empty, a bare phrase, a sentence, sentences, odd spacing.
ANSWERS = st.sampled_from(
    [
        "",
        "   ",
        "one researcher",
        "One researcher conducted all interviews online",
        "One researcher conducted all interviews online.",
        "two peer researchers (lived experience) and an academic; all interviews by phone",
        "Purposive.  Then snowball sampling!",
        "Was it online? Yes.",
        "the study team [see protocol]",
    ]
)
ITEMS = ("aim", "team", "sampling", "interviewer", "setting", "analysis_approach")
COUNTS = st.sampled_from([0, 1, 2, 12])
CODERS = st.sampled_from([(), ("Robin",), ("Robin", "Sam"), ("Robin", "Sam", "Ade")])


def _agreement(documents: int, coders: tuple[str, ...]) -> AgreementSummary | None:
    if documents == 0 or len(coders) < 2:
        return None
    row = AgreementFigure("all codes (pooled)", 0.61, 0.5, 0.7, "substantial", 40, pooled=True)
    return AgreementSummary(
        "Cohen's kappa", "speaker turn", coders, tuple(f"T{i}" for i in range(documents)), 0.95,
        (row,),
    )  # fmt: skip


def _problems(paragraph: str, record: dict[str, str]) -> list[str]:
    """What would make the paragraph ungrammatical or dishonest, named."""
    found = []
    for pattern, what in (
        (r"\b1 (participants|transcripts|coders|codes|themes|codings)\b", "1 with a plural"),
        (r"\b(0|[2-9]|\d\d+) (participant|transcript|coder|code|theme)\b(?![-\w])", "plural"),
        (r"\.\.|\?\.|!\.|\s[.,;:]", "doubled or loose punctuation"),
        (r"\(\)|\( |\bNone\b|\bby \(|, \)", "an empty part"),
        (r"[a-z,] [A-Z][a-z]+ researcher", "a record's sentence inside one of ours"),
    ):
        if re.search(pattern, paragraph):
            found.append(what)
    # Every sentence starts with a capital letter (or a marked gap).
    for sentence in re.split(r"(?<=[.!?])\s+", paragraph):
        if sentence and not (sentence[0].isupper() or sentence.startswith("[")):
            found.append(f"sentence without a capital: {sentence[:30]!r}")
    # The team's words are there (the first letter capitalised); a blank answer is a marked gap
    # or left out.
    for item in ITEMS:
        words = " ".join(record[item].split()).rstrip(".!?")
        if words and words[0].upper() + words[1:] not in paragraph:
            found.append(f"{item} missing")
    return found


class Known:
    """The parts of the known study's report the paragraph reads (a short repr for
    hypothesis's reports)."""

    def __init__(self, report: ReportData) -> None:
        self.summary, self.saturation, self.themes = (
            report.summary,
            report.saturation,
            report.themes,
        )

    def __repr__(self) -> str:
        return "Known(the known study)"


@pytest.fixture(scope="module")
def known(report: ReportData) -> Known:
    return Known(report)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record=st.fixed_dictionaries({item: ANSWERS for item in ITEMS}),
    participants=COUNTS,
    documents=COUNTS,
    coders=CODERS,
    double=COUNTS,
)
def test_methods_paragraph_is_grammatical_for_any_record(
    known: Known,
    record: dict[str, str],
    participants: int,
    documents: int,
    coders: tuple[str, ...],
    double: int,
) -> None:
    summary = replace(known.summary, participants=participants, documents=documents, coders=coders)
    paragraph = methods_paragraph(
        record, summary, known.saturation, _agreement(double, coders), known.themes
    )
    assert _problems(paragraph, record) == [], paragraph
    assert "conducted by One researcher" not in paragraph
    gaps = re.findall(r"\[to record: [^\]]+\]", paragraph)
    blank = [i for i in ITEMS if i != "team" and not record[i].strip()]
    assert len(gaps) == len(blank)


def test_the_issues_example_reads_as_written(report: ReportData) -> None:
    record = {"interviewer": "One researcher conducted all interviews online."}
    paragraph = methods_paragraph(record, report.summary, report.saturation, None, report.themes)
    assert "Interviewers: One researcher conducted all interviews online." in paragraph
    one = replace(report.summary, participants=1, documents=1, coders=("Robin",))
    paragraph = methods_paragraph({}, one, report.saturation, None, report.themes)
    assert "We interviewed 1 participant (1 transcript)." in paragraph
    assert "by 1 coder (Robin)" in paragraph


def test_coreq_item_30_is_traceability_not_kappa(report: ReportData) -> None:
    assert report.agreement is not None  # the known study is double-coded
    answers = derived_coreq(
        report.summary,
        report.participants_table,
        report.codebook,
        report.themes,
        report.saturation,
        report.agreement,
        report.quotes,
    )
    consistency = answers["consistency"]
    assert report.agreement.statistic not in consistency
    assert "kappa" not in consistency.casefold() and "agreement" not in consistency.casefold()
    assert f"{report.summary.codings} codings" in consistency
    # Agreement answers the item about coders (24) instead.
    assert report.agreement.statistic in answers["coders"]
    item = next(a for a in report.coreq if a.item.key == "consistency")
    assert item.item.number == 30 and item.answer == consistency
