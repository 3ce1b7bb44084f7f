"""Small QualCoder and Taguette databases built with the peers' real table definitions.

The CREATE TABLE statements are QualCoder's (database version 6+, ``qualcoder/__main__.py`` in
ccbogel/QualCoder) and Taguette's (``taguette/database/models.py`` in remram44/taguette, as
SQLAlchemy creates them on SQLite). Contents are invented for the tests.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

QUALCODER_SCHEMA = """
CREATE TABLE project (databaseversion text, date text, memo text, about text,
    bookmarkfile integer, bookmarkpos integer, codername text, recently_used_codes text);
CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text,
    memo text, owner text, date text, av_text_id integer, risid integer, unique(name));
CREATE TABLE code_image (imid integer primary key, id integer, x1 integer, y1 integer,
    width integer, height integer, cid integer, memo text, date text, owner text,
    important integer);
CREATE TABLE code_av (avid integer primary key, id integer, pos0 integer, pos1 integer,
    cid integer, memo text, date text, owner text, important integer);
CREATE TABLE annotation (anid integer primary key, fid integer, pos0 integer, pos1 integer,
    memo text, owner text, date text, unique(fid,pos0,pos1,owner));
CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text,
    caseOrFile text, valuetype text);
CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text,
    id integer, date text, owner text, unique(name,attr_type,id));
CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer,
    pos1 integer, owner text, date text, memo text);
CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text, date text,
    constraint ucm unique(name));
CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text,
    supercatid integer, unique(name));
CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer, seltext text,
    pos0 integer, pos1 integer, owner text, date text, memo text, avid integer,
    important integer, unique(cid,fid,pos0,pos1, owner));
CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer,
    owner text, date text, color text, unique(name));
CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text,
    unique(name));
"""

#: As written by QualCoder: CRLF line endings and an accent in decomposed form (e + U+0301).
QUALCODER_TEXT = (
    "Interviewer: How is it?\r\nP1: My supervisor, Ame\u0301lie, gets it.\r\nThe pay is poor."
)


def qualcoder_project(folder: Path, *, extra_sql: str = "") -> Path:
    """A ``.qda`` project folder holding ``data.qda``; returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(folder / "data.qda")
    connection.executescript(QUALCODER_SCHEMA)
    text = QUALCODER_TEXT
    sup = text.index("My supervisor")
    pay = text.index("The pay")
    length = len(text)
    connection.executescript(
        f"""
        INSERT INTO project VALUES ('v7', '2024-01-02 10:00:00', 'Project memo', '', 0, 0,
            'robin', '');
        INSERT INTO code_cat VALUES (1, 'Support', 'robin', '2024-01-02 10:00:00', 'Help', NULL);
        INSERT INTO code_cat VALUES (2, 'Supervision', 'robin', '2024-01-02 10:00:00', '', 1);
        INSERT INTO code_name VALUES (1, 'Peer supervision', 'Being understood', 2, 'robin',
            '2024-01-02 10:00:00', '#FF8000');
        INSERT INTO code_name VALUES (2, 'Pay', '', NULL, 'sam', '2024-01-02 10:00:00',
            '#00AA00');
        INSERT INTO source VALUES (1, 'Interview 1', '{text}', NULL, 'First interview', 'robin',
            '2024-01-02 10:00:00', NULL, NULL);
        INSERT INTO source VALUES (2, 'photo.png', NULL, '/images/photo.png', '', 'robin',
            '2024-01-02 10:00:00', NULL, NULL);
        INSERT INTO code_text VALUES (1, 1, 1, 'My supervisor, Amélie, gets it.', {sup},
            {sup + 32}, 'robin', '2024-01-03 09:00:00', 'Clear', NULL, 1);
        INSERT INTO code_text VALUES (2, 2, 1, 'The pay is poor.', {pay}, {pay + 16}, 'sam',
            '2024-01-03 09:30:00', '', NULL, 0);
        INSERT INTO code_image VALUES (1, 2, 0, 0, 10, 10, 1, '', '2024-01-03 09:00:00',
            'robin', 0);
        INSERT INTO cases VALUES (1, 'P1', 'A participant', 'robin', '2024-01-02 10:00:00');
        INSERT INTO case_text VALUES (1, 1, 1, 0, {length}, 'robin', '2024-01-02 10:00:00', '');
        INSERT INTO attribute_type VALUES ('Role', '2024-01-02', 'robin', '', 'case',
            'character');
        INSERT INTO attribute_type VALUES ('Site', '2024-01-02', 'robin', '', 'file',
            'character');
        INSERT INTO attribute VALUES (1, 'Role', 'case', 'Peer worker', 1, '2024-01-02',
            'robin');
        INSERT INTO attribute VALUES (2, 'Site', 'file', 'North', 1, '2024-01-02', 'robin');
        INSERT INTO annotation VALUES (1, 1, {pay}, {pay + 7}, 'Check the figures', 'sam',
            '2024-01-04 12:00:00');
        INSERT INTO journal VALUES (1, 'Day 1', 'Started coding.', '2024-01-03 08:00:00',
            'robin');
        {extra_sql}
        """
    )
    connection.commit()
    connection.close()
    return folder


