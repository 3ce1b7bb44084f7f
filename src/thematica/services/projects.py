"""Whole projects in and out: REFI-QDA ``.qdpx`` (NVivo, ATLAS.ti, MAXQDA, QualCoder ...), and
migration from QualCoder's and Taguette's own databases.

``import_project`` reads a project file into plain values (``interchange``), then maps them into
a new study in one transaction (:mod:`.projects_import`); ``export_project`` gathers a study into
plain values (:mod:`.projects_export`) and writes them. Every kind of project goes through the
same mapping, so every import gets the same summary of what came in and what did not.
"""

from __future__ import annotations

from pathlib import Path

from thematica.domain import vocab
from thematica.domain.events import utcnow
from thematica.errors import InvalidInputError
from thematica.interchange.refi import ImportReport, PositionUnit, RefiProject, write_qdpx
from thematica.interchange.refi.positions import has_astral
from thematica.services.analysis_layer import refuse_while_blind
from thematica.services.documents import import_limit
from thematica.services.projects_export import ProjectExport, study_as_project
from thematica.services.projects_import import ProjectImport, import_refi_project
from thematica.services.scope import NO_PROGRESS, Progress, study_scope
from thematica.storage import Database

__all__ = [
    "EXPORT_TARGETS",
    "PROJECT_KINDS",
    "ProjectExport",
    "ProjectImport",
    "detect_kind",
    "export_project",
    "import_project",
    "read_project",
]

#: The kinds of project ``import_project`` reads (``thematica project import --from``).
PROJECT_KINDS: tuple[str, ...] = vocab.PROJECT_KINDS

#: The tools ``export_project`` writes for (``thematica project export --for``) and how each
#: counts positions. NVivo counts UTF-16 code units (checked on its exports); ATLAS.ti and MAXQDA
#: are Windows-first programs whose strings are UTF-16 as well; QualCoder counts code points.
#: The units differ only where a text holds characters beyond the Basic Multilingual Plane.
EXPORT_TARGETS: dict[str, PositionUnit] = {
    "nvivo": "utf-16",
    "atlas": "utf-16",
    "maxqda": "utf-16",
    "qualcoder": "code-points",
    "thematica": "code-points",
}
#: Without ``--for``: the unit of the commercial tools (Thematica reads either back).
DEFAULT_EXPORT_UNIT: PositionUnit = "utf-16"


def detect_kind(path: Path) -> str:
    """The kind of project at ``path``, from its name: a ``.qdpx`` archive, a QualCoder ``.qda``
    folder (or its ``data.qda``), or a Taguette ``.sqlite3`` database."""
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return "refi-qda"
    if suffix == ".qda" or (path.is_dir() and (path / "data.qda").is_file()):
        return "qualcoder"
    if suffix in (".sqlite3", ".sqlite"):
        return "taguette"
    raise InvalidInputError(
        "cannot tell what kind of project this is from its name; "
        f"name the kind with --from ({', '.join(PROJECT_KINDS)})",
        file=str(path),
    )


def read_project(
    path: Path,
    kind: str | None = None,
    *,
    project: str | None = None,
    position_unit: PositionUnit | None = None,
    max_source_bytes: int | None = None,
) -> tuple[RefiProject, ImportReport, str]:
    """Read a project of ``kind`` (detected from the path when ``None``) into plain values.
    ``project`` picks one project of a Taguette database that holds several;
    ``position_unit`` overrides how a ``.qdpx``'s positions are read (``None``: detected);
    ``max_source_bytes`` refuses any one source larger than that, before it is read (the
    transcript import limit when ``None``)."""
    kind = kind or detect_kind(path)
    limit = import_limit(max_source_bytes)
    if kind == "refi-qda":
        from thematica.interchange.refi import read_qdpx

        return (*read_qdpx(path, position_unit=position_unit, max_source_bytes=limit), kind)
    if kind == "qualcoder":
        from thematica.interchange.qualcoder import read_qualcoder

        return (*read_qualcoder(path, max_source_bytes=limit), kind)
    if kind == "taguette":
        from thematica.interchange.taguette import read_taguette

        return (*read_taguette(path, project=project, max_source_bytes=limit), kind)
    raise InvalidInputError(
        f"unknown kind of project {kind!r}; choose one of {', '.join(PROJECT_KINDS)}",
        file=str(path),
    )


def import_project(
    db: Database,
    path: Path,
    *,
    kind: str | None = None,
    name: str | None = None,
    project: str | None = None,
    actor: str | None = None,
    position_unit: PositionUnit | None = None,
    coder_from: str = "selection",
    max_source_bytes: int | None = None,
    progress: Progress = NO_PROGRESS,
) -> ProjectImport:
    """Import a whole project as a new study, all or nothing; returns the summary.

    ``kind`` is one of :data:`PROJECT_KINDS` (detected from the path when ``None``); ``project``
    names the project to take from a Taguette database that holds several; ``coder_from``
    (``"selection"`` or ``"coding"``) whose user codes when a selection and its coding differ;
    for ``position_unit`` and ``max_source_bytes`` see :func:`read_project`."""
    progress(0, 1, f"reading {path.name}")
    read, report, kind = read_project(
        path,
        kind,
        project=project,
        position_unit=position_unit,
        max_source_bytes=max_source_bytes,
    )
    return import_refi_project(
        db,
        read,
        report,
        name=name,
        kind=kind,
        actor=actor,
        coder_from=coder_from,
        progress=progress,
    )


def export_project(
    db: Database,
    path: Path,
    *,
    study: str | None = None,
    schema: Path | None = None,
    target: str | None = None,
    position_unit: PositionUnit | None = None,
    progress: Progress = NO_PROGRESS,
) -> ProjectExport:
    """Write the study as a REFI-QDA project (``.qdpx``), replacing ``path`` only when complete.

    ``schema`` (the path of ``Project.xsd``) validates the XML before the file is written.
    ``target`` (one of :data:`EXPORT_TARGETS`) counts positions as that tool reads them;
    ``position_unit`` says so directly. With neither, UTF-16 units (NVivo, ATLAS.ti, MAXQDA), and
    the summary says when it matters (texts with emoji) and what to use for QualCoder.
    """
    if target is not None and target not in EXPORT_TARGETS:
        raise InvalidInputError(
            f"cannot export for {target!r}; choose one of {', '.join(EXPORT_TARGETS)}"
        )
    unit = position_unit or (EXPORT_TARGETS[target] if target else DEFAULT_EXPORT_UNIT)
    progress(0, 2, "gathering the study")
    with study_scope(db, study) as (uow, found):
        refuse_while_blind(uow, found, "a project export")
        project, left_out = study_as_project(uow, found)
    progress(1, 2, f"writing {path.name}")
    project = _dated(project)
    write_qdpx(project, path, schema=schema, position_unit=unit)
    progress(2, 2, "done")
    counts = project.counts()
    astral = sum(1 for s in project.sources if s.selections and has_astral(s.text))
    if astral and target is None and position_unit is None:
        left_out.append(
            f"{astral} coded document(s) hold characters beyond the Basic Multilingual Plane "
            "(emoji), where tools count positions differently: they are counted in UTF-16 "
            "units, right for NVivo, ATLAS.ti and MAXQDA; for QualCoder export with "
            "--for qualcoder"
        )
    return ProjectExport(found.name, str(path), counts, left_out, unit)


def _dated(project: RefiProject) -> RefiProject:
    from dataclasses import replace

    return replace(project, modified_date=utcnow())
