"""Cited authors are a type of their own; organisations known by their initials are found."""

from __future__ import annotations

from thematica.deid import EntityType, detect
from thematica.deid.acronyms import find_acronyms
from thematica.deid.citations import find_authors


def test_cited_authors_are_found_by_the_words_around_them() -> None:
    text = (
        "We use the Braun and Clarke version, as in Charmaz (2006) and Tong et al. Something "
        "from Gibbs, the reflective cycle. My manager Clarke said no."
    )
    found = [(d.text, d.type) for d in find_authors(text)]
    assert found == [
        ("Braun", EntityType.AUTHOR),
        ("Clarke", EntityType.AUTHOR),
        ("Charmaz", EntityType.AUTHOR),
        ("Tong", EntityType.AUTHOR),
        ("Gibbs", EntityType.AUTHOR),
    ]


def test_an_authors_forename_mid_sentence_is_part_of_the_name() -> None:
    found = [
        d.text for d in find_authors("Intentional Peer Support, Shery Mead's work. So Mead's work.")
    ]
    assert found == ["Shery Mead", "Mead"]
    for opening in ("Reading Gibbs reflective cycle.", "So. Reading Gibbs reflective cycle."):
        assert [d.text for d in find_authors(opening)] == ["Gibbs"]


def test_detect_keeps_authors_apart_from_people() -> None:
    found = {d.text: d.type for d in detect("Thematic Analysis, the Braun and Clarke kind.")}
    assert found == {"Braun": EntityType.AUTHOR, "Clarke": EntityType.AUTHOR}


def test_acronyms_are_organisations_when_the_text_says_so() -> None:
    text = (
        "I was at Leeds and York Partnership NHS Foundation Trust, the LYPFT lot, then SLaM. "
        "We did CBT and a PhD, and my GP and the NHS helped. I worked at NSFT for a bit."
    )
    found = detect(text)
    organisations = [d.text for d in found if d.type is EntityType.ORGANISATION]
    assert organisations == [
        "Leeds and York Partnership NHS Foundation Trust",
        "LYPFT",
        "SLaM",
        "NSFT",
    ]
    assert find_acronyms("We did CBT and a PhD with the GP.") == []


def test_an_organisation_followed_by_a_nation_is_one_organisation() -> None:
    found = [
        (d.text, d.type) for d in detect("It was Public Health England and then Sport England.")
    ]
    assert found == [
        ("Public Health England", EntityType.ORGANISATION),
        ("Sport England", EntityType.ORGANISATION),
    ]
