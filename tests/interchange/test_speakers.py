"""Speaker turns in every common layout, from transcripts written here for the tests
(fictional speakers and speech)."""

from __future__ import annotations

import re

import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.speakers import (
    INTERVIEWER,
    PARTICIPANT,
    Utterance,
    assign_roles,
    compile_speaker_pattern,
    detect_turns,
    parse_clock,
    render_turns,
    split_label,
)


def _turns(text: str, **options: object) -> list[tuple[str, str, float | None]]:
    return [
        (t.speaker, t.span.of(text), t.start_seconds)
        for t in detect_turns(text, **options)  # type: ignore[arg-type]
    ]


def test_name_labels_run_to_the_next_label_and_cover_the_label() -> None:
    text = "Interviewer: How did you start?\nmore of the question\n\nP07: Through recovery.\n"
    assert _turns(text) == [
        ("Interviewer", "Interviewer: How did you start?\nmore of the question", None),
        ("P07", "P07: Through recovery.", None),
    ]


def test_a_label_must_recur_or_be_known() -> None:
    text = "Sam: I said this: no.\nDear Sir: lower case\nnote that: prose\n\nSam: again.\n"
    assert [s for s, _, _ in _turns(text)] == ["Sam", "Sam"], "'Dear Sir' appears once"
    once = "Amara: hello there.\n\nInterviewer: and you?\n"
    assert [s for s, _, _ in _turns(once)] == ["Interviewer"], "'Amara' speaks once, unknown"
    assert [s for s, _, _ in _turns(once, known=["amara"])] == ["Amara", "Interviewer"]


def test_label_alone_on_its_line_with_the_speech_below() -> None:
    text = (
        "Researcher 1:\nHow did you come to this work?\n\n"
        "Participant 4:\nThrough my own recovery.\nIt took years.\n\n"
        "Researcher 1:\nAnd now?\n"
    )
    turns = _turns(text)
    assert [s for s, _, _ in turns] == ["Researcher 1", "Participant 4", "Researcher 1"]
    assert turns[1][1] == "Participant 4:\nThrough my own recovery.\nIt took years."


def test_name_and_time_with_one_space() -> None:
    text = "Tomás Ruiz 00:00\nWelcome.\n\nLeila Haddad 00:12\nThanks.\n\nTomás Ruiz 01:05\nSo.\n"
    text += "\nLeila Haddad 01:30\nYes.\n"
    assert [(s, t) for s, _, t in _turns(text)] == [
        ("Tomás Ruiz", 0.0),
        ("Leila Haddad", 12.0),
        ("Tomás Ruiz", 65.0),
        ("Leila Haddad", 90.0),
    ]
    assert [s for s, _, _ in _turns("We met at 10:30\nand talked.\n")] == []


def test_otter_headers_with_two_spaces_still_work() -> None:
    text = "Tom Smith  0:03\nHello, welcome.\n\nSpeaker 2  1:15\nThanks.\nWe met at 10:30\n"
    text += "\nTom Smith  2:00\nRight.\n"
    assert _turns(text) == [
        ("Tom Smith", "Tom Smith  0:03\nHello, welcome.", 3.0),
        ("Speaker 2", "Speaker 2  1:15\nThanks.\nWe met at 10:30", 75.0),
        ("Tom Smith", "Tom Smith  2:00\nRight.", 120.0),
    ]


def test_indented_labels() -> None:
    text = "    Interviewer: First question?\n\t  Nkechi: An answer.\n    Interviewer: Next?\n"
    text += "\tNkechi: Another.\n"
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Interviewer", "Nkechi", "Interviewer", "Nkechi"]
    assert [t.span.of(text).split(":")[0] for t in turns] == [t.speaker for t in turns], (
        "a turn starts at its label, after the indentation"
    )


def test_a_name_alone_on_a_line_followed_by_speech() -> None:
    text = (
        "INTERVIEWER\nWhat does supervision look like?\n\n"
        "Aroha Ngata\nEvery fortnight, mostly.\nSometimes less.\n\n"
        "INTERVIEWER\nAnd is it enough?\n\n"
        "Aroha Ngata\nNo.\n"
    )
    turns = _turns(text)
    assert [s for s, _, _ in turns] == ["INTERVIEWER", "Aroha Ngata", "INTERVIEWER", "Aroha Ngata"]
    assert turns[1][1] == "Aroha Ngata\nEvery fortnight, mostly.\nSometimes less."
    prose = "Introduction\nThis study asked peer workers.\n\nMethods\nWe interviewed.\n"
    assert _turns(prose) == [], "headings that never recur are no speakers"


