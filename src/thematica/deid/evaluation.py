"""Measuring a detector against annotated passages: precision and recall per identifier type.

Passages are written with inline annotations, ``my manager [[Sarah|PERSON]] said``, which keeps
the text readable and the spans exact (offsets are computed, never typed by hand).

Matching: a detection is a true positive when it overlaps an annotated span of the same type that
no other detection has matched; the rest are false positives, and unmatched annotations false
negatives. Overlap rather than exact boundaries, because what matters for de-identification is
that the identifier is caught ("Dr Okafor" or "Okafor" both remove the name). ``ANY`` counts a
detection as right whatever its type: the measure of what would leak.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from thematica.deid.entities import Detection, EntityType
from thematica.domain.text import Span
from thematica.errors import InvalidInputError

__all__ = [
    "AnnotatedInterview",
    "AnnotatedPassage",
    "Score",
    "evaluate",
    "parse_annotated",
    "parse_collection",
    "study_people_recall",
]

_MARK = re.compile(r"\[\[([^\]|]+)\|([A-Z_]+)\]\]")
ANY = "ANY"


@dataclass(frozen=True)
class AnnotatedPassage:
    text: str
    gold: tuple[Detection, ...]
    line: int = 0


def parse_annotated(source: str, *, name: str = "passages") -> list[AnnotatedPassage]:
    """Passages separated by blank lines; ``#`` lines are comments; ``[[surface|TYPE]]`` marks.

    >>> [p.gold[0].text for p in parse_annotated("Hi [[Jo|PERSON]].\\n\\nAt [[Leeds|PLACE]].")]
    ['Jo', 'Leeds']
    """
    passages: list[AnnotatedPassage] = []
    block: list[str] = []
    first_line = 0
    for number, line in enumerate([*source.splitlines(), ""], start=1):
        if line.startswith("#"):
            continue
        if line.strip():
            if not block:
                first_line = number
            block.append(line)
            continue
        if block:
            passages.append(_parse_passage("\n".join(block), name, first_line))
            block = []
    return passages


def _parse_passage(marked: str, name: str, line: int) -> AnnotatedPassage:
    out: list[str] = []
    gold: list[Detection] = []
    position = 0
    length = 0
    for m in _MARK.finditer(marked):
        plain = marked[position : m.start()]
        out.append(plain)
        length += len(plain)
        surface, label = m.group(1), m.group(2)
        try:
            type_ = EntityType(label)
        except ValueError:
            raise InvalidInputError(f"unknown type {label!r}", file=name, line=line) from None
        gold.append(Detection(Span(length, length + len(surface)), type_, surface, "gold"))
        out.append(surface)
        length += len(surface)
        position = m.end()
    out.append(marked[position:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise InvalidInputError("a [[...]] mark is not closed or lacks |TYPE", file=name, line=line)
    return AnnotatedPassage(text, tuple(gold), line)


@dataclass(frozen=True)
class AnnotatedInterview:
    """A whole annotated interview with what its study knows: the file it came from, the names
    on the participant sheet, and the participants' and interviewers' names (``people``), each of
    which must be removed wherever it occurs."""

    file_name: str
    sheet: tuple[str, ...]
    people: tuple[str, ...]
    passage: AnnotatedPassage


def parse_collection(source: str, *, name: str = "collection") -> list[AnnotatedInterview]:
    """Interviews, each opened by ``=== file: NAME``, then optional ``=== sheet: A; B`` and
    ``=== people: A; B`` lines, then the marked transcript up to the next ``=== file:``.
    Lines starting with ``#`` before the first interview are comments.

    >>> [i.passage.gold[0].text for i in parse_collection("=== file: a.txt\nHi [[Jo|PERSON]].")]
    ['Jo']
    """
    interviews: list[AnnotatedInterview] = []
    meta: dict[str, str] = {}
    body: list[str] = []
    first = 0

    def close() -> None:
        if not meta:
            return
        text = "\n".join(body).strip("\n") + "\n"
        passage = _parse_passage(text, name, first)
        interviews.append(
            AnnotatedInterview(
                meta["file"], _names(meta.get("sheet")), _names(meta.get("people")), passage
            )
        )

    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith("=== "):
            key, _, value = line[4:].partition(":")
            key = key.strip()
            if key == "file":
                close()
                meta, body, first = {}, [], number + 1
            elif not meta:
                raise InvalidInputError(
                    "'=== file:' must open an interview", file=name, line=number
                )
            if key not in ("file", "sheet", "people"):
                raise InvalidInputError(f"unknown heading {key!r}", file=name, line=number)
            meta[key] = value.strip()
            first = number + 1
        elif meta:
            body.append(line)
        elif line.strip() and not line.startswith("#"):
            raise InvalidInputError("text before the first '=== file:'", file=name, line=number)
    close()
    return interviews


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (value or "").split(";") if n.strip())


def study_people_recall(
    interviews: Sequence[AnnotatedInterview], found: Sequence[Sequence[Detection]]
) -> tuple[Score, Score]:
    """Recall by occurrence of people's names: ``(study people, everyone else)``. A marked
    person whose every word belongs to one of an interview's ``people`` is a study person
    (participant or interviewer). A name is caught when a detection of any type overlaps it:
    what matters is that it does not survive."""
    counts = [[0, 0], [0, 0]]  # [caught, missed] for study people, then for others
    for interview, detections in zip(interviews, found, strict=True):
        words = {w.casefold() for person in interview.people for w in person.split()}
        for g in interview.passage.gold:
            if g.type is not EntityType.PERSON:
                continue
            other = any(w.casefold() not in words for w in g.text.split())
            caught = any(d.span.overlaps(g.span) for d in detections)
            counts[other][0 if caught else 1] += 1
    return Score(counts[0][0], 0, counts[0][1]), Score(counts[1][0], 0, counts[1][1])


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else float("nan")

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else float("nan")


def _match(gold: Sequence[Detection], found: Sequence[Detection], typed: bool) -> tuple[int, int]:
    """(true positives, false positives) of ``found`` against ``gold``."""
    used = [False] * len(gold)
    tp = 0
    for d in found:
        for i, g in enumerate(gold):
            if not used[i] and d.span.overlaps(g.span) and (not typed or d.type is g.type):
                used[i] = True
                tp += 1
                break
    return tp, len(found) - tp


def evaluate(
    pairs: Iterable[tuple[Sequence[Detection], Sequence[Detection]]],
) -> dict[str, Score]:
    """Scores per type (and ``ANY``) over ``(gold, found)`` pairs, one pair per passage."""
    counts: dict[str, list[int]] = {t.value: [0, 0, 0] for t in EntityType}
    counts[ANY] = [0, 0, 0]
    for gold, found in pairs:
        for type_ in EntityType:
            g = [d for d in gold if d.type is type_]
            f = [d for d in found if d.type is type_]
            tp, fp = _match(g, f, typed=True)
            counts[type_.value][0] += tp
            counts[type_.value][1] += fp
            counts[type_.value][2] += len(g) - tp
        tp, fp = _match(list(gold), list(found), typed=False)
        counts[ANY][0] += tp
        counts[ANY][1] += fp
        counts[ANY][2] += len(gold) - tp
    return {key: Score(*values) for key, values in counts.items() if any(values)}
