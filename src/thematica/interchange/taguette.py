"""Taguette projects: its SQLite database (``.sqlite3``), read with :mod:`sqlite3`, read-only.

Taguette keeps a document as HTML and records a highlight as ``start_offset``/``end_offset``
counted in **UTF-8 bytes of the HTML's text nodes**: tags are not counted, an entity counts as
the bytes of the character it stands for (``&amp;`` is 1, ``&eacute;`` 2), and the whitespace
between elements counts (``taguette/extract.py``, which walks the html5lib tree). Thematica
anchors codings to canonical plain text instead, so the document is turned into text here and
every highlight is moved onto it:

* text nodes are copied, runs of HTML whitespace collapse to one space (as a browser shows
  them), block elements (``p``, ``h1``, ``li``, ``div`` ...) become blank lines and ``<br>`` a line
  break; each character kept remembers the byte offset it had in Taguette's count;
* a highlight starts at the first character kept at or after its start, and ends after the last
  one before its end; comments and ``script``/``style`` text count towards offsets, as they do in
  Taguette, but are not part of the text; whitespace before the first tag is not counted
  (html5lib drops it) and CRLF counts as one byte (html5lib normalises it);
* the highlight's stored ``snippet`` is compared with the passage found, and any difference is
  reported.

Highlights carry no user in Taguette; the ``highlight_add`` command that made one names it. Tags
become codes (nested when the database has ``tags.parent_id``), each highlight one selection with
a coding per tag. A database holding several projects needs the project named.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import uuid
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from thematica.domain.text import canonicalize
from thematica.errors import InvalidInputError
from thematica.interchange.project_databases import (
    DEFAULT_MAX_DATABASE_BYTES,
    check_text_sizes,
    open_project_database,
)
from thematica.interchange.refi import (
    ImportReport,
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    UnmappedElement,
)
from thematica.safeio.controls import replace_controls

__all__ = ["TaguetteText", "html_to_text", "read_taguette"]

_NAMESPACE = uuid.UUID("9d7e2b0c-5a61-4c5e-8f3e-2a9b1d7c6e44")
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "ul",
    ]
)
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SPACE = " \t\n\r\f"


class TaguetteText:
    """A document's canonical plain text, and Taguette's byte offsets moved onto it."""

    def __init__(self, text: str, sources: list[int], indices: list[int], total: int) -> None:
        self.text = text
        self._sources = sources  # Taguette byte offset of each character kept, ascending
        self._indices = indices  # where that character is in ``text``
        self.total_bytes = total

    def span(self, start: int, end: int) -> tuple[int, int]:
        """``[start, end)`` in code points of :attr:`text` for Taguette's byte offsets."""
        first = bisect.bisect_left(self._sources, start)
        last = bisect.bisect_left(self._sources, end) - 1
        if first >= len(self._sources) or last < first:
            return 0, 0
        return self._indices[first], self._indices[last] + 1


