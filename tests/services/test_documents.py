from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import both_backends, require_shared
from tests.interchange.made_files import make_docx, make_odt, make_pdf
from thematica.domain.study import content_hash
from thematica.errors import ConflictError, InvalidInputError
from thematica.services.documents import (
    MAX_IMPORT_ENV,
    UtteranceColumns,
    get_document,
    get_original,
    import_documents,
    import_files,
    list_documents,
)
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
    b = _write(tmp_path, "notes.md", b"# Notes\n\n**Sam:** we met at the cafe\n\n**Sam:** again\n")
    docs = import_documents(db, [a, b], study=study, participant="P02")
    assert [d.name for d in docs] == ["P02", "notes"]
    p02 = get_document(db, "P02", study)
    assert p02.text == "Interviewer: Hello\n\nParticipant: Hi there\n"
    assert [(t.speaker, t.span.of(p02.text), t.role) for t in p02.turns] == [
        ("Interviewer", "Interviewer: Hello", "interviewer"),
        ("Participant", "Participant: Hi there", "participant"),
    ]
    assert p02.source_hash == content_hash(a.read_bytes()) and p02.source_format == "txt"
    assert [t.speaker for t in get_document(db, "notes", study).turns] == ["Sam", "Sam"]
    assert "P02" in {p.label for p in list_participants(db, study)}


@both_backends
def test_every_office_format_imports_and_keeps_its_original(
    db: Database, study: str, tmp_path: Path
) -> None:
    lines = ["Int: What helped?", "P05: My manager, mostly."]
    files = [
        _write(tmp_path, "A.docx", make_docx(lines)),
        _write(tmp_path, "B.odt", make_odt(lines)),
        _write(tmp_path, "C.pdf", make_pdf([lines])),
        _write(tmp_path, "D.html", b"".join(b"<p>%s</p>" % x.encode() for x in lines)),
    ]
    docs = import_files(db, files, study=study).documents
    assert [d.source_format for d in docs] == ["docx", "odt", "pdf", "html"]
    for doc, path in zip(docs, files, strict=True):
        assert [(t.speaker, t.role) for t in doc.turns] == [
            ("Int", "interviewer"),
            ("P05", "participant"),
        ]
        original = get_original(db, doc.name, study)
        assert original == path.read_bytes() and content_hash(original) == doc.source_hash


def test_interviewer_option_sets_roles(db: Database, study: str, tmp_path: Path) -> None:
    path = _write(tmp_path, "pod.txt", b"Travis: Hello.\n\nSarah: Hi Travis.\n\nSarah: Well.\n")
    import_files(db, [path], study=study, interviewers=["travis"])
    assert [t.role for t in get_document(db, "pod", study).turns] == [
        "interviewer",
        "participant",
        "participant",
    ]


def test_batch_is_all_or_nothing_and_names_every_bad_file(
    db: Database, study: str, tmp_path: Path
) -> None:
    good = _write(tmp_path, "good.txt", b"Interviewer: fine\n")
    png = _write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    cut = _write(tmp_path, "cut.docx", make_docx(["Int: hi"])[:300])
    with pytest.raises(InvalidInputError) as raised:
        import_documents(db, [good, png, cut], study=study)
    message = str(raised.value)
    assert message.startswith("nothing was imported: 2 of 3 files")
    assert f"{png}: this looks like a binary file" in message
    assert f"{cut}: not a readable Word document" in message
    assert "good.txt" not in message
    assert [d.name for d in list_documents(db, study)] == ["T1"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"   \n\n", "the file is empty"),
        ("zero.docx", b"", "the file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("table.xyz", b"hello", "unsupported file type '.xyz'"),
        ("fake.pdf", b"MZ\x90\x00 executable", "not a PDF"),
    ],
)
def test_bad_files_get_clear_messages(
    db: Database, study: str, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message) as raised:
        import_documents(db, [_write(tmp_path, name, content)], study=study)
    assert name in str(raised.value)


def test_size_limit_is_a_setting(
    db: Database, study: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "long.txt", b"Participant: " + b"word " * 50_000)
    monkeypatch.setenv(MAX_IMPORT_ENV, "0.1")
    with pytest.raises(InvalidInputError, match=r"long\.txt: the file is 250,013 bytes, over the"):
        import_files(db, [path], study=study)
    assert import_files(db, [path], study=study, max_bytes=300_000).documents[0].name == "long"
    monkeypatch.setenv(MAX_IMPORT_ENV, "lots")
    with pytest.raises(InvalidInputError, match="must be a number of megabytes"):
        import_files(db, [path], study=study)


def test_same_file_twice_is_detected_or_skipped(db: Database, study: str, tmp_path: Path) -> None:
    first = _write(tmp_path, "a.txt", b"Interviewer: same\n")
    import_documents(db, [first], study=study)
    copy = _write(tmp_path, "b.txt", b"Interviewer: same\n")
    with pytest.raises(ConflictError, match="already imported as document 'a'"):
        import_documents(db, [copy], study=study)
    other = _write(tmp_path, "c.txt", b"different")
    with pytest.raises(ConflictError, match="same file as"):
        import_documents(db, [other, _write(tmp_path, "d.txt", b"different")], study=study)
    report = import_files(db, [copy, other], study=study, skip_duplicates=True)
    assert [d.name for d in report.documents] == ["c"]
    assert report.skipped == ((copy, "was already imported as document 'a'"),)


