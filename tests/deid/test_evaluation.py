"""The evaluation function, and the detector measured on the fictional annotated passages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from thematica.deid import Detection, EntityType, detect, evaluate, parse_annotated
from thematica.deid.evaluation import AnnotatedInterview, parse_collection, study_people_recall
from thematica.deid.knowledge import StudyKnowledge
from thematica.domain.text import Span
from thematica.errors import InvalidInputError
from thematica.interchange.speakers import detect_turns

DATA = Path(__file__).parent / "data"


def _d(start: int, end: int, type_: EntityType) -> Detection:
    return Detection(Span(start, end), type_, "x" * (end - start))


def test_parsing_computes_spans_from_marks() -> None:
    [p] = parse_annotated("# comment\nAsk [[Sarah|PERSON]] in [[Leeds|PLACE]].\n")
    assert p.text == "Ask Sarah in Leeds."
    assert [(p.text[g.span.start : g.span.end], g.type) for g in p.gold] == [
        ("Sarah", EntityType.PERSON),
        ("Leeds", EntityType.PLACE),
    ]
    with pytest.raises(InvalidInputError, match="unknown type"):
        parse_annotated("[[Sarah|NAMEX]]")
    with pytest.raises(InvalidInputError, match="not closed"):
        parse_annotated("[[Sarah|PERSON]")


def test_precision_and_recall_count_overlaps_of_the_same_type_once() -> None:
    gold = [_d(0, 5, EntityType.PERSON), _d(10, 15, EntityType.PLACE)]
    found = [
        _d(1, 4, EntityType.PERSON),  # overlaps the person: right
        _d(2, 5, EntityType.PERSON),  # the same person again: a false alarm
        _d(10, 15, EntityType.PERSON),  # the place, called a person
    ]
    scores = evaluate([(gold, found)])
    person, place, any_ = scores["PERSON"], scores["PLACE"], scores["ANY"]
    assert (person.true_positives, person.false_positives, person.false_negatives) == (1, 2, 0)
    assert person.precision == pytest.approx(1 / 3) and person.recall == 1.0
    assert place.recall == 0.0 and math.isnan(place.precision)
    assert (any_.true_positives, any_.false_positives, any_.false_negatives) == (2, 1, 0)


def _scores(name: str) -> dict[str, float]:
    passages = parse_annotated((DATA / name).read_text(encoding="utf-8"), name=name)
    scores = evaluate([(p.gold, detect(p.text)) for p in passages])
    return {k: s.recall for k, s in scores.items()}


def test_the_annotated_set_is_large_enough_and_fictional() -> None:
    source = (DATA / "annotated_passages.txt").read_text(encoding="utf-8")
    assert source.startswith("# FICTIONAL")
    passages = parse_annotated(source)
    assert len(passages) >= 30
    types = {g.type for p in passages for g in p.gold}
    assert types == set(EntityType) - {EntityType.IDENTIFIER, EntityType.AUTHOR}


@pytest.mark.parametrize(
    "name", ["annotated_passages.txt", "held_out_passages.txt", "held_out_2_passages.txt"]
)
def test_person_recall_meets_the_target(name: str) -> None:
    # The issue's target: recall >= 0.95 for person names. bench/bench_deid.py prints the rest.
    assert _scores(name)["PERSON"] >= 0.95


def test_identifiers_of_any_type_are_caught() -> None:
    assert _scores("annotated_passages.txt")["ANY"] >= 0.95


def _collections() -> list[AnnotatedInterview]:
    interviews: list[AnnotatedInterview] = []
    for path in sorted(DATA.glob("collection_*.txt")):
        source = path.read_text(encoding="utf-8")
        assert source.startswith("# FICTIONAL")
        interviews += parse_collection(source, name=path.name)
    return interviews


def _detect_with_knowledge(interview: AnnotatedInterview) -> list[Detection]:
    text = interview.passage.text
    known = StudyKnowledge(
        people=interview.sheet,
        speakers=tuple(t.speaker for t in detect_turns(text)),
        file_names=(interview.file_name,),
    )
    return detect(text, known=known)


def test_the_interview_collections_meet_the_goals_of_issue_11() -> None:
    interviews = _collections()
    assert len(interviews) >= 6
    found = [_detect_with_knowledge(i) for i in interviews]
    people, others = study_people_recall(interviews, found)
    assert people.true_positives >= 50 and people.recall == 1.0
    assert others.true_positives >= 25 and others.recall >= 0.95
    proposals = evaluate([(i.passage.gold, f) for i, f in zip(interviews, found, strict=True)])
    assert proposals["ANY"].precision >= 0.80
    # without what the study knows, names the lists lack are missed: the knowledge is what counts
    bare = [detect(i.passage.text) for i in interviews]
    assert study_people_recall(interviews, bare)[0].recall < 1.0


def test_collection_headings_are_checked() -> None:
    with pytest.raises(InvalidInputError, match="line 1"):
        parse_collection("=== sheet: A\n")
    with pytest.raises(InvalidInputError, match="unknown heading"):
        parse_collection("=== file: a.txt\n=== owner: B\n")
    [one] = parse_collection("=== file: a.txt\n=== people: A B; C\nHi [[A|PERSON]].\n")
    assert one.people == ("A B", "C") and one.passage.text == "Hi A.\n"


def test_the_benchmark_keeps_columns_and_rows_it_did_not_measure() -> None:
    import importlib.util

    path = Path(__file__).parents[2] / "bench" / "bench_deid.py"
    spec = importlib.util.spec_from_file_location("bench_deid", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    old = (
        "## De-identification\n\n`a.txt`: 3 passages\n\n"
        "| type | Thematica | Presidio |\n| --- | ---: | ---: |\n"
        "| PERSON | 0.90 | 0.70 |\n| ANY | 0.95 | 0.80 |\n\nThroughput on 9 characters\n\n"
        "| path | seconds |\n| --- | ---: |\n| detect | 1.0 |\n| Presidio (scaled) | 90.0 |\n"
    )
    new = (
        "## De-identification\n\n`a.txt`: 3 passages\n\n"
        "| type | Thematica |\n| --- | ---: |\n| PERSON | 0.99 |\n| ANY | 0.98 |\n\n"
        "Throughput on 9 characters\n\n| path | seconds |\n| --- | ---: |\n| detect | 0.5 |\n"
    )
    merged = bench.keep_unmeasured(new, old)
    assert "| type | Thematica | Presidio |" in merged
    assert "| PERSON | 0.99 | 0.70 |" in merged and "| ANY | 0.98 | 0.80 |" in merged
    assert "| detect | 0.5 |" in merged and "| Presidio (scaled) | 90.0 |" in merged
    assert "kept from the previous run" in merged
    assert bench.keep_unmeasured(new, "") == new