class _Walker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chars: list[str] = []
        self.origins: list[int] = []  # byte offset of each char; -1 for separators
        self.position = 0
        self.started = False
        self.hidden = 0
        self.pending_break = ""
        self.pending_space: int | None = None

    def _break(self, kind: str) -> None:
        self.started = True
        if len(kind) > len(self.pending_break):
            self.pending_break = kind
        self.pending_space = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.started = True
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break("\n")
        elif tag in _BLOCKS:
            self._break("\n\n")
        elif tag in ("td", "th"):
            self._break(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._break("\n\n")

    def handle_comment(self, data: str) -> None:
        self.position += len(data.encode("utf-8"))  # a bs4 Comment is a NavigableString

    def handle_data(self, data: str) -> None:
        if not self.started:
            stripped = data.lstrip(_SPACE)
            if not stripped:
                return
            data, self.started = stripped, True
        if self.hidden:
            self.position += len(data.encode("utf-8"))
            return
        for ch in data:
            size = len(ch.encode("utf-8"))
            if ch in _SPACE:
                if self.chars and not self.pending_break and self.pending_space is None:
                    self.pending_space = self.position
            else:
                if self.pending_break and self.chars:
                    self.chars += list(self.pending_break)
                    self.origins += [-1] * len(self.pending_break)
                elif self.pending_space is not None:
                    self.chars.append(" ")
                    self.origins.append(self.pending_space)
                self.pending_break, self.pending_space = "", None
                self.chars.append(ch)
                self.origins.append(self.position)
            self.position += size


def html_to_text(html: str) -> TaguetteText:
    """Canonical plain text of a Taguette document, with its offset conversion."""
    walker = _Walker()
    walker.feed(html.replace("\r\n", "\n").replace("\r", "\n"))
    walker.close()
    raw = "".join(walker.chars)
    text, offsets = canonicalize(raw)
    kept = [(o, offsets.to_canonical(i)) for i, o in enumerate(walker.origins) if o >= 0]
    return TaguetteText(text, [o for o, _ in kept], [i for _, i in kept], walker.position)


def _date(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def read_taguette(
    path: Path,
    *,
    project: str | None = None,
    max_source_bytes: int | None = None,
    max_bytes: int = DEFAULT_MAX_DATABASE_BYTES,
) -> tuple[RefiProject, ImportReport]:
    """Read one project of a Taguette database (the only one, or ``project`` by name or id).

    The database must be a regular file of at most ``max_bytes``; a document whose HTML is over
    ``max_source_bytes`` is refused before it is read; a row whose values have the wrong type
    is refused in one line naming it."""
    connection, digest = open_project_database(path, "Taguette database", max_bytes=max_bytes)
    connection.row_factory = sqlite3.Row
    try:
        return _read(connection, str(path), digest, project, max_source_bytes)
    except (TypeError, ValueError, AttributeError, KeyError) as exc:
        # A row of the wrong shape that no check below names more precisely.
        raise InvalidInputError(
            f"not a readable Taguette database: a row holds a value of the wrong type ({exc})",
            file=str(path),
        ) from None
    except sqlite3.Error as exc:
        raise InvalidInputError(f"not a readable Taguette database: {exc}", file=str(path)) from exc
    except InvalidInputError as exc:
        if exc.file != _TEXTS:
            raise
        raise InvalidInputError(exc.reason, file=str(path)) from None  # a NUL in a text
    finally:
        connection.close()


def _typed(
    row: dict[str, Any], column: str, types: tuple[type, ...], file: str, element: str
) -> None:
    """Refuse, in one line naming the row, a value SQLite stored with the wrong type (its
    columns take any type: a text offset, a number for a name)."""
    value = row.get(column)
    if not isinstance(value, types) or isinstance(value, bool):
        wanted = " or ".join("nothing" if t is type(None) else t.__name__ for t in types)
        raise InvalidInputError(
            f"{column} is {type(value).__name__} {str(value)[:40]!r}, not {wanted}",
            file=file,
            element=element,
        )


_TEXTS = "(a text of the database)"


def _rows(db: sqlite3.Connection, sql: str, *args: Any) -> list[dict[str, Any]]:
    # Control characters replaced in every text, as every reader does.
    return [
        {k: replace_controls(v, _TEXTS)[0] if isinstance(v, str) else v for k, v in dict(r).items()}
        for r in db.execute(sql, args)
    ]


def _read(
    db: sqlite3.Connection, file: str, digest: str, wanted: str | None, limit: int | None
) -> tuple[RefiProject, ImportReport]:
    tables = {r["name"] for r in _rows(db, "SELECT name FROM sqlite_master WHERE type='table'")}
    needed = {"projects", "documents", "highlights", "tags", "highlight_tags"}
    if not needed <= tables:
        missing = ", ".join(sorted(needed - tables))
        raise InvalidInputError(f"not a Taguette database: no {missing} table", file=file)
    projects = _rows(db, "SELECT * FROM projects ORDER BY id")
    chosen = [p for p in projects if wanted is None or wanted in (p["name"], str(p["id"]))]
    if len(chosen) != 1:
        names = ", ".join(f"{p['id']}: {p['name']!r}" for p in projects) or "none"
        problem = "holds several projects" if wanted is None else f"has no project {wanted!r}"
        raise InvalidInputError(
            f"the database {problem} (projects: {names}); name one with --project", file=file
        )
    meta = chosen[0]
    check_text_sizes(
        db,
        "documents",
        "contents",
        limit,
        file=file,
        where="AND project_id = ?",
        args=(meta["id"],),
    )
    ns = uuid.uuid5(_NAMESPACE, digest)

    def guid(kind: str, key: object) -> str:
        return str(uuid.uuid5(ns, f"{kind}:{key}"))

    authors: dict[int, str] = {}
    adders: dict[int, str] = {}
    if "commands" in tables:
        for row in _rows(db, "SELECT * FROM commands WHERE project_id = ? ORDER BY id", meta["id"]):
            try:
                payload = json.loads(row["payload"])
            except (TypeError, ValueError):
                continue
            kind = payload.get("type") if isinstance(payload, dict) else None
            try:  # the command log is informative only: an unreadable entry is passed over
                if kind == "highlight_add":
                    authors[int(payload.get("highlight_id", -1))] = row["user_login"]
                elif kind == "document_add" and row["document_id"] is not None:
                    adders[int(row["document_id"])] = row["user_login"]
            except (TypeError, ValueError):
                continue
    logins = sorted({*authors.values(), *adders.values()})
    users = {login: RefiUser(guid("user", login), login) for login in logins}

    tags = _rows(db, "SELECT * FROM tags WHERE project_id = ? ORDER BY id", meta["id"])
    by_parent: dict[object, list[dict[str, Any]]] = {}
    ids = {t["id"] for t in tags}
    for tag in tags:
        parent = tag.get("parent_id")
        by_parent.setdefault(parent if parent in ids else None, []).append(tag)

    reached: set[int] = set()

    def code(tag: dict[str, Any]) -> RefiCode:
        reached.add(tag["id"])
        below = tuple(code(t) for t in by_parent.get(tag["id"], []))
        return RefiCode(
            guid("tag", tag["id"]), tag["path"], None, tag["description"] or "", True, below
        )

    codes = tuple(code(t) for t in by_parent.get(None, []))
    # Each tag has one parent, so the walk from the top is a tree; a tag it never reaches is in
    # a cycle of parents (or its own parent).
    if len(reached) < len(tags):
        raise InvalidInputError(
            f"the tags are nested in a cycle ({len(tags) - len(reached)} tags inside one another)",
            file=file,
            element="tags",
        )
    tag_guids = {t["id"]: guid("tag", t["id"]) for t in tags}
    links: dict[int, list[int]] = {}
    for row in _rows(db, "SELECT highlight_id, tag_id FROM highlight_tags ORDER BY tag_id"):
        links.setdefault(row["highlight_id"], []).append(row["tag_id"])

    sources: list[RefiSource] = []
    unmapped: list[UnmappedElement] = []
    mismatched = 0
    documents = _rows(db, "SELECT * FROM documents WHERE project_id = ? ORDER BY id", meta["id"])
    for doc in documents:
        for column in ("name", "contents"):
            _typed(doc, column, (str, type(None)), file, f"document {doc['id']}")
        converted = html_to_text(doc["contents"] or "")
        selections = []
        for h in _rows(db, "SELECT * FROM highlights WHERE document_id = ? ORDER BY id", doc["id"]):
            element = f"highlight {h['id']}"
            for column in ("start_offset", "end_offset"):
                _typed(h, column, (int,), file, element)
            if not 0 <= h["start_offset"] <= h["end_offset"] <= converted.total_bytes:
                raise InvalidInputError(
                    f"offsets [{h['start_offset']}, {h['end_offset']}) lie outside document "
                    f"{doc['name']!r} ({converted.total_bytes} bytes of text)",
                    file=file,
                    element=element,
                )
            start, end = converted.span(h["start_offset"], h["end_offset"])
            if end <= start:
                unmapped.append(
                    UnmappedElement("highlight", "it covers no text", name=str(h["id"]))
                )
                continue
            passage = converted.text[start:end]
            if "".join(passage.split()) != "".join(
                html_to_text(h["snippet"] if isinstance(h["snippet"], str) else "").text.split()
            ):
                mismatched += 1
            user = users[authors[h["id"]]].guid if h["id"] in authors else None
            selections.append(
                RefiSelection(
                    guid("highlight", h["id"]),
                    "",
                    start,
                    end,
                    user,
                    None,
                    tuple(
                        RefiCoding(guid("coding", f"{h['id']}:{t}"), tag_guids[t], user)
                        for t in links.get(h["id"], [])
                        if t in tag_guids
                    ),
                )
            )
        sources.append(
            RefiSource(
                guid("document", doc["id"]),
                doc["name"],
                converted.text,
                tuple(selections),
                users[adders[doc["id"]]].guid if doc["id"] in adders else None,
                creation_date=_date(doc.get("created")),
                original_path=doc.get("filename") or None,
                original_bytes=(doc["contents"] or "").encode("utf-8"),
                description=doc.get("description") or "",
            )
        )
    notices = ["positions were counted by Taguette in UTF-8 bytes of the HTML; moved onto text"]
    if mismatched:
        notices.append(
            f"{mismatched} highlight(s) whose stored snippet differs from the passage found"
        )
    project_ = RefiProject(
        name=meta["name"],
        origin="Taguette",
        users=tuple(users.values()),
        codes=codes,
        sources=tuple(sources),
        description=meta.get("description") or "",
    )
    report = ImportReport(
        file=file,
        origin="Taguette",
        imported=project_.counts(),
        unmapped=tuple(unmapped),
        notices=tuple(notices),
        position_unit="code-points",
        position_unit_reason="converted from Taguette's UTF-8 byte offsets over the HTML's text",
    )
    return project_, report
