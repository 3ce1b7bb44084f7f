"""Warnings when the turns found do not look like the transcript's real turns."""

from __future__ import annotations

from thematica.interchange.speakers import detect_turns
from thematica.interchange.turn_checks import role_notice, turn_notices


def test_good_turns_need_no_notice() -> None:
    text = "".join(f"Interviewer: question {i}?\n\nP01: answer {i}.\n\n" for i in range(5))
    assert turn_notices(text, detect_turns(text)) == ()


def test_no_turns_at_all() -> None:
    (notice,) = turn_notices("Just prose, no labels.\n", detect_turns("Just prose, no labels.\n"))
    assert notice.startswith("no speaker turns were found") and "--speaker-pattern" in notice


def test_much_of_the_text_in_no_turn() -> None:
    preamble = "A long introduction the transcriber wrote about the setting. " * 20
    text = preamble + "\n\nInterviewer: hi\n\nP01: hello\n"
    (notice,) = turn_notices(text, detect_turns(text))
    assert "of the text lies in no speaker turn" in notice


def test_one_turn_far_longer_than_the_rest() -> None:
    # The participant's labels use a layout that was missed: all of it lands in one turn.
    short = "".join(f"Interviewer: q{i}?\n\n" for i in range(6))
    long_answer = "Maria > " + "and then I talked for a long while about it. " * 60
    text = short + "P01: yes\n\n" + long_answer + "\n\nP01: end\n"
    notices = turn_notices(text, detect_turns(text))
    assert any("one turn (line 13) holds" in n and "times the others" in n for n in notices)


def test_role_notice_names_the_speakers_and_the_option() -> None:
    notice = role_notice(["Travis", "Sarah"], [None, None])
    assert notice is not None and "Travis, Sarah" in notice and "--interviewer NAME" in notice
    assert role_notice(["Interviewer", "P01"], ["interviewer", "participant"]) is None
    assert role_notice([], []) is None
