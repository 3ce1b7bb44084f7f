"""COREQ: the 32-item checklist for reporting qualitative research (Tong, Sainsbury and Craig,
*Int J Qual Health Care* 2007;19(6):349-357), in three domains.

Each item is answered either by the study record (what the team writes down about how the study
was done) or by the data itself (how many participants, coders, whether saturation was assessed,
which software). The report shows which items are answered and which still need an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["COREQ_ITEMS", "CoreqAnswer", "CoreqItem", "answer_coreq"]


@dataclass(frozen=True, slots=True)
class CoreqItem:
    number: int
    key: str
    domain: str
    section: str
    item: str
    guide: str


_TEAM = "Research team and reflexivity"
_DESIGN = "Study design"
_FINDINGS = "Analysis and findings"

COREQ_ITEMS: tuple[CoreqItem, ...] = tuple(
    CoreqItem(i + 1, key, domain, section, item, guide)
    for i, (key, domain, section, item, guide) in enumerate(
        [
            (
                "interviewer",
                _TEAM,
                "Personal characteristics",
                "Interviewer/facilitator",
                "Which author(s) conducted the interviews?",
            ),
            (
                "credentials",
                _TEAM,
                "Personal characteristics",
                "Credentials",
                "What were the researchers' credentials?",
            ),
            (
                "occupation",
                _TEAM,
                "Personal characteristics",
                "Occupation",
                "What was their occupation at the time of the study?",
            ),
            (
                "gender",
                _TEAM,
                "Personal characteristics",
                "Gender",
                "Was the researcher male or female?",
            ),
            (
                "experience",
                _TEAM,
                "Personal characteristics",
                "Experience and training",
                "What experience or training did the researcher have?",
            ),
            (
                "relationship",
                _TEAM,
                "Relationship with participants",
                "Relationship established",
                "Was a relationship established prior to study commencement?",
            ),
            (
                "participant_knowledge",
                _TEAM,
                "Relationship with participants",
                "Participant knowledge of the interviewer",
                "What did the participants know about the researcher?",
            ),
            (
                "interviewer_characteristics",
                _TEAM,
                "Relationship with participants",
                "Interviewer characteristics",
                "What characteristics were reported about the interviewer (bias, assumptions, "
                "reasons and interests in the topic)?",
            ),
            (
                "methodology",
                _DESIGN,
                "Theoretical framework",
                "Methodological orientation and theory",
                "What methodological orientation was stated to underpin the study?",
            ),
            (
                "sampling",
                _DESIGN,
                "Participant selection",
                "Sampling",
                "How were participants selected?",
            ),
            (
                "approach",
                _DESIGN,
                "Participant selection",
                "Method of approach",
                "How were participants approached?",
            ),
            (
                "sample_size",
                _DESIGN,
                "Participant selection",
                "Sample size",
                "How many participants were in the study?",
            ),
            (
                "non_participation",
                _DESIGN,
                "Participant selection",
                "Non-participation",
                "How many people refused to participate or dropped out, and why?",
            ),
            (
                "setting",
                _DESIGN,
                "Setting",
                "Setting of data collection",
                "Where was the data collected?",
            ),
            (
                "non_participants_present",
                _DESIGN,
                "Setting",
                "Presence of non-participants",
                "Was anyone else present besides the participants and researchers?",
            ),
            (
                "sample_description",
                _DESIGN,
                "Setting",
                "Description of sample",
                "What are the important characteristics of the sample?",
            ),
            (
                "interview_guide",
                _DESIGN,
                "Data collection",
                "Interview guide",
                "Were questions, prompts or guides provided by the authors? Was it pilot tested?",
            ),
            (
                "repeat_interviews",
                _DESIGN,
                "Data collection",
                "Repeat interviews",
                "Were repeat interviews carried out? If yes, how many?",
            ),
            (
                "recording",
                _DESIGN,
                "Data collection",
                "Audio/visual recording",
                "Did the research use audio or visual recording to collect the data?",
            ),
            (
                "field_notes",
                _DESIGN,
                "Data collection",
                "Field notes",
                "Were field notes made during and/or after the interview or focus group?",
            ),
            (
                "duration",
                _DESIGN,
                "Data collection",
                "Duration",
                "What was the duration of the interviews or focus group?",
            ),
            (
                "saturation",
                _DESIGN,
                "Data collection",
                "Data saturation",
                "Was data saturation discussed?",
            ),
            (
                "transcripts_returned",
                _DESIGN,
                "Data collection",
                "Transcripts returned",
                "Were transcripts returned to participants for comment and/or correction?",
            ),
            (
                "coders",
                _FINDINGS,
                "Data analysis",
                "Number of data coders",
                "How many data coders coded the data?",
            ),
            (
                "coding_tree",
                _FINDINGS,
                "Data analysis",
                "Description of the coding tree",
                "Did authors provide a description of the coding tree?",
            ),
            (
                "theme_derivation",
                _FINDINGS,
                "Data analysis",
                "Derivation of themes",
                "Were themes identified in advance or derived from the data?",
            ),
            (
                "software",
                _FINDINGS,
                "Data analysis",
                "Software",
                "What software, if applicable, was used to manage the data?",
            ),
            (
                "participant_checking",
                _FINDINGS,
                "Data analysis",
                "Participant checking",
                "Did participants provide feedback on the findings?",
            ),
            (
                "quotations",
                _FINDINGS,
                "Reporting",
                "Quotations presented",
                "Were participant quotations presented to illustrate the themes/findings? "
                "Was each quotation identified?",
            ),
            (
                "consistency",
                _FINDINGS,
                "Reporting",
                "Data and findings consistent",
                "Was there consistency between the data presented and the findings?",
            ),
            (
                "major_themes",
                _FINDINGS,
                "Reporting",
                "Clarity of major themes",
                "Were major themes clearly presented in the findings?",
            ),
            (
                "minor_themes",
                _FINDINGS,
                "Reporting",
                "Clarity of minor themes",
                "Is there a description of diverse cases or discussion of minor themes?",
            ),
        ]
    )
)

assert len(COREQ_ITEMS) == 32


@dataclass(frozen=True, slots=True)
class CoreqAnswer:
    item: CoreqItem
    answer: str
    source: str  # "study record", "from the data", or "" when unanswered

    @property
    def answered(self) -> bool:
        return bool(self.answer.strip())


def answer_coreq(record: Mapping[str, str], derived: Mapping[str, str]) -> list[CoreqAnswer]:
    """Each COREQ item with its answer: the study record wins over what the data says."""
    answers = []
    for item in COREQ_ITEMS:
        written = record.get(item.key, "").strip()
        if written:
            answers.append(CoreqAnswer(item, written, "study record"))
        elif derived.get(item.key, "").strip():
            answers.append(CoreqAnswer(item, derived[item.key].strip(), "from the data"))
        else:
            answers.append(CoreqAnswer(item, "", ""))
    return answers
