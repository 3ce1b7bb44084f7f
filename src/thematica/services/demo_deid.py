"""The demo's de-identification: detect, apply the pre-decided review, replace.

``examples/peer-support-demo/deid-decisions.csv`` (fictional, and it says so) lists a decision for
each identifier the detectors find in the demo transcripts, as a reviewer would have made them,
so that ``thematica demo`` runs unattended through the same review step a team goes through.
A detection the file does not list is not decided silently: the demo then waives that
document's review with a reason saying so (the waiver leaves those detections in the text), which
the review list and the events record.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from thematica.deid import EntityType, ReplacementMap
from thematica.errors import InvalidInputError
from thematica.services.deid import Decision
from thematica.services.deid_review import decide_items, review_list
from thematica.services.redaction import apply_deidentification
from thematica.storage import Database

__all__ = ["DemoDeidentification", "deidentify_demo", "read_decisions"]

_COLUMNS = ("document", "text", "type", "decision", "new_type")
UNLISTED_REASON = "fictional demo: detections not listed in deid-decisions.csv, left in the text"


@dataclass(frozen=True)
class DemoDeidentification:
    offsets: dict[str, ReplacementMap]  # document -> old to new offsets
    replaced: int
    waived: tuple[str, ...]  # documents whose review had to be waived


def read_decisions(path: Path) -> dict[tuple[str, str, str], tuple[str, str | None]]:
    """(document or '*', text, type) -> (decision, new type). Lines starting with '#' are notes."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [(n, line) for n, line in enumerate(handle, start=1) if not line.startswith("#")]
    reader = csv.DictReader(line for _, line in lines)
    missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInputError(f"missing column(s): {', '.join(missing)}", file=str(path))
    decisions: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    for (number, _), row in zip(lines[1:], reader, strict=False):
        if row["decision"] not in Decision.ALL:
            raise InvalidInputError(
                f"decision must be accept, reject or relabel, not {row['decision']!r}",
                file=str(path),
                line=number,
            )
        type_ = EntityType.parse(row["type"]).value
        new_type = EntityType.parse(row["new_type"]).value if row["new_type"] else None
        decisions[(row["document"] or "*", row["text"], type_)] = (row["decision"], new_type)
    return decisions


def deidentify_demo(
    db: Database, documents: list[str], decisions_file: Path, *, study: str, actor: str
) -> DemoDeidentification:
    """Decide each document's review list (filled when it was imported with de-identification)
    from ``decisions_file``, and apply, document by document."""
    decisions = read_decisions(decisions_file)
    chosen: list[tuple[str, str, str | None]] = []
    unlisted: set[str] = set()
    for document in documents:
        for item in review_list(db, document, study=study):
            key = (str(item["text"]), str(item["type"]))
            decision = decisions.get((document, *key)) or decisions.get(("*", *key))
            if decision is None:
                unlisted.add(document)
                continue
            chosen.append((str(item["item"]), decision[0], decision[1]))
    decide_items(db, chosen, study=study, actor=actor)
    offsets: dict[str, ReplacementMap] = {}
    replaced = 0
    for document in documents:
        waive = document in unlisted
        result = apply_deidentification(
            db,
            document,
            study=study,
            actor=actor,
            waive=waive,
            reason=UNLISTED_REASON if waive else None,
        )
        offsets[document] = result.offsets
        replaced += result.replaced
    return DemoDeidentification(offsets, replaced, tuple(sorted(unlisted)))
