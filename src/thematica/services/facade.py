"""The Python facade: ``thematica.open(...)`` for notebooks and scripts.

It offers the same operations as the CLI (each a call into the services) and pandas DataFrames of
documents, participants, codes and codings. pandas is imported only when a frame is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from thematica.domain.codebook import Code, Codebook
from thematica.domain.codings import Coder, Coding, Valence
from thematica.domain.ids import CodingId
from thematica.domain.memos import Memo, MemoTarget
from thematica.domain.study import Document, Participant
from thematica.errors import ThematicaError
from thematica.interchange.tables import MULTI_VALUE_SEPARATOR
from thematica.services import codebook as codebook_service
from thematica.services import coding as coding_service
from thematica.services import documents as document_service
from thematica.services import memos as memo_service
from thematica.services import participants as participant_service
from thematica.services import projects as project_service
from thematica.services import projects_segments as segment_service
from thematica.services import studies as study_service
from thematica.services.document_links import DocumentLink, link_document
from thematica.services.scope import find_study, open_db
from thematica.storage import Database, UnitOfWork

if TYPE_CHECKING:
    import pandas as pd

    from thematica.services.passages import CodedPassage

__all__ = ["StudyHandle"]


def _require_pandas() -> None:
    """Only the DataFrames need pandas (the ``pandas`` extra): say so when it is missing."""
    try:
        import pandas  # noqa: F401
    except ImportError:
        raise ThematicaError(
            "DataFrames need pandas, which is not installed: pip install 'thematica[pandas]'"
        ) from None


class StudyHandle:
    """One study in one database.

    >>> import thematica                                      # doctest: +SKIP
    >>> study = thematica.open("thematica.db")                # doctest: +SKIP
    >>> study.codings().groupby("coder").size()               # doctest: +SKIP
    """

    def __init__(self, db: Database, study: str, *, as_coder: str | None = None) -> None:
        self.db = db
        self.name = study
        #: When set, the codings this coder may see (blind rounds hide colleagues' codings).
        self.as_coder = as_coder

    @classmethod
    def open(
        cls,
        url_or_path: str | Path = "thematica.db",
        *,
        study: str | None = None,
        create: bool = False,
        template: str = "blank",
        as_coder: str | None = None,
    ) -> StudyHandle:
        """Open a study; with ``create=True`` a missing database and study are created."""
        db = open_db(str(url_or_path), create=create)
        if (
            create
            and study is not None
            and study not in {s.name for s in study_service.list_studies(db)}
        ):
            study_service.create_study(db, study, template=template)
        with UnitOfWork(db) as uow:
            name = find_study(uow, study).name
        return cls(db, name, as_coder=as_coder)

    @classmethod
    def import_project(
        cls,
        url_or_path: str | Path,
        file: str | Path,
        *,
        kind: str | None = None,
        name: str | None = None,
        project: str | None = None,
        coder_from: str = "selection",
    ) -> tuple[StudyHandle, project_service.ProjectImport]:
        """Import a whole project (``.qdpx``, a QualCoder ``.qda``, a Taguette database) as a new
        study, creating the database if needed; the handle and the import's summary.
        ``coder_from``: whose user codes when a selection and its coding differ."""
        db = open_db(str(url_or_path), create=True)
        summary = project_service.import_project(
            db, Path(file), kind=kind, name=name, project=project, coder_from=coder_from
        )
        return cls(db, summary.study), summary

    def export_project(
        self, path: str | Path, *, target: str | None = None
    ) -> project_service.ProjectExport:
        """Write the study as a REFI-QDA project (``.qdpx``) for ``target`` (``"nvivo"``,
        ``"qualcoder"`` ...: see ``EXPORT_TARGETS``; UTF-16 positions when ``None``)."""
        return project_service.export_project(self.db, Path(path), study=self.name, target=target)

    def export_segments(self, path: str | Path) -> int:
        """Write the coded segments with participants' attributes as CSV or ``.xlsx``."""
        return segment_service.export_segments(
            self.db, Path(path), study=self.name, viewer=self.as_coder
        )

    def close(self) -> None:
        self.db.dispose()

    def __enter__(self) -> StudyHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<StudyHandle {self.name!r} at {self.db.describe()}>"

    # Operations (each one service call) ------------------------------------------------------
    def add_participant(
        self,
        label: str,
        *,
        pseudonym: str = "",
        attributes: Mapping[str, str | Iterable[str]] | None = None,
    ) -> Participant:
        return participant_service.add_participant(
            self.db, label, study=self.name, pseudonym=pseudonym, attributes=attributes
        )

    def import_participants(self, path: str | Path) -> participant_service.ParticipantImport:
        return participant_service.import_participants(self.db, Path(path), study=self.name)

    def import_documents(
        self, *paths: str | Path, participant: str | None = None
    ) -> list[Document]:
        return document_service.import_documents(
            self.db, [Path(p) for p in paths], study=self.name, participant=participant
        )

    def add_text(self, name: str, text: str, *, participant: str | None = None) -> Document:
        return document_service.add_text(
            self.db, name, text, study=self.name, participant=participant
        )

    def document(self, name: str) -> Document:
        return document_service.get_document(self.db, name, self.name)

    def link_document(self, name: str, participant: str | None) -> DocumentLink:
        """Link document ``name`` to ``participant`` (None: to no participant)."""
        return link_document(self.db, name, participant, study=self.name)

    def add_code(self, path: str, **fields: str) -> Code:
        return codebook_service.add_code(self.db, path, study=self.name, **fields)

    def update_code(self, path: str, **fields: str) -> Code:
        return codebook_service.update_code(self.db, path, study=self.name, **fields)

    def codebook(self) -> Codebook:
        return codebook_service.codebook(self.db, self.name)

    def import_codebook(self, path: str | Path) -> codebook_service.CodebookImport:
        return codebook_service.import_codebook(self.db, Path(path), study=self.name)

    def export_codebook(self, path: str | Path) -> int:
        return codebook_service.export_codebook(self.db, Path(path), study=self.name)

    def code(
        self,
        document: str,
        start: int,
        end: int,
        code: str,
        *,
        coder: str,
        valence: Valence | str | None = None,
        memo: str = "",
    ) -> Coding:
        return coding_service.apply_coding(
            self.db,
            document,
            start,
            end,
            code,
            coder=coder,
            study=self.name,
            valence=valence,
            memo=memo,
        )

    def apply_codings(self, requests: Sequence[coding_service.CodingRequest]) -> list[Coding]:
        return coding_service.apply_codings(self.db, requests, study=self.name)

    def change_coding(self, coding_id: CodingId | str, **changes: Any) -> Coding:
        """Change a coding (its id, or the start of it as `codings list` prints it)."""
        return coding_service.change_coding(self.db, coding_id, study=self.name, **changes)

    def remove_coding(self, coding_id: CodingId | str) -> None:
        coding_service.remove_coding(self.db, coding_id, study=self.name)

    def code_passage(self, document: str, code: str, **how: Any) -> CodedPassage:
        """Code a passage named by ``quote=`` (with ``occurrence=`` or ``turn=`` when it
        repeats), by ``turn=``, or by ``start=`` and ``end=``; see
        :func:`thematica.services.passages.code_passage` (``coder=`` is required)."""
        from thematica.services.passages import code_passage

        return code_passage(self.db, document, code, study=self.name, **how)

    def add_coder(self, name: str) -> Coder:
        from thematica.services.coders import add_coder

        return add_coder(self.db, name, study=self.name)

    def write_memo(
        self,
        text: str,
        *,
        author: str,
        on: MemoTarget | str = MemoTarget.STUDY,
        target: str | None = None,
        title: str = "",
    ) -> Memo:
        return memo_service.write_memo(
            self.db, text, author=author, on=on, target=target, title=title, study=self.name
        )

    def stats(self) -> study_service.StudyStats:
        return study_service.study_stats(self.db, self.name)

    # DataFrames --------------------------------------------------------------------------------
    def documents(self) -> pd.DataFrame:
        _require_pandas()
        import pandas as pd

        participants = {
            p.id: p.label for p in participant_service.list_participants(self.db, self.name)
        }
        rows = [
            {
                "document": d.name,
                "participant": participants.get(d.participant_id) if d.participant_id else None,
                "characters": len(d.text),
                "turns": len(d.turns),
                "source_name": d.source_name,
                "source_format": d.source_format,
                "source_hash": d.source_hash,
                "id": str(d.id),
            }
            for d in document_service.list_documents(self.db, self.name)
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "document",
                "participant",
                "characters",
                "turns",
                "source_name",
                "source_format",
                "source_hash",
                "id",
            ],
        )

    def participants(self) -> pd.DataFrame:
        """One row per participant; a multi-valued attribute is joined with ``;``, as a
        participants sheet holds it."""
        _require_pandas()
        import pandas as pd

        people = participant_service.list_participants(self.db, self.name)
        names = sorted({a for p in people for a in p.attributes})
        rows = [
            {
                "participant": p.label,
                "pseudonym": p.pseudonym,
                **{a: MULTI_VALUE_SEPARATOR.join(p.attributes.get(a, ())) or None for a in names},
            }
            for p in people
        ]
        return pd.DataFrame(rows, columns=["participant", "pseudonym", *names])

    def codes(self) -> pd.DataFrame:
        _require_pandas()
        import pandas as pd

        book = self.codebook()
        rows = [
            {
                "path": book.path_text(c.id),
                "name": c.name,
                "depth": book.depth(c.id),
                "definition": c.definition,
                "inclusion": c.inclusion,
                "exclusion": c.exclusion,
                "example": c.example,
                "colour": c.colour,
                "id": str(c.id),
            }
            for c in book
        ]
        return pd.DataFrame(
            rows,
            columns=[
                "path",
                "name",
                "depth",
                "definition",
                "inclusion",
                "exclusion",
                "example",
                "colour",
                "id",
            ],
        )

    def memos(
        self,
        *,
        author: str | None = None,
        on: MemoTarget | str | None = None,
        target: str | None = None,
    ) -> pd.DataFrame:
        """The memos, oldest first: id, title, text, author, on (study, document, code or
        coding), target (by name) and when; only those by ``author``, on ``on`` or about
        ``target`` when given."""
        import pandas as pd

        views = memo_service.read_memos(self.db, self.name, author=author, on=on, target=target)
        columns = ["id", "title", "text", "author", "on", "target", "created_at"]
        return pd.DataFrame([[getattr(v, c) for c in columns] for v in views], columns=columns)

    def codings(self) -> pd.DataFrame:
        """The coded-segments table (document, participant, code path, coder, span, text, ...)."""
        _require_pandas()
        import pandas as pd

        return pd.DataFrame(
            coding_service.coded_segments(self.db, self.name, viewer=self.as_coder),
            columns=list(coding_service.CODED_SEGMENT_COLUMNS),
        )

    def segments(self) -> pd.DataFrame:
        """The analysts' table: each coding with document, participant, the participant's
        attributes (one column each, several values joined with ``;``), code path, span, text,
        coder, valence and memo."""
        _require_pandas()
        import pandas as pd

        header, rows = segment_service.segment_table(self.db, self.name, viewer=self.as_coder)
        return pd.DataFrame(rows, columns=header)
