"""Names of people, places and organisations as they appear in interview speech."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thematica.deid import EntityType, detect
from thematica.deid.names import find_names


def _names(text: str) -> list[tuple[str, str]]:
    return [(d.text, d.type.value) for d in detect(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my manager Sarah said so", [("Sarah", "PERSON")]),
        ("i told dave about it", [("dave", "PERSON")]),
        ("sarah's office is next door", [("sarah", "PERSON")]),
        ("I met Siobhan O'Neill there", [("Siobhan O'Neill", "PERSON")]),
        ("the nurse, Chloe-Anne, helped", [("Chloe-Anne", "PERSON")]),
        ("then Dr Okafor came", [("Okafor", "PERSON")]),
        ("a tutor called Grace. She had grace.", [("Grace", "PERSON")]),
        ("I will say, Will was good", [("Will", "PERSON")]),
        ("my boss there was precious, really", [("precious", "PERSON")]),
        ("ask mrs o'hara", [("o'hara", "PERSON")]),
        ("Ring Sarah tomorrow", [("Sarah", "PERSON")]),  # not swallowed by the word before
    ],
)
def test_people(text: str, expected: list[tuple[str, str]]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I live in Harehills, in Leeds.", [("Harehills", "PLACE"), ("Leeds", "PLACE")]),
        ("up in newcastle upon tyne", [("newcastle", "PLACE")]),
        ("we moved to Newcastle upon Tyne", [("Newcastle upon Tyne", "PLACE")]),
        (
            "at 22 Greenhill Road, Sheffield",
            [("22 Greenhill Road", "PLACE"), ("Sheffield", "PLACE")],
        ),
        (
            "I work at Northvale Mental Health Trust now",
            [("Northvale Mental Health Trust", "ORGANISATION")],
        ),
        ("over at St Mary's for supervision", [("St Mary's", "ORGANISATION")]),
        ("my dad worked at Tesco", [("Tesco", "ORGANISATION")]),
        ("referrals from Mind. Mind you, not many.", [("Mind", "ORGANISATION")]),
        ("they put me on Ward 18", [("Ward 18", "ORGANISATION")]),
        ("at Larch Ward in Leeds", [("Larch Ward", "ORGANISATION"), ("Leeds", "PLACE")]),
        (
            "the Bangladeshi Women's Association meets upstairs",
            [("Bangladeshi Women's Association", "ORGANISATION")],
        ),
    ],
)
def test_places_and_organisations(text: str, expected: list[tuple[str, str]]) -> None:
    assert _names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "So I said to them, honestly, it was fine.",
        "We meet on Tuesdays in May, and at Christmas.",
        "The NHS and the GP and HR were all involved in England.",
        "I hope the group goes well, and will see.",
        "Interviewer: Thanks.\n\nParticipant: Yeah.",
        # issue 11: degrees, software, methods, pronouns with apostrophes, months as words
        "I'm doing my PhD, and I've an MSc and a BSc. I'd say the PhD was hard.",
        "We code in NVivo, SPSS and Excel, and meet on Zoom or Teams.",
        "It was Thematic Analysis, then Open Science, and a bit of Open Dialogue.",
        "In May we changed the rota. March was hard, and April worse.",
        # countries and nationalities, treated one way: never proposed
        "I came from Poland, then Nigeria, then Hong Kong; I'm Polish and Finnish.",
        "She grew up in Ireland and Northern Ireland, and in the Caribbean.",
    ],
)
def test_ordinary_capitalised_words_are_not_names(text: str) -> None:
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Hi, I'm Krzysztof, from the hub.", "Krzysztof"),
        ("My name is Oluwaseun and I do peer work.", "Oluwaseun"),
        ("Thanks, Siobhán. That's all.", "Siobhán"),
        ("Hi Mei, thanks for joining.", "Mei"),
        ("my colleague Tomasz runs it", "Tomasz"),
        ("Honestly, the other peers. Ngozi especially.", "Ngozi"),
        ("Agnieszka, she was six then.", "Agnieszka"),
    ],
)
def test_names_on_no_list_are_found_by_introduction_address_and_shape(text: str, name: str) -> None:
    assert (name, "PERSON") in _names(text)


def test_a_name_found_once_is_found_in_lower_case_elsewhere() -> None:
    text = "Professor Achterberg was old school. achterberg thought we were befrienders."
    assert _names(text) == [("Achterberg", "PERSON"), ("achterberg", "PERSON")]


def test_names_that_are_words_are_not_spread() -> None:
    assert _names("Grace came. Then grace under pressure.") == []
    assert _names("I said Grace came, then grace under pressure.") == [("Grace", "PERSON")]


def test_the_study_list_wins_and_is_used_case_blind() -> None:
    found = detect(
        "we went to the bluebell, the Bluebell unit", terms={"Bluebell": EntityType.PLACE}
    )
    assert [(d.text, d.type, d.detector) for d in found][:2] == [
        ("bluebell", EntityType.PLACE, "study-list"),
        ("Bluebell", EntityType.PLACE, "study-list"),
    ]


def test_every_detection_is_its_own_text() -> None:
    text = "Participant: My manager Sarah, at Larch Ward in Leeds, said ring 07700 900123."
    for d in find_names(text) + detect(text):
        assert text[d.span.start : d.span.end] == d.text


_WORDS = st.sampled_from(
    [
        "Sarah",
        "sarah's",
        "Leeds",
        "St",
        "Mary's",
        "Ward",
        "Trust",
        "and",
        "upon",
        "the",
        "The",
        "Mr",
        "mrs",
        "I",
        "said",
        "called",
        "my",
        "manager",
        "07700",
        "900123",
        "LS6",
        "2QT",
        "@",
        "x.y@example.org",
        "dot",
        "at",
        "Will",
        "will",
        ".",
        ",",
        "\n",
        "O'Neill",
        "Chloe-Anne",
        "A&E",
        "CIC",
        "é",
        "’s",
        "-",
        "Newcastle",
        "Tyne",
        "born",
        "on",
        "3rd",
        "March",
        "1987",
    ]
)


@given(st.lists(_WORDS, max_size=60), st.sampled_from([" ", "", "  "]))
def test_any_text_gives_detections_inside_it_without_overlaps(words: list[str], sep: str) -> None:
    text = sep.join(words)
    found = detect(text)
    for d in found:
        assert 0 <= d.span.start < d.span.end <= len(text)
        assert text[d.span.start : d.span.end] == d.text
    for a, b in itertools.pairwise(found):
        assert a.span.end <= b.span.start