# Taguette stores a document as HTML and counts highlight positions in UTF-8 bytes of the
# text nodes only (tags not counted, entities counted as the character they stand for):
# see ``taguette/extract.py``.
TAGUETTE_SCHEMA = """
CREATE TABLE users (login VARCHAR(30) NOT NULL PRIMARY KEY, created DATETIME NOT NULL,
    hashed_password VARCHAR(192), password_set_date DATETIME, language VARCHAR(10),
    email VARCHAR(256), email_sent DATETIME, disabled BOOLEAN);
CREATE TABLE projects (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, name VARCHAR(200) NOT NULL,
    description TEXT NOT NULL, created DATETIME NOT NULL);
CREATE TABLE project_members (project_id INTEGER NOT NULL, user_login VARCHAR(30) NOT NULL,
    privileges VARCHAR(11) NOT NULL, PRIMARY KEY (project_id, user_login));
CREATE TABLE documents (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(200) NOT NULL, description TEXT NOT NULL, filename VARCHAR(200) NOT NULL,
    created DATETIME NOT NULL, project_id INTEGER NOT NULL, text_direction VARCHAR(13) NOT NULL,
    contents TEXT NOT NULL);
CREATE TABLE commands (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, date DATETIME NOT NULL,
    user_login VARCHAR(30) NOT NULL, project_id INTEGER NOT NULL, document_id INTEGER,
    payload TEXT NOT NULL);
CREATE TABLE highlights (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL,
    snippet TEXT NOT NULL);
CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, project_id INTEGER NOT NULL,
    path VARCHAR(200) NOT NULL, description TEXT NOT NULL, UNIQUE (project_id, path));
CREATE TABLE highlight_tags (highlight_id INTEGER NOT NULL, tag_id INTEGER NOT NULL,
    PRIMARY KEY (highlight_id, tag_id));
"""

TAGUETTE_HTML = (
    "<h1>Interview &amp; notes</h1>\n"
    "<p>Interviewer: How is it?</p>\n"
    "<p>P1: My <b>supervisor</b>, Am&eacute;lie, gets it &mdash; really.</p>\n"
    "<p>The pay is&nbsp;poor.<br>Very poor.</p>"
)


def taguette_offsets(html_text: str, passage: str) -> tuple[int, int]:
    """Where Taguette would record ``passage``: UTF-8 bytes of the text nodes before it."""
    import html
    import re

    texts = [html.unescape(t) for t in re.split(r"<[^>]+>", html_text)]
    flat = "".join(texts)
    start = flat.index(passage)
    return len(flat[:start].encode("utf-8")), len(flat[: start + len(passage)].encode("utf-8"))


def taguette_database(path: Path) -> Path:
    connection = sqlite3.connect(path)
    connection.executescript(TAGUETTE_SCHEMA)
    when = "2024-02-01 10:00:00.000000"
    connection.execute(
        "INSERT INTO users VALUES ('admin', ?, NULL, NULL, NULL, NULL, NULL, 0)", (when,)
    )
    connection.execute(
        "INSERT INTO users VALUES ('sam', ?, NULL, NULL, NULL, NULL, NULL, 0)", (when,)
    )
    connection.execute("INSERT INTO projects VALUES (1, 'Peer study', 'About peers', ?)", (when,))
    connection.execute(
        "INSERT INTO documents VALUES (1, 'Interview 1', 'First', 'i1.docx', ?, 1, "
        "'LEFT_TO_RIGHT', ?)",
        (when, TAGUETTE_HTML),
    )
    connection.execute(
        "INSERT INTO commands (date, user_login, project_id, document_id, payload) "
        "VALUES (?, 'admin', 1, 1, ?)",
        (when, json.dumps({"type": "document_add", "document_name": "Interview 1"})),
    )
    connection.execute("INSERT INTO tags VALUES (1, 1, 'support', 'Feeling backed')")
    connection.execute("INSERT INTO tags VALUES (2, 1, 'pay', '')")
    highlights = [
        (1, "supervisor, Amélie, gets it — really.", [1], "sam"),
        (2, "The pay is\u00a0poor.Very poor.", [2, 1], "admin"),
    ]
    for hid, passage, tags, user in highlights:
        start, end = taguette_offsets(TAGUETTE_HTML, passage)
        connection.execute(
            "INSERT INTO highlights VALUES (?, 1, ?, ?, ?)", (hid, start, end, f"<p>{passage}</p>")
        )
        for tag in tags:
            connection.execute("INSERT INTO highlight_tags VALUES (?, ?)", (hid, tag))
        payload = {
            "type": "highlight_add",
            "highlight_id": hid,
            "start_offset": start,
            "end_offset": end,
            "tags": tags,
        }
        connection.execute(
            "INSERT INTO commands (date, user_login, project_id, document_id, payload) "
            "VALUES (?, ?, 1, 1, ?)",
            (when, user, json.dumps(payload)),
        )
    connection.commit()
    connection.close()
    return path
