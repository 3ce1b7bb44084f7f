"""A small study built through the services, whose every coding the tests can see.

Three participants (one holding two contract types, as in the published study's Table 1), six
interviews (two each, in import order I1..I6), two themes with sub-codes, two coders (Sam
double-codes I1 and I2), codings with valences, a framework summary and two study-record
answers. Some of the text is hostile on purpose: a transcript holding markup and script, a
formula at the start of a passage, a pseudonym and a summary holding HTML. Tests compute what
the report should say from :data:`CODINGS` (and :data:`LAYER`, the passages the analyses read)
directly, not from the analyses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from thematica.services.codebook import add_code
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.participants import add_participant
from thematica.services.studies import create_study
from thematica.services.study_record import set_study_record, write_summary
from thematica.storage import Database

STUDY = "Known study"
HOSTILE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
FORMULA = '=HYPERLINK("http://example.invalid","click")'

PARTICIPANTS = {
    "P1": ("Ana <b>A</b>", {"setting": "NHS", "contract": ["Permanent", "Fixed term"]}),
    "P2": ("Ben", {"setting": "VCFSE", "contract": "Permanent"}),
    "P3": ("Cal", {"setting": "NHS", "contract": "Fixed term"}),
}
CODES = {
    "Support": "Support in the role.",
    "Support > Supervision": "Supervision, present or missing.",
    "Support > Training": "Training for the job.",
    "Pay": "Pay & <conditions>.",
}

#: Interviews in order: (name, participant, [(speaker, words)]).
INTERVIEWS = [
    ("I1", "P1", ["my supervisor listens every week", "the pay is low and I worry", HOSTILE]),
    ("I2", "P2", ["supervision was cancelled again", "the training course was eight days"]),
    ("I3", "P3", ["nobody trained me at all", "my supervisor listens sometimes"]),
    ("I4", "P1", ["support from the team lead", FORMULA]),
    ("I5", "P2", ["the pay went up this year", "supervision helps me cope"]),
    ("I6", "P3", ["the pay is low here too", "training was generic"]),
]


@dataclass(frozen=True)
class Spec:
    """One coding as the tests see it: the phrase coded, in which interview, and how."""

    document: str
    phrase: str
    code: str
    coder: str
    valence: str | None

    @property
    def participant(self) -> str:
        return next(p for name, p, _ in INTERVIEWS if name == self.document)

    @property
    def theme(self) -> str:
        return self.code.split(" > ")[0]


CODINGS = [
    Spec("I1", "my supervisor listens every week", "Support > Supervision", "Robin", "facilitator"),
    Spec("I1", "my supervisor listens every week", "Support > Supervision", "Sam", "facilitator"),
    Spec("I1", "the pay is low and I worry", "Pay", "Robin", "barrier"),
    Spec("I1", "the pay is low and I worry", "Pay", "Sam", "barrier"),
    Spec("I1", HOSTILE, "Support > Training", "Robin", "mixed"),
    Spec("I2", "supervision was cancelled again", "Support > Supervision", "Robin", "barrier"),
    Spec("I2", "supervision was cancelled again", "Support > Supervision", "Sam", "barrier"),
    Spec("I2", "the training course was eight days", "Support > Training", "Robin", "facilitator"),
    Spec("I3", "nobody trained me at all", "Support > Training", "Robin", "barrier"),
    Spec("I3", "my supervisor listens sometimes", "Support > Supervision", "Robin", "mixed"),
    Spec("I4", "support from the team lead", "Support", "Robin", "facilitator"),
    Spec("I4", FORMULA, "Pay", "Robin", None),
    Spec("I5", "the pay went up this year", "Pay", "Robin", "facilitator"),
    Spec("I5", "supervision helps me cope", "Support > Supervision", "Robin", "facilitator"),
    Spec("I6", "the pay is low here too", "Pay", "Robin", "barrier"),
    Spec("I6", "training was generic", "Support > Training", "Robin", "barrier"),
]

#: The analysis layer the report reads (no round was resolved, no coder chosen): the union of
#: the coders, each passage once. Sam's codings cover exactly Robin's passages, with the same
#: valence, so the union is Robin's passages under the union's name.
LAYER = list(
    {(c.document, c.phrase, c.code): replace(c, coder="union of coders") for c in CODINGS}.values()
)

SUMMARY = ("P1", "Support > Supervision", "Values <em>weekly</em> supervision.", "Robin")
RECORD = {"aim": "To understand support <at work>.", "sampling": "Purposive, across settings."}


def transcript(turns: list[str]) -> str:
    return "".join(
        f"Interviewer: Question {i + 1}?\n\nParticipant: {words}\n\n"
        for i, words in enumerate(turns)
    )


def build(db: Database) -> str:
    """Build the known study into ``db``; returns its name."""
    create_study(db, STUDY, template="blank", actor="tester")
    for path, definition in CODES.items():
        add_code(db, path, study=STUDY, actor="tester", definition=definition)
    for label, (pseudonym, attributes) in PARTICIPANTS.items():
        add_participant(
            db, label, study=STUDY, pseudonym=pseudonym, attributes=attributes, actor="tester"
        )
    texts = {}
    for name, participant, turns in INTERVIEWS:
        texts[name] = transcript(turns)
        add_text(db, name, texts[name], study=STUDY, participant=participant, actor="tester")
    requests = []
    for spec in CODINGS:
        start = texts[spec.document].index(spec.phrase)
        requests.append(
            CodingRequest(
                spec.document, start, start + len(spec.phrase), spec.code, spec.coder, spec.valence
            )
        )
    apply_codings(db, requests, study=STUDY, actor="tester")
    participant, code, text, author = SUMMARY
    write_summary(db, participant, code, text, author=author, study=STUDY)
    for item, value in RECORD.items():
        set_study_record(db, item, value, study=STUDY, actor="tester")
    return STUDY
