"""QualCoder projects: a ``.qda`` folder holding the SQLite database ``data.qda``.

The database is read with the standard library's :mod:`sqlite3`, read-only, into the same plain
values a REFI-QDA archive gives (:class:`~thematica.interchange.refi.RefiProject` and an
:class:`~thematica.interchange.refi.ImportReport`), so the service maps both the same way. The
tables used (QualCoder 2 and 3; columns that an older version lacks are treated as empty):

* ``code_cat`` (``catid``, ``name``, ``memo``, ``supercatid``): categories, nested; they become
  codes that group others (not codable). ``code_name`` (``cid``, ``name``, ``memo``, ``catid``,
  ``color``, and ``supercid`` in recent versions): the codes.
* ``source`` (``id``, ``name``, ``fulltext``, ``mediapath``, ``memo``, ``owner``, ``date``): a
  source with ``fulltext`` is a text; pictures, audio and video are listed as not imported.
* ``code_text`` (``ctid``, ``cid``, ``fid``, ``pos0``, ``pos1``, ``owner``, ``date``, ``memo``,
  ``important``): one coding each. Positions count characters (Python code points) of
  ``fulltext`` as stored; they are remapped when the text is canonicalised (CRLF, BOM, NFC).
* ``cases``, ``case_text`` (which files belong to which case), ``attribute_type`` and
  ``attribute`` (values, per case or per file), ``annotation``, ``journal``, ``project``.
  ``code_image`` and ``code_av`` (codings of pictures and media) are listed as not imported.

GUIDs are derived from the database's content and QualCoder's row ids, so the same database
gives the same GUIDs each time (a second import is a second study, with the GUIDs kept for
export). The database is read through :mod:`~thematica.interchange.project_databases`: a regular
file only, within a size limit, and no source over the per-source limit.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from thematica.domain.text import canonicalize
from thematica.errors import InvalidInputError, SpanError
from thematica.interchange.project_databases import (
    DEFAULT_MAX_DATABASE_BYTES,
    check_text_sizes,
    open_project_database,
)
from thematica.interchange.refi import (
    ImportReport,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    UnmappedElement,
)
from thematica.safeio.controls import replace_controls

__all__ = ["find_database", "read_qualcoder"]

_NAMESPACE = uuid.UUID("2b6f7a57-4f35-4d0e-9c51-3f0c1c4b8a10")
_REQUIRED = ("source", "code_name", "code_text")
Row = dict[str, Any]


def find_database(path: Path) -> Path:
    """``data.qda`` inside a ``.qda`` project folder, or the database file itself."""
    if path.is_dir():
        database = path / "data.qda"
        if not database.exists():  # what is there but not a regular file is refused on opening
            raise InvalidInputError(
                "not a QualCoder project: the folder holds no data.qda", file=str(path)
            )
        return database
    return path


def read_qualcoder(
    path: Path,
    *,
    max_source_bytes: int | None = None,
    max_bytes: int = DEFAULT_MAX_DATABASE_BYTES,
) -> tuple[RefiProject, ImportReport]:
    """Read a QualCoder project (its ``.qda`` folder or its ``data.qda``) into plain values.

    The database must be a regular file of at most ``max_bytes``; a source whose text is over
    ``max_source_bytes`` is refused before its text is read."""
    database = find_database(path)
    connection, digest = open_project_database(
        database, "QualCoder project", max_bytes=max_bytes, file=str(path)
    )
    try:
        reader = _Reader(connection, str(path), digest)
        if "fulltext" in reader.columns("source"):
            check_text_sizes(connection, "source", "fulltext", max_source_bytes, file=str(path))
        name = (database.parent if database.name == "data.qda" else database).stem
        return reader.read(name.removesuffix(".qda") or "QualCoder project")
    except sqlite3.Error as exc:
        raise InvalidInputError(f"cannot read the database: {exc}", file=str(path)) from exc
    finally:
        connection.close()


def _clean(row: Row, where: str) -> Row:
    """A row with control characters replaced in its text, as every reader does."""
    return {k: replace_controls(v, where)[0] if isinstance(v, str) else v for k, v in row.items()}


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        return None


class _Reader:
    def __init__(self, connection: sqlite3.Connection, file: str, digest: str) -> None:
        connection.row_factory = sqlite3.Row
        self.db, self.file = connection, file
        self.namespace = uuid.uuid5(_NAMESPACE, digest)
        self.tables = {
            r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        missing = [t for t in _REQUIRED if t not in self.tables]
        if missing:
            raise InvalidInputError(
                f"not a QualCoder project: the database has no {', '.join(missing)} table",
                file=file,
            )
        self.unmapped: list[UnmappedElement] = []
        self.notices: list[str] = []
        self.users: dict[str, RefiUser] = {}

    def guid(self, kind: str, key: object) -> str:
        return str(uuid.uuid5(self.namespace, f"{kind}:{key}"))

    def columns(self, table: str) -> set[str]:
        return {r[1] for r in self.db.execute(f'PRAGMA table_info("{table}")')}

    def rows(self, table: str) -> list[Row]:
        if table not in self.tables:
            return []
        return [
            _clean(dict(r), f"{self.file}: table {table}")
            for r in self.db.execute(f'SELECT * FROM "{table}"')
        ]

    def user(self, owner: object) -> str | None:
        if not isinstance(owner, str) or not owner.strip():
            return None
        name = owner.strip()
        if name not in self.users:
            self.users[name] = RefiUser(self.guid("user", name), name)
        return self.users[name].guid

    def skip(self, element: str, reason: str, key: object, name: object = None) -> None:
        self.unmapped.append(
            UnmappedElement(element, reason, name=f"{key}" if name is None else f"{name}")
        )

    def read(self, name: str) -> tuple[RefiProject, ImportReport]:
        codes = self.codes()
        sources, offsets = self.sources()
        variables, case_values, file_values = self.attributes()
        known = {c.guid for root in codes for c, _ in root.walk()}
        sources = self.codings(sources, offsets, file_values, known)
        cases = self.cases(case_values, offsets)
        notes, project_notes = self.notes(sources, offsets)
        for table, what in (("code_image", "picture"), ("code_av", "audio or video")):
            for row in self.rows(table):
                self.skip(table, f"a coding of a {what} is not imported", row.get("id"))
        project_rows = self.rows("project")
        meta = project_rows[0] if project_rows else {}
        version = meta.get("databaseversion")
        project = RefiProject(
            name=name,
            origin=f"QualCoder (database {version})" if version else "QualCoder",
            users=tuple(self.users.values()),
            codes=codes,
            sources=tuple(sources),
            notes=tuple(notes),
            variables=tuple(variables),
            cases=tuple(cases),
            description=str(meta.get("memo") or ""),
            note_guids=tuple(project_notes),
        )
        report = ImportReport(
            file=self.file,
            origin=project.origin,
            imported=project.counts(),
            unmapped=tuple(self.unmapped),
            notices=tuple(self.notices),
            position_unit="code-points",
            position_unit_reason="QualCoder counts characters (Python code points)",
        )
        return project, report

    def codes(self) -> tuple[RefiCode, ...]:
        categories = {r["catid"]: r for r in self.rows("code_cat")}
        codes = {r["cid"]: r for r in self.rows("code_name")}
        children: dict[tuple[str, object], list[tuple[str, Row]]] = defaultdict(list)
        for catid, row in categories.items():
            parent = row.get("supercatid")
            at = ("cat", parent) if parent in categories and parent != catid else ("top", None)
            children[at].append(("cat", row))
        for cid, row in codes.items():
            above = row.get("supercid")
            if above is not None and above in codes and above != cid:
                children[("code", above)].append(("code", row))
            elif row.get("catid") in categories:
                children[("cat", row["catid"])].append(("code", row))
            else:
                children[("top", None)].append(("code", row))
        seen: set[tuple[str, object]] = set()

        def build(kind: str, row: Row) -> RefiCode:
            key = (kind, row["catid"] if kind == "cat" else row["cid"])
            seen.add(key)
            below = [build(k, r) for k, r in children.get(key, []) if (k, _id(k, r)) not in seen]
            color = row.get("color") if kind == "code" else None
            return RefiCode(
                self.guid(kind, key[1]),
                str(row.get("name") or f"{kind} {key[1]}"),
                color if isinstance(color, str) and color.startswith("#") else None,
                str(row.get("memo") or ""),
                kind == "code",
                tuple(below),
            )

        roots = tuple(build(k, r) for k, r in children.get(("top", None), []))
        stranded = [k for k in (("cat", c) for c in categories) if k not in seen]
        stranded += [k for k in (("code", c) for c in codes) if k not in seen]
        if stranded:
            raise InvalidInputError(
                f"the code tree has a cycle ({len(stranded)} codes or categories inside "
                "one another)",
                file=self.file,
                element="code_cat",
            )
        return roots

    def sources(self) -> tuple[list[RefiSource], dict[str, Any]]:
        sources: list[RefiSource] = []
        offsets: dict[str, Any] = {}
        for row in self.rows("source"):
            fulltext = row.get("fulltext")
            name = str(row.get("name") or f"source {row['id']}")
            if not isinstance(fulltext, str):
                media = str(row.get("mediapath") or "")
                kind = "picture" if "/images/" in f"/{media}" else "audio, video or other file"
                self.skip("source", f"a {kind} source is not imported", row["id"], name)
                continue
            text, mapping = canonicalize(fulltext)
            guid = self.guid("source", row["id"])
            offsets[guid] = (row["id"], len(fulltext), mapping)
            sources.append(
                RefiSource(
                    guid,
                    name,
                    text,
                    creating_user=self.user(row.get("owner")),
                    creation_date=_date(row.get("date")),
                    original_path=row.get("mediapath") or None,
                    original_bytes=fulltext.encode("utf-8"),
                    description=str(row.get("memo") or ""),
                )
            )
        return sources, offsets

    def span(self, source: str, offsets: dict[str, Any], row: Row, what: str) -> tuple[int, int]:
        fid, length, mapping = offsets[source]
        try:
            start, end = int(row["pos0"]), int(row["pos1"])
        except (TypeError, ValueError):
            raise InvalidInputError(
                "pos0 and pos1 must be whole numbers", file=self.file, element=what
            ) from None
        if not 0 <= start <= end <= length:
            raise SpanError(
                f"the positions lie outside the text of source {fid} ({length} characters)",
                file=self.file,
                element=what,
                span=(start, end),
            )
        return mapping.to_canonical(start), mapping.to_canonical(end)

    def codings(
        self,
        sources: list[RefiSource],
        offsets: dict[str, Any],
        file_values: dict[str, dict[str, tuple[str, ...]]],
        code_guids: set[str],
    ) -> list[RefiSource]:
        by_source: dict[str, list[RefiSelection]] = defaultdict(list)
        important = 0
        for row in self.rows("code_text"):
            what = f"code_text row {row.get('ctid', row.get('cid'))}"
            source = self.guid("source", row.get("fid"))
            code = self.guid("code", row.get("cid"))
            if source not in offsets:
                raise InvalidInputError(
                    f"refers to source {row.get('fid')}, which is not a text source of the project",
                    file=self.file,
                    element=what,
                )
            if code not in code_guids:
                raise InvalidInputError(
                    f"refers to code {row.get('cid')}, which is not in the code tree",
                    file=self.file,
                    element=what,
                )
            start, end = self.span(source, offsets, row, what)
            key = row.get("ctid") or f"{row.get('cid')}:{row.get('fid')}:{start}:{end}"
            user, when = self.user(row.get("owner")), _date(row.get("date"))
            important += bool(row.get("important"))
            by_source[source].append(
                RefiSelection(
                    self.guid("selection", key),
                    "",
                    start,
                    end,
                    user,
                    when,
                    (RefiCoding(self.guid("coding", key), code, user, when),),
                    str(row.get("memo") or ""),
                )
            )
        if important:
            self.notices.append(f"{important} coding(s) marked important; the mark is not kept")
        return [
            replace(s, selections=tuple(by_source[s.guid]), values=file_values.get(s.guid, {}))
            for s in sources
        ]

    def attributes(
        self,
    ) -> tuple[list[RefiVariable], dict[object, dict[str, tuple[str, ...]]], dict[str, Any]]:
        variables: dict[str, RefiVariable] = {}
        for row in self.rows("attribute_type"):
            name = str(row.get("name") or "")
            if name:
                variables[name] = RefiVariable(
                    self.guid("variable", name), name, "Text", str(row.get("memo") or "")
                )
        cases: dict[object, dict[str, tuple[str, ...]]] = defaultdict(dict)
        files: dict[str, dict[str, tuple[str, ...]]] = defaultdict(dict)
        for row in self.rows("attribute"):
            name, value = str(row.get("name") or ""), str(row.get("value") or "").strip()
            if not name or not value:
                continue
            if name not in variables:
                variables[name] = RefiVariable(self.guid("variable", name), name)
            guid = variables[name].guid
            if row.get("attr_type") == "case":
                cases[row.get("id")][guid] = (value,)
            elif row.get("attr_type") == "file":
                files[self.guid("source", row.get("id"))][guid] = (value,)
        return list(variables.values()), cases, files

    def cases(
        self, values: dict[object, dict[str, tuple[str, ...]]], offsets: dict[str, Any]
    ) -> list[RefiCase]:
        members: dict[object, list[str]] = defaultdict(list)
        partial = 0
        for row in self.rows("case_text"):
            source = self.guid("source", row.get("fid"))
            if source not in offsets:
                continue
            if source not in members[row.get("caseid")]:
                members[row.get("caseid")].append(source)
            length = offsets[source][1]
            start, end = row.get("pos0") or 0, row.get("pos1")
            if not isinstance(start, int) or not isinstance(end, int | None):
                # SQLite stores whatever it is given (found by scripts/fuzz_readers.py)
                raise InvalidInputError(
                    "case positions pos0/pos1 are not whole numbers",
                    file=self.file,
                    element=f"case_text {row.get('id')}",
                )
            partial += start > 0 or (end is not None and 0 < end < length)
        if partial:
            self.notices.append(
                f"{partial} case assignment(s) cover part of a file; the whole document is "
                "linked to the participant"
            )
        return [
            RefiCase(
                self.guid("case", row["caseid"]),
                str(row.get("name") or f"case {row['caseid']}"),
                values.get(row["caseid"], {}),
                tuple(members[row["caseid"]]),
                str(row.get("memo") or ""),
            )
            for row in self.rows("cases")
        ]

    def notes(
        self, sources: list[RefiSource], offsets: dict[str, Any]
    ) -> tuple[list[RefiNote], list[str]]:
        notes: list[RefiNote] = []
        for row in self.rows("annotation"):
            source = self.guid("source", row.get("fid"))
            text = str(row.get("memo") or "")
            if source not in offsets or not text.strip():
                self.skip("annotation", "not on a text source, or empty", row.get("anid"))
                continue
            start, end = self.span(source, offsets, row, f"annotation {row.get('anid')}")
            notes.append(
                RefiNote(
                    self.guid("annotation", row.get("anid")),
                    f"Annotation [{start}, {end})",
                    text,
                    self.user(row.get("owner")),
                    _date(row.get("date")),
                    (source,),
                )
            )
        journal = [
            RefiNote(
                self.guid("journal", row.get("jid")),
                str(row.get("name") or ""),
                str(row.get("jentry") or ""),
                self.user(row.get("owner")),
                _date(row.get("date")),
            )
            for row in self.rows("journal")
        ]
        return notes + journal, [n.guid for n in journal]


def _id(kind: str, row: Row) -> object:
    return row["catid"] if kind == "cat" else row["cid"]
