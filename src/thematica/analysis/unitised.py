"""From codings to units: "code present or absent in this unit", per code, coder and document.

Agreement statistics compare ratings of units; qualitative codings are spans. This module turns
the spans several coders applied to the same documents into reliability data (coders × units,
see :mod:`thematica.analysis.agreement`) with the unitisations of :mod:`thematica.analysis.units`
(speaker turn, sentence, paragraph, character).

The rules, each a decision a researcher should be able to read:

* **Presence.** Coder ``c`` rated unit ``u`` *1 for code k* when any of ``c``'s codings counted
  for ``k`` overlaps ``u`` by at least one character, and *0* otherwise. Which codings count for
  a code is the caller's choice (``codes`` as a mapping): its own codings only, or also its
  descendants' ("roll-up", so a theme is present when any of its sub-codes is).
* **Missing.** A coder who made no coding at all in a document (with any code) did not code that
  document: their ratings of its units are missing (NaN), not 0. A coder who coded the document
  but not with code ``k`` rated ``k`` absent in every unit.
* **Which documents.** ``keep="double-coded"`` (the default) keeps the documents that at least
  two of the coders coded; ``keep="all"`` keeps every document given.
* **Uncoded units.** ``uncoded="include"`` keeps every unit; ``uncoded="exclude"`` drops the
  units that no coder coded with any of the codes, which long uncoded stretches otherwise fill
  with agreeing zeros (the reason character-level kappa looks high in other tools). The counts of
  both choices are kept so that a report can print them.
* **Pooling.** A matrix over several codes treats every (unit, code) pair as one item, so the
  pooled value weighs each code by its number of units.

Nothing here reads a database: the services gather the documents and codings and pass them in.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeAlias

import numpy as np
from numpy.typing import NDArray

from thematica.analysis.units import Unitisation, presence, units_for
from thematica.domain.vocab import DOCUMENTS, UNCODED, Documents, Uncoded
from thematica.errors import InvalidInputError, SpanError

__all__ = [
    "KEEP_CHOICES",
    "UNCODED_CHOICES",
    "UNIT_NAMES",
    "CodedDocument",
    "CodedSpan",
    "DocumentUnits",
    "Keep",
    "Uncoded",
    "Unitised",
    "coders_of",
    "double_coded",
    "unitise",
]

Keep: TypeAlias = Documents
UNCODED_CHOICES: tuple[str, ...] = UNCODED
KEEP_CHOICES: tuple[str, ...] = DOCUMENTS

#: How each unitisation is named in reports (singular).
UNIT_NAMES: Mapping[str, str] = {
    Unitisation.TURN: "speaker turn",
    Unitisation.SENTENCE: "sentence",
    Unitisation.PARAGRAPH: "paragraph",
    Unitisation.CHARACTER: "character",
}


class CodedSpan(NamedTuple):
    """One coding: ``coder`` applied the code keyed ``code`` to ``[start, end)``."""

    coder: str
    code: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CodedDocument:
    """A document's canonical text, its speaker turns and the codings made in it.

    ``interviewer`` holds the spans of the interviewer's turns (where the importer could tell
    who spoke): their units are counted, and left out with ``interviewer="exclude"``.
    """

    name: str
    text: str
    turns: Sequence[tuple[int, int]] = ()
    codings: Sequence[CodedSpan | tuple[str, str, int, int]] = ()
    interviewer: Sequence[tuple[int, int]] = ()


@dataclass(frozen=True, eq=False)
class DocumentUnits:
    """One document unitised: the units kept and who marked which code present in each.

    Attributes
    ----------
    name : str
    units : ndarray of int64, shape (n_kept, 2)
        The ``[start, end)`` of each unit kept.
    n_total : int
        Units in the document before uncoded units were (or were not) dropped.
    n_coded : int
        Units that at least one coder coded with at least one of the codes.
    rated : ndarray of bool, shape (n_coders,)
        Whether each coder coded this document at all (made any coding in it).
    present : ndarray of bool, shape (n_codes, n_coders, n_kept)
        ``present[k, c, u]``: coder ``c`` marked code ``k`` present in unit ``u``.
    fallback : bool
        Unitised by turn but the document has no speaker turns, so by paragraph.
    """

    name: str
    units: NDArray[np.int64]
    n_total: int
    n_coded: int
    rated: NDArray[np.bool_]
    present: NDArray[np.bool_]
    fallback: bool = False
    n_interviewer: int = 0

    @property
    def n_units(self) -> int:
        return int(self.units.shape[0])


@dataclass(frozen=True, eq=False)
class Unitised:
    """Documents unitised for agreement: build with :func:`unitise`, then ask for matrices."""

    unit: Unitisation
    coders: tuple[str, ...]
    codes: tuple[str, ...]
    uncoded: Uncoded
    keep: Keep
    documents: tuple[DocumentUnits, ...]
    #: Documents given but not compared (coded by fewer than two of the coders).
    skipped: tuple[str, ...]

    @property
    def n_units(self) -> int:
        """Units kept, over every document compared."""
        return sum(d.n_units for d in self.documents)

    @property
    def n_total(self) -> int:
        """Units in the documents compared, before uncoded units were dropped (if they were)."""
        return sum(d.n_total for d in self.documents)

    @property
    def n_coded(self) -> int:
        """Units that at least one coder coded with at least one of the codes."""
        return sum(d.n_coded for d in self.documents)

    @property
    def n_dropped(self) -> int:
        """Units dropped because no coder coded them (0 with ``uncoded="include"``)."""
        return self.n_total - self.n_units

    @property
    def n_interviewer(self) -> int:
        """Units inside interviewer turns, kept or (with ``interviewer="exclude"``) left out
        before anything else was counted."""
        return sum(d.n_interviewer for d in self.documents)

    @property
    def fallbacks(self) -> tuple[str, ...]:
        """Documents unitised by paragraph because they have no speaker turns."""
        return tuple(d.name for d in self.documents if d.fallback)

    def rated_by(self, coders: Iterable[str]) -> tuple[str, ...]:
        """The documents compared that every one of ``coders`` coded."""
        rows = self._coder_rows(coders)
        return tuple(d.name for d in self.documents if bool(d.rated[rows].all()))

    def matrix(
        self,
        *,
        codes: Iterable[str] | None = None,
        documents: Iterable[str] | None = None,
        coders: Iterable[str] | None = None,
    ) -> NDArray[np.float64]:
        """Reliability data, coders × items: 1.0 present, 0.0 absent, NaN not coded.

        An item is a unit of one document for one code; with several codes, each (unit, code)
        pair is one item. ``codes``, ``documents`` and ``coders`` restrict to some of them
        (all by default), in the order given.

        >>> u = unitise([CodedDocument("D", "One. Two.", codings=[("A", "k", 0, 3),
        ...              ("B", "k", 5, 8)])], ["A", "B"], ["k"], unit="sentence")
        >>> u.matrix().tolist()
        [[1.0, 0.0], [0.0, 1.0]]
        """
        code_rows = self._code_rows(codes)
        coder_rows = self._coder_rows(coders)
        blocks: list[NDArray[np.float64]] = []
        for document in self._documents(documents):
            block = document.present[np.ix_(code_rows, coder_rows)].astype(np.float64)
            block[:, ~document.rated[coder_rows], :] = np.nan
            items = len(code_rows) * document.n_units
            blocks.append(block.transpose(1, 0, 2).reshape(len(coder_rows), items))
        if not blocks:
            return np.zeros((len(coder_rows), 0), dtype=np.float64)
        return np.concatenate(blocks, axis=1)

    def units_of(self, documents: Iterable[str] | None = None) -> int:
        """How many units the given documents (all by default) contribute."""
        return sum(d.n_units for d in self._documents(documents))

    def coded_units(
        self,
        *,
        codes: Iterable[str] | None = None,
        documents: Iterable[str] | None = None,
        coders: Iterable[str] | None = None,
    ) -> dict[str, int]:
        """For each coder, how many units they coded with any of ``codes`` (all by default)."""
        code_rows = self._code_rows(codes)
        coder_rows = self._coder_rows(coders)
        counts = np.zeros(len(coder_rows), dtype=np.int64)
        for document in self._documents(documents):
            block = document.present[np.ix_(code_rows, coder_rows)]
            counts += block.any(axis=0).sum(axis=1)
        return {self.coders[row]: int(n) for row, n in zip(coder_rows, counts, strict=True)}

    def _code_rows(self, codes: Iterable[str] | None) -> list[int]:
        return _rows(self.codes, codes, "code")

    def _coder_rows(self, coders: Iterable[str] | None) -> list[int]:
        return _rows(self.coders, coders, "coder")

    def _documents(self, names: Iterable[str] | None) -> list[DocumentUnits]:
        if names is None:
            return list(self.documents)
        by_name = {d.name: d for d in self.documents}
        chosen: list[DocumentUnits] = []
        for name in names:
            if name not in by_name:
                raise InvalidInputError(f"document {name!r} is not among those compared")
            chosen.append(by_name[name])
        return chosen


def _rows(known: tuple[str, ...], chosen: Iterable[str] | None, what: str) -> list[int]:
    if chosen is None:
        return list(range(len(known)))
    index = {name: i for i, name in enumerate(known)}
    rows: list[int] = []
    for name in chosen:
        if name not in index:
            raise InvalidInputError(f"{what} {name!r} is not among those unitised")
        rows.append(index[name])
    return rows


def coders_of(document: CodedDocument) -> set[str]:
    """The coders who made at least one coding (with any code) in ``document``."""
    return {CodedSpan(*coding).coder for coding in document.codings}


def double_coded(documents: Iterable[CodedDocument], coders: Collection[str]) -> list[str]:
    """Names of the documents that at least two of ``coders`` coded (in the order given).

    >>> docs = [CodedDocument("D1", "x", codings=[("A", "k", 0, 1), ("B", "k", 0, 1)]),
    ...         CodedDocument("D2", "x", codings=[("A", "k", 0, 1), ("C", "k", 0, 1)])]
    >>> double_coded(docs, {"A", "B"})
    ['D1']
    """
    wanted = set(coders)
    return [d.name for d in documents if len(coders_of(d) & wanted) >= 2]


def unitise(
    documents: Iterable[CodedDocument],
    coders: Sequence[str],
    codes: Sequence[str] | Mapping[str, Collection[str]],
    *,
    unit: Unitisation | str = Unitisation.TURN,
    uncoded: Uncoded = "include",
    keep: Keep = "double-coded",
    interviewer: Uncoded = "include",
) -> Unitised:
    """Unitise ``documents`` and mark, for each code and coder, which units the coder coded.

    Parameters
    ----------
    documents : iterable of CodedDocument
        Each document's text, speaker turns and codings ``(coder, code, start, end)``. Codings by
        coders not in ``coders`` are ignored; codings with codes that count for none of ``codes``
        still show that their coder coded the document.
    coders : sequence of str
        The coders to compare (rows of every matrix, in this order); at least two.
    codes : sequence of str, or mapping of str to collection of str
        The codes to report. A sequence counts each code's own codings only; a mapping gives,
        for each code reported, the codes whose codings count as that code being present (for
        example a theme and all its sub-codes).
    unit : {"turn", "sentence", "paragraph", "character"}
        The unitisation (see :func:`thematica.analysis.units.units_for`).
    uncoded : {"include", "exclude"}
        Whether units no coder coded with any of the codes are kept.
    keep : {"double-coded", "all"}
        Compare only the documents that two or more of the coders coded, or every document.
    interviewer : {"include", "exclude"}
        Whether the units inside each document's interviewer turns are compared (they are
        counted either way: ``DocumentUnits.n_interviewer``).

    Returns
    -------
    Unitised

    Raises
    ------
    InvalidInputError
        For fewer than two coders, a coder or document named twice, or an unknown option.
    SpanError
        For a coding outside its document's text, empty or reversed.

    Examples
    --------
    >>> doc = CodedDocument("D", "A: yes\\nB: no\\nA: maybe", turns=[(0, 6), (7, 12), (13, 21)],
    ...                     codings=[("Ann", "k", 3, 6), ("Bo", "k", 0, 12)])
    >>> u = unitise([doc], ["Ann", "Bo"], ["k"], unit="turn")
    >>> u.matrix().tolist(), u.n_units
    ([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]], 3)
    >>> unitise([doc], ["Ann", "Bo"], ["k"], unit="turn", uncoded="exclude").n_dropped
    1
    """
    try:
        kind = Unitisation(unit)
    except ValueError:
        choices = ", ".join(u.value for u in Unitisation)
        raise InvalidInputError(f"unit must be one of {choices}, not {unit!r}") from None
    if uncoded not in UNCODED_CHOICES:
        raise InvalidInputError(f"uncoded must be 'include' or 'exclude', not {uncoded!r}")
    if keep not in KEEP_CHOICES:
        raise InvalidInputError(f"keep must be 'double-coded' or 'all', not {keep!r}")
    if interviewer not in UNCODED_CHOICES:
        raise InvalidInputError(f"interviewer must be 'include' or 'exclude', not {interviewer!r}")
    coder_names = tuple(coders)
    if len(set(coder_names)) != len(coder_names):
        raise InvalidInputError(f"a coder is named twice: {', '.join(coder_names)}")
    if len(coder_names) < 2:
        raise InvalidInputError("agreement needs at least two coders")
    members = _members(codes)
    code_names = tuple(members)
    # Which reported codes each stored code counts for (several, under roll-up).
    counts_for: dict[str, list[int]] = {}
    for row, counted in enumerate(members.values()):
        for key in counted:
            counts_for.setdefault(key, []).append(row)
    coder_row = {name: i for i, name in enumerate(coder_names)}

    kept: list[DocumentUnits] = []
    skipped: list[str] = []
    seen: set[str] = set()
    for document in documents:
        if document.name in seen:
            raise InvalidInputError(f"document {document.name!r} is given twice")
        seen.add(document.name)
        spans = [CodedSpan(*c) for c in document.codings]
        _check_spans(document, spans)
        rated = np.zeros(len(coder_names), dtype=np.bool_)
        for span in spans:
            if span.coder in coder_row:
                rated[coder_row[span.coder]] = True
        if keep == "double-coded" and int(rated.sum()) < 2:
            skipped.append(document.name)
            continue
        units = units_for(document.text, kind, document.turns)
        asked = _within(units, document.interviewer)
        if interviewer == "exclude":
            units = units[~asked]
        present = _presence(units, spans, coder_row, counts_for, len(code_names))
        coded = present.any(axis=(0, 1))
        chosen = coded if uncoded == "exclude" else np.ones(len(units), dtype=np.bool_)
        kept.append(
            DocumentUnits(
                document.name,
                units[chosen],
                n_total=int(units.shape[0]),
                n_coded=int(coded.sum()),
                rated=rated,
                present=present[:, :, chosen],
                fallback=kind is Unitisation.TURN and not document.turns,
                n_interviewer=int(asked.sum()),
            )
        )
    return Unitised(kind, coder_names, code_names, uncoded, keep, tuple(kept), tuple(skipped))


def _within(units: NDArray[np.int64], spans: Sequence[tuple[int, int]]) -> NDArray[np.bool_]:
    """For each unit, whether it lies wholly inside one of ``spans`` (sorted, disjoint)."""
    inside = np.zeros(len(units), dtype=np.bool_)
    if not len(units) or not spans:
        return inside
    bounds = np.asarray(sorted(spans), dtype=np.int64).reshape(-1, 2)
    # The last span starting at or before each unit's start; inside when it reaches its end.
    at = np.searchsorted(bounds[:, 0], units[:, 0], side="right") - 1
    found = at >= 0
    inside[found] = bounds[at[found], 1] >= units[found, 1]
    return inside


def _members(codes: Sequence[str] | Mapping[str, Collection[str]]) -> dict[str, frozenset[str]]:
    if isinstance(codes, Mapping):
        return {
            code: frozenset({counted} if isinstance(counted, str) else counted)
            for code, counted in codes.items()
        }
    if isinstance(codes, str):
        raise InvalidInputError("codes must be a list of code keys, not one string")
    names = list(codes)
    if len(set(names)) != len(names):
        raise InvalidInputError("a code is named twice")
    return {name: frozenset({name}) for name in names}


def _check_spans(document: CodedDocument, spans: Sequence[CodedSpan]) -> None:
    length = len(document.text)
    for span in spans:
        if not 0 <= span.start < span.end <= length:
            raise SpanError(
                f"a coding by {span.coder} must lie within the text (0 to {length}) and not be "
                "empty",
                element=f"document {document.name!r}",
                span=(span.start, span.end),
            )


def _presence(
    units: NDArray[np.int64],
    spans: Sequence[CodedSpan],
    coder_row: Mapping[str, int],
    counts_for: Mapping[str, Sequence[int]],
    n_codes: int,
) -> NDArray[np.bool_]:
    """``present[k, c, u]`` for every code, coder and unit of one document."""
    grouped: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for span in spans:
        row = coder_row.get(span.coder)
        if row is None:
            continue
        for code in counts_for.get(span.code, ()):
            grouped.setdefault((code, row), []).append((span.start, span.end))
    present = np.zeros((n_codes, len(coder_row), len(units)), dtype=np.bool_)
    for (code, row), ranges in grouped.items():
        present[code, row] = presence(units, ranges)
    return present
