"""The fictional demo study, built end to end from ``examples/peer-support-demo/``.

Everything in that folder is fictional and says so. The demo goes through the same services a
researcher's commands do: create the study from the ``peer-support`` template, import the
participants sheet, import the transcripts (each linked to its participant), de-identify them
through the review step with the pre-decided ``deid-decisions.csv``, open a blind
double-coding round, apply two fictional coders' codings (given as quotes and located in the
text here), close the round so its disagreements are listed for consensus, and write the
fictional study record and a few framework summaries that the report shows.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from thematica.domain.text import Span
from thematica.errors import InvalidInputError, NotFoundError
from thematica.interchange.tables import read_quoted_codings_csv
from thematica.services.agreement import AgreementReport, measure_agreement
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.demo_deid import DemoDeidentification, deidentify_demo
from thematica.services.documents import import_files, list_documents
from thematica.services.participants import import_participants
from thematica.services.rounds import close_round, open_round
from thematica.services.scope import NO_PROGRESS, Progress
from thematica.services.studies import StudyStats, create_study, study_stats
from thematica.storage import Database

__all__ = ["DEMO_STUDY", "DemoResult", "build_demo", "find_demo_folder"]

DEMO_STUDY = "Peer support demo (fictional)"
DEMO_ACTOR = "thematica-demo"
DEMO_ROUND = "Double-coding P01-P04"


def find_demo_folder(explicit: Path | None = None) -> Path:
    """The demo material: ``explicit``, ``THEMATICA_DEMO_DIR``, or the checkout's examples."""
    candidates = [explicit] if explicit else []
    if os.environ.get("THEMATICA_DEMO_DIR"):
        candidates.append(Path(os.environ["THEMATICA_DEMO_DIR"]))
    here = Path(__file__).resolve()
    candidates += [
        here.parents[3] / "examples" / "peer-support-demo",  # a source checkout (src/ layout)
        Path.cwd() / "examples" / "peer-support-demo",
    ]
    for folder in candidates:
        if folder is not None and (folder / "participants.csv").is_file():
            return folder
    raise NotFoundError(
        "cannot find the demo material (examples/peer-support-demo); run from a Thematica "
        "checkout or pass --source DIR"
    )


@dataclass(frozen=True)
class DemoResult:
    folder: Path
    stats: StudyStats
    transcripts: int
    codings: int
    round: str
    disagreements: int
    agreement: AgreementReport
    deidentified: DemoDeidentification | None = None


def _locate(text: str, quote: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(quote, start + 1)
        if start < 0:
            break
    return start


def _write_up(db: Database, folder: Path) -> None:
    """The fictional study record and framework summaries the report uses, when present."""
    from thematica.services.study_record import set_study_record, write_summary

    record, summaries = folder / "study-record.csv", folder / "framework-summaries.csv"
    if record.is_file():
        with record.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                set_study_record(db, row["item"], row["value"], study=DEMO_STUDY, actor=DEMO_ACTOR)
    if summaries.is_file():
        with summaries.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                write_summary(
                    db,
                    row["participant"],
                    row["code"],
                    row["summary"],
                    author=row["author"],
                    study=DEMO_STUDY,
                )


def build_demo(
    db: Database, *, source: Path | None = None, progress: Progress = NO_PROGRESS
) -> DemoResult:
    """Build the fictional demo study into ``db`` (which must not already hold it)."""
    folder = find_demo_folder(source)
    create_study(
        db,
        DEMO_STUDY,
        template="peer-support",
        actor=DEMO_ACTOR,
        description="A fictional study for trying Thematica; no real participant or interview.",
    )
    import_participants(db, folder / "participants.csv", study=DEMO_STUDY, actor=DEMO_ACTOR)
    transcripts = sorted((folder / "transcripts").glob("*.txt"))
    for i, path in enumerate(transcripts):
        progress(i, len(transcripts), path.name)
        # As `thematica import --deidentify`: detections are listed for review in the import's
        # own transaction, so no transcript is codable before its review.
        import_files(
            db,
            [path],
            study=DEMO_STUDY,
            participant=path.stem,
            actor=DEMO_ACTOR,
            deidentify=True,
        )
    texts = {d.name: d.text for d in list_documents(db, DEMO_STUDY)}
    # De-identify before anyone codes (the text is fixed once coded). The quotes were written
    # against the transcripts as spoken, so each is found there and moved onto the new text.
    deid = deidentify_demo(
        db, sorted(texts), folder / "deid-decisions.csv", study=DEMO_STUDY, actor=DEMO_ACTOR
    )
    codings_file = folder / "codings.csv"
    requests: list[CodingRequest] = []
    for row in read_quoted_codings_csv(codings_file):
        if row.document not in texts:
            raise InvalidInputError(
                f"no transcript named {row.document!r}", file=str(codings_file), line=row.line
            )
        start = _locate(texts[row.document], row.quote, row.occurrence)
        if start < 0:
            raise InvalidInputError(
                f"quote not found in {row.document} (occurrence {row.occurrence}): "
                f"{row.quote[:60]!r}",
                file=str(codings_file),
                line=row.line,
            )
        moved = deid.offsets[row.document].span(Span(start, start + len(row.quote)))
        requests.append(
            CodingRequest(
                row.document,
                moved.start,
                moved.end,
                row.code,
                row.coder,
                row.valence,
                row.memo,
            )
        )
    # The two fictional coders double-coded P01-P04 blind, as a participatory team would: open
    # the round, let each code, then close it so the disagreements are listed for consensus. The
    # other transcripts were coded by one of them each, outside the round.
    coders_of: dict[str, set[str]] = {}
    for r in requests:
        coders_of.setdefault(r.document, set()).add(r.coder)
    double_coded = sorted(d for d, who in coders_of.items() if len(who) > 1)
    round_coders = {c for d in double_coded for c in coders_of[d]}
    open_round(
        db,
        DEMO_ROUND,
        coders=sorted(round_coders),
        documents=double_coded,
        blind=True,
        study=DEMO_STUDY,
        actor=DEMO_ACTOR,
    )
    apply_codings(db, requests, study=DEMO_STUDY, actor=DEMO_ACTOR)
    disagreements = close_round(db, DEMO_ROUND, study=DEMO_STUDY, actor=DEMO_ACTOR)
    _write_up(db, folder)
    # What a team reports for its double-coded round: per-code agreement by speaker turn.
    agreement = measure_agreement(
        db, study=DEMO_STUDY, coders=sorted(round_coders), unit="turn", documents="double-coded"
    )
    progress(len(transcripts), len(transcripts), "done")
    return DemoResult(
        folder,
        study_stats(db, DEMO_STUDY),
        len(transcripts),
        len(requests),
        DEMO_ROUND,
        len(disagreements),
        agreement,
        deid,
    )