def test_html_in_a_transcript_is_kept_as_text(db: Database, study: str, tmp_path: Path) -> None:
    hostile = b"Participant: <script>alert('x')</script> &amp; <b>bold</b>\n"
    import_documents(db, [_write(tmp_path, "h.txt", hostile)], study=study)
    assert get_document(db, "h", study).text == hostile.decode()


def test_real_sample_transcripts_import_in_one_batch(db: Database, study: str) -> None:
    samples = require_shared() / "transcripts"
    paths = [
        samples / "qualcoder_examples" / "ID1.docx",
        samples / "qualcoder_examples" / "ID2.odt",
        samples / "qualcoder_examples" / "transcript.txt",
        samples / "podcast_vtt_srt" / "podcasting_qa_trailer_short.vtt",
        samples / "podcast_vtt_srt" / "podcasting_qa_example_full.srt",
    ]
    docs = {d.name: d for d in import_files(db, paths, study=study).documents}
    assert [t.speaker for t in docs["transcript"].turns][:3] == ["id1", "id2", "id3"]
    assert {t.role for t in docs["transcript"].turns} == {"participant"}
    full = docs["podcasting_qa_example_full"]
    assert {t.speaker for t in full.turns} == {"Travis", "Sarah", "Gilon"}
    assert all(t.start_seconds is not None and t.end_seconds for t in full.turns)
    assert docs["ID1"].source_format == "docx" and docs["ID2"].source_format == "odt"


def test_service_header_goes_into_the_audit_trail(db: Database, study: str, tmp_path: Path) -> None:
    from thematica.domain.events import EventKind
    from thematica.services.scope import study_scope

    path = _write(
        tmp_path, "P07.txt", b"Date: 3 May 2024\nDuration: 45:12\n\nInt: Hi.\n\nP07: Hello.\n"
    )
    import_files(db, [path], study=study)
    with study_scope(db, study) as (uow, found):
        added = [e for e in uow.events.all(found.id) if e.kind == EventKind.DOCUMENT_ADDED]
    assert added[-1].after["header"] == [["Date", "3 May 2024"], ["Duration", "45:12"]]
    first_turn = get_document(db, "P07", study).turns[0]
    assert first_turn.span.start == path.read_bytes().index(b"Int:"), "the header is in no turn"


def test_import_warns_about_roles_and_text_outside_turns(
    db: Database, study: str, tmp_path: Path
) -> None:
    pod = _write(
        tmp_path, "pod.txt", b"Travis: Hello.\n\nSarah: Hi.\n\nTravis: So.\n\nSarah: Yes.\n"
    )
    prose = _write(tmp_path, "prose.txt", b"A field note with no speakers at all.\n")
    report = import_files(db, [pod, prose], study=study)
    notices = dict(report.notices)
    assert "no speaker roles were assigned (speakers: Travis, Sarah)" in notices["pod"]
    assert notices["prose"].startswith("no speaker turns were found")
    again = import_files(
        db,
        [_write(tmp_path, "pod2.txt", pod.read_bytes() + b"\n")],
        study=study,
        interviewers=["Travis"],
    )
    assert again.notices == ()


def test_speaker_pattern_and_known_names_find_turns_again(
    db: Database, study: str, tmp_path: Path
) -> None:
    path = _write(tmp_path, "odd.txt", b"== ANA ==\nhello\n\n== BEN ==\nhi\n")
    report = import_files(db, [path], study=study, speaker_pattern=r"== (?P<speaker>\w+) ==")
    assert [t.speaker for t in report.documents[0].turns] == ["ANA", "BEN"]
    once = _write(tmp_path, "once.txt", b"Interviewer: hi\n\nAmara: hello\n")
    report = import_files(db, [once], study=study, participant="Amara")
    turns = get_document(db, "once", study).turns
    assert [(t.speaker, t.role) for t in turns] == [
        ("Interviewer", "interviewer"),
        ("Amara", "participant"),
    ]
    with pytest.raises(InvalidInputError, match="is not a regular expression"):
        import_files(db, [path], study=study, speaker_pattern="(")


def test_a_table_of_utterances_is_one_document(db: Database, study: str, tmp_path: Path) -> None:
    table = _write(
        tmp_path,
        "P09.csv",
        b"who,said\nInterviewer,Hi &amp; welcome\nP09,Thanks\nP09,Really\nInterviewer,Bye\n",
    )
    report = import_files(
        db, [table], study=study, utterance_columns=UtteranceColumns("who", "said")
    )
    (document,) = report.documents
    assert document.name == "P09" and document.source_format == "csv-utterances"
    assert document.text.startswith("Interviewer: Hi & welcome\n\nP09: Thanks Really")
    assert [t.role for t in get_document(db, "P09", study).turns] == [
        "interviewer",
        "participant",
        "interviewer",
    ]


def test_what_is_not_a_regular_file_is_refused(db: Database, study: str, tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    with pytest.raises(InvalidInputError) as raised:
        import_files(db, [fifo, zero], study=study)
    assert "pipe.txt: not a regular file: it is a named pipe" in str(raised.value)
    assert "zero.txt: not a regular file: it is a character device" in str(raised.value)
    assert not {"pipe", "zero"} & {d.name for d in list_documents(db, study)}
