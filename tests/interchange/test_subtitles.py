from __future__ import annotations

import itertools

import pytest

from tests.conftest import require_shared
from thematica.errors import InvalidInputError
from thematica.interchange.subtitles import read_srt, read_vtt

VTT = b"""WEBVTT

NOTE made for the test

1
00:00:00.000 --> 00:00:02.500 align:start
<v Sarah>In today's episode, you'll learn

00:00:02.500 --> 00:00:04.000
<v Sarah>whether you need a <i>trailer</i> &amp; more.

00:00:05.000 --> 00:00:07.250
Gillian: Hi, Gillian here

00:00:07.250 --> 00:00:09.000
from the careers podcast.
"""


def test_cues_merge_into_turns_with_times() -> None:
    imported = read_vtt(VTT, "p.vtt")
    assert imported.text == (
        "Sarah: In today's episode, you'll learn whether you need a trailer & more.\n\n"
        "Gillian: Hi, Gillian here from the careers podcast.\n"
    )
    assert [(t.speaker, t.start_seconds, t.end_seconds) for t in imported.turns] == [
        ("Sarah", 0.0, 4.0),
        ("Gillian", 5.0, 9.0),
    ]


def test_srt_with_crlf() -> None:
    srt = (
        b"1\r\n00:00:00,179 --> 00:00:02,399\r\nTravis: When you first get\r\nstarted,\r\n\r\n"
        b"2\r\n00:00:02,400 --> 00:00:04,799\r\n{\\an8}<i>it's</i> hard.\r\n"
    )
    imported = read_srt(srt, "p.srt")
    assert imported.text == "Travis: When you first get started, it's hard.\n"
    assert imported.turns[0].start_seconds == pytest.approx(0.179)
    assert imported.turns[0].end_seconds == pytest.approx(4.799)


def test_real_podcast_vtt_and_srt_agree() -> None:
    folder = require_shared() / "transcripts" / "podcast_vtt_srt"
    vtt = read_vtt((folder / "podcasting_qa_example_full.vtt").read_bytes(), "full.vtt")
    srt = read_srt((folder / "podcasting_qa_example_full.srt").read_bytes(), "full.srt")
    assert vtt.text == srt.text
    assert vtt.turns == srt.turns
    speakers = [t.speaker for t in vtt.turns]
    assert set(speakers) == {"Travis", "Sarah", "Gilon"}
    assert all(a != b for a, b in itertools.pairwise(speakers)), "turns alternate"
    starts = [t.start_seconds or 0.0 for t in vtt.turns]
    assert starts == sorted(starts)
    short = read_vtt((folder / "podcasting_qa_trailer_short.vtt").read_bytes(), "short.vtt")
    assert "Podcasting Q&A" in short.text and "&amp;" not in short.text
    assert [t.speaker for t in short.turns] == ["Sarah", "Gillian"]


@pytest.mark.parametrize(
    ("reader", "data", "message"),
    [
        (read_vtt, b"not a subtitle file", r"^x, line 1: not a WebVTT file"),
        (read_vtt, b"WEBVTT\n\n", r"^x: the file holds no subtitle cues"),
        (read_srt, b"1\n00:00:01 --> soon\nhello\n", r"^x, line 2: a cue's timing line"),
    ],
)
def test_bad_subtitles(reader, data: bytes, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError, match=message):
        reader(data, "x")
