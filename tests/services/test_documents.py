from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.documents import get_document, import_documents, list_documents
from thematica.services.participants import list_participants
from thematica.storage import Database


def _write(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


@both_backends
def test_import_txt_and_md_with_turns_and_participant(
    db: Database, study: str, tmp_path: Path
) -> None:
    a = _write(
        tmp_path, "P02.txt", "\ufeffInterviewer: Hello\r\n\r\nParticipant: Hi there\r\n".encode()
    )
    b = _write(tmp_path, "notes.md", b"# Notes\n\n**Sam:** we met at the cafe\n")
    docs = import_documents(db, [a, b], study=study, participant="P02")
    assert [d.name for d in docs] == ["P02", "notes"]
    p02 = get_document(db, "P02", study)
    assert p02.text == "Interviewer: Hello\n\nParticipant: Hi there\n"
    assert [(t.speaker, t.span.of(p02.text)) for t in p02.turns] == [
        ("Interviewer", "Interviewer: Hello"),
        ("Participant", "Participant: Hi there"),
    ]
    assert len(p02.source_hash) == 64 and p02.source_format == "txt"
    assert [t.speaker for t in get_document(db, "notes", study).turns] == ["Sam"]
    assert "P02" in {p.label for p in list_participants(db, study)}


def test_batch_is_all_or_nothing_and_names_the_bad_file(
    db: Database, study: str, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.txt", b"Interviewer: fine\n")
    latin = _write(tmp_path, "latin.txt", "line one\ncaf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInputError, match=r"latin\.txt, line 2: not valid UTF-8"):
        import_documents(db, [good, latin], study=study)
    assert [d.name for d in list_documents(db, study)] == ["T1"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"   \n\n", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("table.xyz", b"hello", "unsupported file type '.xyz'"),
    ],
)
def test_bad_files_get_clear_messages(
    db: Database, study: str, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as raised:
        import_documents(db, [_write(tmp_path, name, content)], study=study)
    assert name in str(raised.value)


def test_same_file_twice_is_detected(db: Database, study: str, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.txt", b"Interviewer: same\n")
    import_documents(db, [first], study=study)
    copy = _write(tmp_path, "b.txt", b"Interviewer: same\n")
    with pytest.raises(ConflictError, match="already imported as document 'a'"):
        import_documents(db, [copy], study=study)
    other = _write(tmp_path, "c.txt", b"different")
    with pytest.raises(ConflictError, match="same file as"):
        import_documents(db, [other, _write(tmp_path, "d.txt", b"different")], study=study)


def test_html_in_a_transcript_is_kept_as_text(db: Database, study: str, tmp_path: Path) -> None:
    hostile = b"Participant: <script>alert('x')</script> &amp; <b>bold</b>\n"
    import_documents(db, [_write(tmp_path, "h.txt", hostile)], study=study)
    assert get_document(db, "h", study).text == hostile.decode()
