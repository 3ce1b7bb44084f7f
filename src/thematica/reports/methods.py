"""The methods paragraph and the COREQ answers that the data can give by itself.

The study record is what the team writes down about how the study was done (who interviewed,
how participants were sampled, where); the data knows the rest (how many participants and
coders, the codebook, whether saturation was assessed). :func:`methods_paragraph` writes a draft
methods paragraph from both, putting a bracketed ``[to record: ...]`` where the record has no
answer yet so the gap is visible rather than papered over. :func:`derived_coreq` gives the COREQ
items the data answers; the record's own answer always wins (:func:`~thematica.domain.coreq.
answer_coreq`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from thematica.analysis.participants_table import ParticipantsTable
from thematica.analysis.quotes import QuoteBank
from thematica.analysis.saturation import SaturationResult
from thematica.reports.data import AgreementSummary, CodebookEntry, StudySummary

__all__ = ["derived_coreq", "methods_paragraph", "missing"]


def missing(item: str) -> str:
    """The placeholder printed where the study record has no answer to ``item``."""
    return f"[to record: {item}]"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _agreement_sentence(agreement: AgreementSummary | None) -> str:
    if agreement is None:
        return "No transcript was coded by two coders, so intercoder agreement was not measured."
    pooled = agreement.pooled or (agreement.rows[0] if agreement.rows else None)
    figure = ""
    if pooled is not None and pooled.value == pooled.value:  # not NaN
        figure = f" ({agreement.statistic} = {pooled.value:.2f}, by {agreement.unit}"
        figure += f", {pooled.band})" if pooled.band else ")"
    return (
        f"{_plural(len(agreement.documents), 'transcript')} "
        f"{'was' if len(agreement.documents) == 1 else 'were'} coded independently by "
        f"{' and '.join(agreement.coders)} to measure intercoder agreement{figure}."
    )


def methods_paragraph(
    record: Mapping[str, str],
    summary: StudySummary,
    saturation: SaturationResult,
    agreement: AgreementSummary | None,
    themes: Sequence[str],
) -> str:
    """A draft methods paragraph: the record's words, the data's figures, gaps marked."""

    def said(key: str, label: str) -> str:
        value = record.get(key, "").strip()
        return value if value else missing(label)

    parts = [
        _sentence(said("aim", "the study's aim")),
        f"We interviewed {_plural(summary.participants, 'participant')} "
        f"({_plural(summary.documents, 'transcript')}); sampling: "
        f"{_sentence(said('sampling', 'how participants were sampled'))}",
        f"Interviews were conducted by {_sentence(said('interviewer', 'who interviewed'))}",
        f"Setting: {_sentence(said('setting', 'where the data were collected'))}",
        f"Analysis: {_sentence(said('analysis_approach', 'how the analysis was done'))}",
        f"Coding was done in {summary.software} by "
        f"{_plural(len(summary.coders), 'coder')} ({', '.join(summary.coders) or 'none yet'}) "
        f"with a codebook of {_plural(summary.codes, 'code')} in "
        f"{_plural(len(themes), 'theme')}; {summary.coverage.share * 100:.0f}% of the "
        "transcribed text was coded."
        if summary.coverage.characters
        else f"Coding was done in {summary.software}.",
        _agreement_sentence(agreement),
        f"Code saturation: {saturation.verdict}",
    ]
    return " ".join(part.strip() for part in parts)


def derived_coreq(
    summary: StudySummary,
    table: ParticipantsTable,
    codebook: Sequence[CodebookEntry],
    themes: Sequence[str],
    saturation: SaturationResult,
    agreement: AgreementSummary | None,
    quotes: QuoteBank,
) -> dict[str, str]:
    """The COREQ items (by key) that the study's data answers, worded for the checklist."""
    answers: dict[str, str] = {}
    if summary.participants:
        answers["sample_size"] = f"{_plural(summary.participants, 'participant')}."
    if table.blocks:
        names = ", ".join(block.attribute.replace("_", " ") for block in table.blocks)
        answers["sample_description"] = f"Participant characteristics table: {names}."
    if summary.coders:
        answers["coders"] = (
            f"{_plural(len(summary.coders), 'coder')} ({', '.join(summary.coders)}); "
            f"{summary.double_coded} of {summary.documents} transcripts double-coded."
        )
    if codebook:
        sub = sum(1 for entry in codebook if entry.depth > 0)
        answers["coding_tree"] = (
            f"Codebook of {_plural(len(codebook), 'code')}: {_plural(len(themes), 'theme')} "
            f"and {_plural(sub, 'sub-code')}, with definitions (see the codebook section)."
        )
    if themes:
        answers["major_themes"] = "; ".join(themes) + "."
    sub_codes = [entry.path for entry in codebook if entry.depth > 0]
    if sub_codes:
        answers["minor_themes"] = f"{_plural(len(sub_codes), 'sub-code')} under the themes."
    if saturation.steps:
        answers["saturation"] = saturation.verdict
    answers["software"] = f"{summary.software}."
    chosen = sum(len(found) for found in quotes.quotes.values())
    if chosen:
        answers["quotations"] = (
            f"{_plural(chosen, 'quotation')} chosen by the quote bank, each identified by "
            "pseudonym and participant attributes."
        )
    if agreement is not None:
        answers["consistency"] = _agreement_sentence(agreement)
    return answers
