from __future__ import annotations

import pytest

from thematica.interchange.speakers import (
    INTERVIEWER,
    PARTICIPANT,
    Utterance,
    assign_roles,
    detect_turns,
    parse_clock,
    render_turns,
    split_label,
)


def _turns(text: str) -> list[tuple[str, str, float | None]]:
    return [(t.speaker, t.span.of(text), t.start_seconds) for t in detect_turns(text)]


def test_name_labels_run_to_the_next_label_and_cover_the_label() -> None:
    text = "Interviewer: How did you start?\nmore of the question\n\nP07: Through recovery.\n"
    assert _turns(text) == [
        ("Interviewer", "Interviewer: How did you start?\nmore of the question", None),
        ("P07", "P07: Through recovery.", None),
    ]


def test_prose_with_a_colon_is_not_a_speaker() -> None:
    text = (
        "Sam: I said this: no.\nnote that: lower case\nThe reasons I gave were many and varied: x\n"
    )
    assert [s for s, _, _ in _turns(text)] == ["Sam"]


def test_bracket_tags_but_not_annotations_or_timestamps() -> None:
    text = "[id1] hello there\n[inaudible] words\n[00:01:02] still id1\n[id2] I disagree\n"
    turns = _turns(text)
    assert [s for s, _, _ in turns] == ["id1", "id2"]
    assert turns[0][1] == "[id1] hello there\n[inaudible] words\n[00:01:02] still id1"


def test_timestamps_before_or_after_the_name_are_kept() -> None:
    text = "[00:01:02] Sam: first\n\nJo (1:03:04): second\n\n12:30 Sam: third\n"
    assert [(s, t) for s, _, t in _turns(text)] == [
        ("Sam", 62.0),
        ("Jo", 3784.0),
        ("Sam", 750.0),
    ]


def test_otter_headers_open_a_turn_with_the_speech_below() -> None:
    text = "Tom Smith  0:03\nHello, welcome.\n\nSpeaker 2  1:15\nThanks.\nWe met at 10:30\n"
    assert _turns(text) == [
        ("Tom Smith", "Tom Smith  0:03\nHello, welcome.", 3.0),
        ("Speaker 2", "Speaker 2  1:15\nThanks.\nWe met at 10:30", 75.0),
    ]


def test_transcription_service_header_is_kept_out_of_the_turns() -> None:
    header = (
        "Transcript of interview 7\nDate: 3 May 2024\nDuration: 45:12\nParticipants: Int, P07\n"
    )
    text = header + "\nInt: Hello.\n\nP07: Hi.\n"
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Int", "P07"]
    assert turns[0].span.start == len(header) + 1


def test_markdown_bold_labels() -> None:
    assert [s for s, _, _ in _turns("**Sam:** hello\n**Jo**: hi\n")] == ["Sam", "Jo"]


def test_split_label_refuses_header_keys() -> None:
    assert split_label("Sarah: hi there") == ("Sarah", "hi there")
    assert split_label("Date: 3 May") is None
    assert split_label("no label here") is None


@pytest.mark.parametrize(
    ("clock", "seconds"),
    [("0:03", 3.0), ("01:02:03", 3723.0), ("00:00:02,399", 2.399), ("1:02.5", 62.5)],
)
def test_parse_clock(clock: str, seconds: float) -> None:
    assert parse_clock(clock) == pytest.approx(seconds)


def test_render_turns_merges_a_speakers_consecutive_utterances() -> None:
    text, turns = render_turns(
        [
            Utterance("Sarah", "In today's episode you", 0.0, 2.5),
            Utterance("", "will learn a lot.", 2.5, 4.0),
            Utterance("Sarah", "Welcome.", 4.0, 5.0),
            Utterance("Gill", "Hi  there\nall", 6.0, 7.5),
        ]
    )
    assert (
        text == "Sarah: In today's episode you will learn a lot. Welcome.\n\nGill: Hi there all\n"
    )
    assert [(t.speaker, t.span.of(text), t.start_seconds, t.end_seconds) for t in turns] == [
        ("Sarah", "Sarah: In today's episode you will learn a lot. Welcome.", 0.0, 5.0),
        ("Gill", "Gill: Hi there all", 6.0, 7.5),
    ]
    assert detect_turns(text) == tuple(type(t)(t.span, t.speaker) for t in turns), (
        "the laid-out text reads back to the same turns"
    )


def test_roles_from_names_and_from_the_interviewer_option() -> None:
    assert assign_roles(["Interviewer", "P07"]) == {"Interviewer": INTERVIEWER, "P07": PARTICIPANT}
    assert assign_roles(["Int", "Sam"]) == {"Int": INTERVIEWER, "Sam": PARTICIPANT}
    assert assign_roles(["Travis", "Sarah"]) == {"Travis": None, "Sarah": None}
    assert assign_roles(["Travis", "Sarah"], interviewers=["travis"]) == {
        "Travis": INTERVIEWER,
        "Sarah": PARTICIPANT,
    }
    assert assign_roles(["id1", "Respondent"]) == {"id1": PARTICIPANT, "Respondent": PARTICIPANT}
