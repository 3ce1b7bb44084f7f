"""Mapping a REFI-QDA project (plain values) into a new study, in one transaction.

Every reader of whole projects (``.qdpx``, QualCoder, Taguette) produces a
:class:`~thematica.interchange.refi.RefiProject` and an
:class:`~thematica.interchange.refi.ImportReport`; this module maps them, the same way for all:

* users become coders (the user's GUID is the coder's id, unless another study of the database
  has it: see :mod:`.projects_context`); a tool's own name is not a coder. When a selection and
  its ``Coding`` name different users, the coder is the selection's user (``coder_from``
  ``"selection"``, the one who marked the passage) or the coding's; both are kept;
* the code tree keeps GUIDs, nesting, order and colour; a description is split into definition,
  criteria and example when Thematica wrote it (:mod:`.projects_descriptions`);
* text sources become documents (same GUID and canonical text), each coding of a selection a
  coding with origin ``imported`` and the source tool, its selection's GUID kept for export;
* notes become memos on what they refer to; cases and their variables participants and their
  attributes; sets named sets.

What cannot be mapped is listed, element by element, in the summary; nothing is dropped silently.
Anything that would make the study wrong (a coding of a code the project does not hold, a span
outside its text) raises :class:`~thematica.errors.InvalidInputError` and, since nothing is
committed until the whole project is mapped, leaves the database exactly as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from thematica.domain.events import Event, EventKind, make_event, snapshot, utcnow
from thematica.domain.ids import StudyId, new_guid
from thematica.domain.study import Study
from thematica.errors import ConflictError, InvalidInputError
from thematica.interchange.refi import ImportReport, RefiProject, UnmappedElement
from thematica.services.projects_context import CODER_FROM
from thematica.services.projects_mapping import StudyMapper
from thematica.services.scope import NO_PROGRESS, Progress, default_actor
from thematica.storage import Database, UnitOfWork

__all__ = ["ProjectImport", "import_refi_project"]


@dataclass(frozen=True)
class ProjectImport:
    """What an import put into the study and, element by element, what it could not map.

    ``read`` counts what the file held (users, codes, sources, selections, codings ...);
    ``imported`` what the study now holds (coders, codes, documents, codings, memos ...).
    """

    study: str
    file: str
    kind: str
    origin: str | None
    read: Mapping[str, int]
    imported: Mapping[str, int]
    notices: tuple[str, ...] = ()
    unmapped: tuple[UnmappedElement, ...] = ()
    position_unit: str = "code-points"
    position_unit_reason: str = ""
    position_unit_close: bool = False

    @property
    def complete(self) -> bool:
        return not self.unmapped

    def unmapped_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for item in self.unmapped:
            counts[item.element] = counts.get(item.element, 0) + 1
        return counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "study": self.study,
            "file": self.file,
            "kind": self.kind,
            "origin": self.origin,
            "read": dict(self.read),
            "imported": dict(self.imported),
            "complete": self.complete,
            "notices": list(self.notices),
            "unmapped": [
                {
                    "element": u.element,
                    "reason": u.reason,
                    "guid": u.guid,
                    "name": u.name,
                    "line": u.line,
                    "inside": u.inside,
                }
                for u in self.unmapped
            ],
            "unmapped_counts": self.unmapped_counts(),
            "position_unit": self.position_unit,
            "position_unit_reason": self.position_unit_reason,
            "position_unit_close": self.position_unit_close,
        }

    def summary_lines(self) -> list[str]:
        """The summary for a person: what came in, notes on how, then each element left out."""
        counts = ", ".join(f"{n} {kind}" for kind, n in self.imported.items())
        lines = [f"Imported {self.file} ({self.origin or self.kind}) as study {self.study!r}:"]
        lines.append(f"  {counts}")
        unit = "UTF-16 code units" if self.position_unit == "utf-16" else "code points"
        if self.position_unit_close:
            lines.append(
                f"WARNING: positions were read as {unit}, but it was a close call "
                f"({self.position_unit_reason}). Check a few codings; if they are off, import "
                "again with --positions code-points or --positions utf-16."
            )
        elif self.position_unit_reason:
            lines.append(f"positions: read as {unit} ({self.position_unit_reason})")
        lines += [f"note: {notice}" for notice in self.notices]
        if self.unmapped:
            kinds = ", ".join(f"{n} {kind}" for kind, n in self.unmapped_counts().items())
            lines.append(f"not imported: {kinds}")
            lines += [f"  - {item.describe()}" for item in self.unmapped]
        else:
            lines.append("Everything in the file was imported.")
        return lines


def import_refi_project(
    db: Database,
    project: RefiProject,
    report: ImportReport,
    *,
    name: str | None = None,
    kind: str = "refi-qda",
    actor: str | None = None,
    coder_from: str = "selection",
    progress: Progress = NO_PROGRESS,
) -> ProjectImport:
    """Create a study from ``project`` (as a reader returned it with ``report``): all or nothing.

    The study is named ``name``, else after the project; a study of that name is refused with
    :class:`~thematica.errors.ConflictError`. A project whose GUIDs other studies already hold
    (another project from the same tool, another version of this one) is imported beside them.
    ``coder_from`` (:data:`~.projects_context.CODER_FROM`) says whose ``creatingUser`` is the
    coder when a selection and its coding differ.
    """
    if coder_from not in CODER_FROM:
        raise InvalidInputError(
            f"--coder-from must be one of {', '.join(CODER_FROM)}, not {coder_from!r}"
        )
    actor = actor or default_actor()
    study_name = (name or project.name).strip() or "Imported project"
    try:
        return _import(db, project, report, study_name, kind, actor, coder_from, progress)
    except ConflictError as exc:
        if report.file in str(exc):
            raise
        raise ConflictError(f"{report.file}: {exc}") from exc


def _import(
    db: Database,
    project: RefiProject,
    report: ImportReport,
    study_name: str,
    kind: str,
    actor: str,
    coder_from: str,
    progress: Progress,
) -> ProjectImport:
    with UnitOfWork(db) as uow:
        if uow.studies.by_name(study_name) is not None:
            raise ConflictError(
                f"a study named {study_name!r} already exists in this database; "
                "choose another name with --name"
            )
        study = Study(StudyId(new_guid()), study_name, utcnow(), project.description)
        uow.studies.add(study)
        events: list[Event] = [
            make_event(
                study.id,
                actor,
                EventKind.STUDY_CREATED,
                study.id,
                after={
                    **snapshot(study),
                    "imported_from": report.file,
                    "kind": kind,
                    "origin": project.origin,
                },
            )
        ]
        mapper = StudyMapper(uow, study, actor, project, report, events, coder_from)
        imported = mapper.run(progress)
        uow.events.append(events)
        progress(1, 1, "saving")
        uow.commit()
    return ProjectImport(
        study=study.name,
        file=report.file,
        kind=kind,
        origin=project.origin,
        read=dict(report.imported),
        imported=imported,
        notices=(*report.notices, *mapper.notices),
        unmapped=(*report.unmapped, *mapper.unmapped),
        position_unit=report.position_unit,
        position_unit_reason=report.position_unit_reason,
        position_unit_close=report.position_unit_close,
    )
