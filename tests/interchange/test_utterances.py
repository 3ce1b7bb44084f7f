"""Transcripts kept as tables of utterances (fictional speech written for these tests)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.utterances import UtteranceColumns, read_utterance_table

CSV = (
    b"Time,Speaker,Utterance\n"
    b"00:00:01,Interviewer,How did you start &amp; why?\n"
    b"00:00:05,Kwame Mensah,It&#39;s a long story.\n"
    b"00:00:09,Kwame Mensah,I was a patient first.\n"
    b"00:00:15,Interviewer,&lt;b&gt;And now?&lt;/b&gt;\n"
    b"00:00:20,,\n"
    b"00:00:21,Kwame Mensah,Now I lead the team.\n"
)
COLUMNS = UtteranceColumns("speaker", "UTTERANCE", "time")


def test_one_document_with_a_turn_per_speaker_change_and_entities_decoded() -> None:
    imported = read_utterance_table(CSV, "kwame.csv", COLUMNS)
    assert imported.text == (
        "Interviewer: How did you start & why?\n\n"
        "Kwame Mensah: It's a long story. I was a patient first.\n\n"
        "Interviewer: <b>And now?</b>\n\n"
        "Kwame Mensah: Now I lead the team.\n"
    )
    assert [(t.speaker, t.start_seconds) for t in imported.turns] == [
        ("Interviewer", 1.0),
        ("Kwame Mensah", 5.0),
        ("Interviewer", 15.0),
        ("Kwame Mensah", 21.0),
    ]
    assert imported.source_format == "csv-utterances" and not imported.detected
    for turn in imported.turns:
        assert turn.span.of(imported.text).startswith(turn.speaker + ":")


def test_an_xlsx_table_reads_the_same() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in CSV.decode().splitlines():
        sheet.append(line.split(","))
    out = io.BytesIO()
    book.save(out)
    xlsx = read_utterance_table(out.getvalue(), "kwame.xlsx", COLUMNS)
    assert xlsx.text == read_utterance_table(CSV, "kwame.csv", COLUMNS).text


@pytest.mark.parametrize(
    ("data", "columns", "message"),
    [
        (CSV, UtteranceColumns("who", "utterance"), r"no column 'who' for --speaker-column"),
        (CSV, UtteranceColumns("speaker", "utterance", "clock"), "no column 'clock'"),
        (b"speaker,text\nA,\n", UtteranceColumns("speaker", "text"), "no row holds text"),
        (
            b"speaker,text,time\nA,hi,soon\n",
            UtteranceColumns("speaker", "text", "time"),
            r"line 2: the time 'soon' is neither seconds nor hh:mm:ss",
        ),
    ],
)
def test_bad_tables_are_refused_in_one_line(
    data: bytes, columns: UtteranceColumns, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=rf"^t\.csv.*{message}"):
        read_utterance_table(data, "t.csv", columns)
