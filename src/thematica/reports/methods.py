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
from thematica.reports.data import AgreementSummary, CodebookEntry, StudySummary, listed

__all__ = ["derived_coreq", "methods_paragraph", "missing"]


def missing(item: str) -> str:
    """The placeholder printed where the study record has no answer to ``item``."""
    return f"[to record: {item}]"


def _sentence(text: str) -> str:
    """``text`` as one or more sentences: white space collapsed, a first capital, a full stop
    unless it already ends a sentence."""
    text = " ".join(text.split())
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "!", "?", "]")) else f"{text}."


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _agreement_sentence(agreement: AgreementSummary | None) -> str:
    if agreement is None:
        return "No transcript was coded by two coders, so intercoder agreement was not measured."
    pooled = agreement.pooled or (agreement.rows[0] if agreement.rows else None)
    figure = ""
    if pooled is not None and pooled.value == pooled.value:  # not NaN
        figure = f" ({agreement.statistic} = {pooled.value:.2f}, by {agreement.unit}"
        if agreement.interviewer_turns:
            figure += f", interviewer turns {agreement.interviewer_turns}"
        figure += f", {pooled.band})" if pooled.band else ")"
    return (
        f"Intercoder agreement was measured on {_plural(len(agreement.documents), 'transcript')} "
        f"coded independently by {listed(agreement.coders)}{figure}."
    )


def _labelled(label: str, value: str, gap: str) -> str:
    """``Label: the record's words.``, or the label and the gap marked."""
    return f"{label}: {_sentence(value) if value.strip() else missing(gap)}"


def _coding_sentence(summary: StudySummary, themes: Sequence[str]) -> str:
    if not summary.coders:
        return f"No coding has been done yet in {summary.software}."
    coders = f"{_plural(len(summary.coders), 'coder')} ({listed(summary.coders)})"
    book = f"a codebook of {_plural(summary.codes, 'code')} in {_plural(len(themes), 'theme')}"
    coded = (
        f"; {summary.coverage.share * 100:.0f}% of the transcribed text was coded"
        if summary.coverage.characters
        else ""
    )
    return f"Coding was done in {summary.software} by {coders} with {book}{coded}."


def methods_paragraph(
    record: Mapping[str, str],
    summary: StudySummary,
    saturation: SaturationResult,
    agreement: AgreementSummary | None,
    themes: Sequence[str],
) -> str:
    """A draft methods paragraph: the record's words, the data's figures, gaps marked.

    The record's answers are placed after a label ("Sampling: ..."), never inside a sentence
    of ours, so the paragraph stays grammatical whatever a team wrote: a phrase or whole
    sentences, with or without a full stop.
    """
    team = record.get("team", "").strip()
    interviews = (
        f"We interviewed {_plural(summary.participants, 'participant')} "
        f"({_plural(summary.documents, 'transcript')})."
        if summary.participants
        else f"No participant has been recorded yet ({_plural(summary.documents, 'transcript')})."
    )
    parts = [
        _labelled("Aim", record.get("aim", ""), "the study's aim"),
        *([_labelled("Research team", team, "")] if team else []),
        interviews,
        _labelled("Sampling", record.get("sampling", ""), "how participants were sampled"),
        _labelled("Interviewers", record.get("interviewer", ""), "who interviewed"),
        _labelled("Setting", record.get("setting", ""), "where the data were collected"),
        _labelled("Analysis", record.get("analysis_approach", ""), "how the analysis was done"),
        _coding_sentence(summary, themes),
        _agreement_sentence(agreement),
        _labelled("Code saturation", saturation.verdict, "whether saturation was assessed"),
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
        names = ", ".join(block.name for block in table.blocks)
        answers["sample_description"] = f"Participant characteristics table: {names}."
    if summary.coders:
        answers["coders"] = (
            f"{_plural(len(summary.coders), 'coder')} ({listed(summary.coders)}); "
            f"{summary.double_coded} of {_plural(summary.documents, 'transcript')} double-coded."
        )
        if agreement is not None:
            answers["coders"] += " " + _agreement_sentence(agreement)
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
    if chosen or summary.codings:
        # Item 30 asks whether the data presented bear out the findings: traceability, not an
        # agreement statistic (agreement is about coding, items 24 and 27).
        answers["consistency"] = (
            "Every count, quotation and framework cell in this report is computed from the "
            f"coded passages ({_plural(summary.codings, 'coding')}); each quotation names its "
            "participant and transcript, and the coded segments are listed in full in the XLSX "
            "workbook."
        )
    return answers