def test_a_wrapped_pdf_line_starting_with_a_bracketed_phrase_is_no_speaker() -> None:
    text = (
        "[id1] so I went back to the\n[pause for breath] office and said no\n"
        "[Laughs] twice.\n[id2] Right.\n[id1] Yes.\n[00:01:02] still id1\n"
    )
    turns = _turns(text)
    assert [s for s, _, _ in turns] == ["id1", "id2", "id1"]
    assert turns[0][1] == "[id1] so I went back to the\n[pause for breath] office and said no\n" + (
        "[Laughs] twice."
    )


def test_names_from_every_culture() -> None:
    names = [
        "Nguyễn Thị Lan",
        "محمد العلي",
        "李伟",
        "प्रिया",
        "Ólafur Þórsson",
        "Zoë O’Brien",
        "de Souza",
        "Ама Мирова",
        "Ngũgĩ wa Thiong'o",
        "José-María",
    ]
    text = "".join(f"{name}: first words.\n\nInterviewer: thanks.\n\n" for name in names)
    text += "".join(f"{name}: more.\n\n" for name in names)
    found = [t.speaker for t in detect_turns(text)]
    assert [s for s in found if s != "Interviewer"] == names + names


def test_timestamps_before_or_after_the_name_are_kept() -> None:
    text = "[00:01:02] Sam: first\n\nJo (1:03:04): second\n\n12:30 Sam: third\n\nJo: fourth\n"
    assert [(s, t) for s, _, t in _turns(text)] == [
        ("Sam", 62.0),
        ("Jo", 3784.0),
        ("Sam", 750.0),
        ("Jo", None),
    ]


def test_transcription_service_header_is_kept_out_of_the_turns() -> None:
    header = (
        "Transcript of interview 7\nDate: 3 May 2024\nDuration: 45:12\nParticipants: Int, P07\n"
    )
    text = header + "\nInt: Hello.\n\nP07: Hi.\n"
    turns = detect_turns(text)
    assert [t.speaker for t in turns] == ["Int", "P07"]
    assert turns[0].span.start == len(header) + 1


def test_markdown_bold_labels_and_full_width_colons() -> None:
    assert [s for s, _, _ in _turns("**Sam:** hello\n**Jo**: hi\n**Sam:** so\n**Jo:** ok\n")] == [
        "Sam",
        "Jo",
        "Sam",
        "Jo",
    ]
    assert [s for s, _, _ in _turns("王芳：你好。\n李伟：你好。\n王芳：谢谢。\n李伟：好。\n")] == [
        "王芳",
        "李伟",
        "王芳",
        "李伟",
    ]


def test_the_speaker_pattern_replaces_the_layouts() -> None:
    text = "-- ANA --\nhello\n-- BEN --\nhi\n\nInterviewer: not a label here\n"
    pattern = compile_speaker_pattern(r"-- (?P<speaker>[A-Z]+) --")
    assert [(s, body) for s, body, _ in _turns(text, pattern=pattern)] == [
        ("ANA", "-- ANA --\nhello"),
        ("BEN", "-- BEN --\nhi\n\nInterviewer: not a label here"),
    ]
    with pytest.raises(InvalidInputError, match="not a regular expression"):
        compile_speaker_pattern("(unclosed")
    with pytest.raises(InvalidInputError, match="matches an empty line"):
        compile_speaker_pattern(".*")
    assert isinstance(compile_speaker_pattern(r"(\w+):"), re.Pattern)


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
    assert detect_turns(text, known=["Sarah", "Gill"]) == tuple(
        type(t)(t.span, t.speaker) for t in turns
    ), "the laid-out text reads back to the same turns"


def test_roles_from_names_and_from_the_interviewer_option() -> None:
    assert assign_roles(["Interviewer", "P07"]) == {"Interviewer": INTERVIEWER, "P07": PARTICIPANT}
    assert assign_roles(["Int", "Sam"]) == {"Int": INTERVIEWER, "Sam": PARTICIPANT}
    assert assign_roles(["Travis", "Sarah"]) == {"Travis": None, "Sarah": None}
    assert assign_roles(["Travis", "Sarah"], interviewers=["travis"]) == {
        "Travis": INTERVIEWER,
        "Sarah": PARTICIPANT,
    }
    assert assign_roles(["id1", "Respondent"]) == {"id1": PARTICIPANT, "Respondent": PARTICIPANT}
