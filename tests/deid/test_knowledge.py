"""Names the study knows (sheet, speaker labels, file names), found whatever the word lists say."""

from __future__ import annotations

import pytest

from thematica.deid import EntityType, detect
from thematica.deid.knowledge import StudyKnowledge, is_role_label

# Names from many cultures, none of them in the shipped forename list.
NAMES = ["Aoife", "Krzysztof", "Mei", "Ngozi", "Oluwaseun", "Tomasz", "Siobhán", "Rahul"]


@pytest.mark.parametrize("name", NAMES)
def test_a_speaker_label_the_lists_do_not_know_is_removed_in_every_turn(name: str) -> None:
    text = "".join(
        f"Interviewer: And then?\n\n{name}: Well, it went on. I'm still here.\n\n"
        for _ in range(101)
    )
    found = detect(text, known=StudyKnowledge(speakers=("Interviewer", name)))
    hits = [d for d in found if d.text == name]
    assert len(hits) == 101
    assert {d.type for d in hits} == {EntityType.PERSON}
    assert not any(d.text == "Interviewer" for d in found)


def test_sheet_names_are_found_whole_and_word_by_word_in_any_case() -> None:
    text = "Speaker 2: yeah sure, i'm aoife. Aoife Ní Bhriain. Bhriain is Irish."
    found = detect(text, known=StudyKnowledge(people=("Aoife Ní Bhriain",)))
    assert [d.text for d in found] == ["aoife", "Aoife Ní Bhriain", "Bhriain"]


def test_file_names_give_names_but_not_their_ordinary_words() -> None:
    known = StudyKnowledge(file_names=("PSW07_Ngozi.docx", "interview_03_Tomasz-Final.txt"))
    assert known.names() == {"Ngozi": EntityType.PERSON, "Tomasz": EntityType.PERSON}
    assert StudyKnowledge(file_names=("leeds_focus_group_2.txt",)).names() == {
        "leeds": EntityType.PLACE
    }


def test_hostile_names_are_words_never_patterns() -> None:
    known = StudyKnowledge(
        people=("O'Brien (Jr.)", ".*", "[Name]", "  "),
        speakers=("Ngozi [00:01:02]",),
        file_names=("../../etc/passwd", "C:\\Users\\mei.lin\\int 3 (final).docx"),
    )
    names = known.names()
    assert {"O'Brien", "Jr", "Ngozi", "mei", "lin"} <= set(names)
    assert not any(c in "".join(names) for c in ".*[]()/\\")
    text = "O'Brien met Ngozi and Mei Lin. Nothing else .* matches [Name] here."
    assert [d.text for d in known.find(text)] == ["O'Brien", "Ngozi", "Mei", "Lin"]


def test_speaker_labels_that_name_no_one_give_no_names() -> None:
    labels = ("Both", "Unknown Speaker", "Male Voice", "Nurse", "Peer Worker 2", "Interviewer")
    assert StudyKnowledge(speakers=labels).names() == {}
    assert StudyKnowledge(speakers=("Nurse Temitope",)).names() == {"Temitope": EntityType.PERSON}


def test_a_known_name_that_is_also_a_word_counts_only_capitalised() -> None:
    text = "Grace said it was by grace alone. Will you? I will."
    found = detect(text, known=StudyKnowledge(people=("Grace Will",)))
    assert [d.text for d in found if d.span.start < 34] == ["Grace"]
    assert "grace" not in [d.text for d in found]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Interviewer", True),
        ("Researcher 1", True),
        ("P07", True),
        ("Speaker 2", True),
        ("R", True),
        ("Sam", False),
        ("Al", False),
        ("Aoife", False),
    ],
)
def test_role_labels_are_not_names(label: str, role: bool) -> None:
    assert is_role_label(label) is role
