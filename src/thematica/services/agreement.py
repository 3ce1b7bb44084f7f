"""Agreement between coders: from a study's codings, or from a plain reliability table.

:func:`measure_agreement` reads the study (read-only, one unit of work), unitises the chosen
coders' codings (:mod:`thematica.analysis.unitised`) and computes one statistic per code,
document or coder pair, and pooled (:mod:`thematica.analysis.agreement`).
:func:`agreement_from_matrix` computes a statistic on a reliability table read from CSV
(:mod:`thematica.interchange.reliability_csv`), so the statistics serve any coded data.

Choices a researcher reads in the report, and their defaults:

* **Coders**: the people who coded the units in question: those who coded a document another
  person also coded (``documents="double-coded"``), or anyone who coded (``"all"``); never a
  consensus layer or someone who only wrote memos. At least two. Named coders may be any.
* **Statistic**: Cohen's kappa for two coders, Krippendorff's alpha for three or more (or when a
  level other than nominal is asked for). Cohen's kappa and Scott's pi take exactly two coders
  (per pair with ``by="pair"``); Fleiss' kappa (in Gwet's generalisation, as irrCAC computes
  it) and alpha allow missing ratings.
* **Codes**: the codes the coders applied in the documents compared (a code nobody applied there
  has no agreement to measure and would only pad pooled figures with agreeing zeros), or those
  named. A code counts its own codings only; ``roll_up=True`` counts a code present wherever any
  of its descendants is.
* **Documents**: those that at least two of the coders coded (``documents="double-coded"``), or
  every document (``"all"``), where a coder who did not code a document has missing ratings.
* **Uncoded units**: kept (``"include"``) or dropped (``"exclude"``); both counts are reported.
* **Interviewer turns**: compared (``interviewer_turns="include"``) or left out
  (``"exclude"``); the units inside them are counted either way (turns whose speaker the
  importer recognised as the interviewer).
* **Pooled**: every (unit, code) pair is one item. Appended after the rows of a code, document
  or pair table, except where it would repeat the only row or the statistic cannot take every
  coder at once (Cohen's kappa by pair for three coders).
* **Intervals**: percentile bootstrap over the columns of the reliability data (units, or
  unit-code pairs when codes are pooled); ``n_boot`` resamples from ``seed``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from numpy.typing import NDArray

from thematica.analysis import agreement as stats
from thematica.analysis.unitised import (
    KEEP_CHOICES,
    UNCODED_CHOICES,
    UNIT_NAMES,
    CodedDocument,
    CodedSpan,
    Unitised,
    double_coded,
    unitise,
)
from thematica.analysis.units import Unitisation
from thematica.domain.codebook import Codebook
from thematica.domain.vocab import BYS, LEVELS
from thematica.errors import InvalidInputError, NotFoundError, UndefinedStatisticWarning
from thematica.interchange.reliability_csv import (
    LAYOUTS,
    Layout,
    ReliabilityTable,
    read_reliability_csv,
)
from thematica.services.scope import NO_PROGRESS, Progress, study_scope
from thematica.storage import Database

__all__ = [
    "BY_CHOICES",
    "STATISTICS",
    "AgreementReport",
    "AgreementRow",
    "agreement_from_matrix",
    "measure_agreement",
]

#: The statistics by the names the CLI uses: (name for people, function).
STATISTICS: Mapping[str, tuple[str, Callable[..., float]]] = {
    "percent": ("percent agreement", stats.percent_agreement),
    "cohen": ("Cohen's kappa", stats.cohen_kappa),
    "scott": ("Scott's pi", stats.scott_pi),
    "fleiss": ("Fleiss' kappa", stats.fleiss_kappa),
    "alpha": ("Krippendorff's alpha", stats.krippendorff_alpha),
    "ac1": ("Gwet's AC1", stats.gwet_ac1),
}
_TWO_CODERS = ("cohen", "scott")
_T = TypeVar("_T")
BY_CHOICES: tuple[str, ...] = BYS
_LEVELS: tuple[str, ...] = LEVELS


@dataclass(frozen=True)
class AgreementRow:
    """One figure: a statistic for one code, document, pair of coders, or everything pooled.

    ``n_units`` counts the units the figure covers (text units, or the matrix's units);
    ``n_items`` the columns of its reliability data (``n_units`` times the codes pooled).
    ``units_coded_by`` says, for each coder, in how many of those units they applied the code
    (any of the codes, for pooled rows). ``note`` says why a value is undefined (NaN), and
    ``ci_note`` how many bootstrap resamples were left out of the interval because the statistic
    was undefined on them (common for a code applied in few units).
    """

    by: str
    label: str
    statistic: str
    level: str
    unit: str | None
    value: float
    ci_low: float
    ci_high: float
    band: str | None
    n_units: int
    n_items: int
    units_coded_by: dict[str, int]
    coders: tuple[str, ...]
    documents: int
    note: str = ""
    ci_note: str = ""


@dataclass(frozen=True)
class AgreementReport:
    """What :func:`measure_agreement` and :func:`agreement_from_matrix` found, and how."""

    statistic: str
    statistic_name: str
    level: str
    unit: str | None
    by: str
    coders: tuple[str, ...]
    rows: tuple[AgreementRow, ...]
    #: The unitisation as people say it ("speaker turn"); None for a matrix.
    unit_name: str | None = None
    codes: tuple[str, ...] = ()
    roll_up: bool = False
    documents_rule: str | None = None
    documents: tuple[str, ...] = ()
    documents_skipped: tuple[str, ...] = ()
    turn_fallback: tuple[str, ...] = ()
    uncoded: str | None = None
    units_total: int = 0
    units_coded: int = 0
    units_kept: int = 0
    units_dropped: int = 0
    units_coded_by: dict[str, int] = field(default_factory=dict)
    interviewer_turns: str = "include"
    units_interviewer: int = 0
    codes_unused: int = 0
    confidence: float | None = None
    n_boot: int = 0
    seed: int = 0
    source: str | None = None

    @property
    def interviewer_note(self) -> str:
        """Whether the interviewer's turns were compared, in words ("" for a matrix)."""
        if self.unit is None:
            return ""
        if not self.units_interviewer:
            return "no interviewer turns recognised"
        units = _units_word(self.units_interviewer, self.unit_name or str(self.unit))
        if self.interviewer_turns == "exclude":
            return f"interviewer turns left out: {units}"
        return f"interviewer turns included: {units}"

    def as_dict(self) -> dict[str, Any]:
        """Plain data for JSON: undefined values (NaN) become ``None``."""
        data: dict[str, Any] = _json_safe(asdict(self))
        return data


def _units_word(count: int, unit: str) -> str:
    return f"{count} {unit if count == 1 else unit + 's'}"


def _json_safe(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


# -- options ---------------------------------------------------------------------------------


def _choose_statistic(statistic: str | None, level: str, n_coders: int) -> str:
    """The statistic asked for, or the default for this many coders and this level."""
    if level not in _LEVELS:
        raise InvalidInputError(f"level must be one of {', '.join(_LEVELS)}, not {level!r}")
    if statistic is None:
        return "cohen" if n_coders == 2 and level == "nominal" else "alpha"
    if statistic not in STATISTICS:
        raise InvalidInputError(
            f"statistic must be one of {', '.join(STATISTICS)}, not {statistic!r}"
        )
    if level != "nominal" and statistic != "alpha":
        raise InvalidInputError(
            f"the level of measurement ({level}) applies to Krippendorff's alpha only; "
            f"{STATISTICS[statistic][0]} treats categories as nominal (use statistic 'alpha')"
        )
    return statistic


def _check_coders_for(
    statistic: str, coders: Sequence[str], *, per_pair: bool, source: str = "chosen"
) -> None:
    if statistic in _TWO_CODERS and len(coders) != 2 and not per_pair:
        counted = (
            f"{len(coders)} were chosen" if source == "chosen" else f"the file has {len(coders)}"
        )
        hint = "" if source != "chosen" else ", or compare them by pair"
        raise InvalidInputError(
            f"{STATISTICS[statistic][0]} compares exactly two coders, but {counted} "
            f"({', '.join(coders)}); use Fleiss' kappa or Krippendorff's alpha (statistic "
            f"'fleiss' or 'alpha') for all of them together{hint}"
        )


# -- computing one figure --------------------------------------------------------------------


@dataclass(frozen=True)
class _Method:
    """How every figure of one report is computed."""

    statistic: str
    level: str
    unit: str | None
    ci: bool
    n_boot: int
    confidence: float
    seed: int

    def row(
        self,
        by: str,
        label: str,
        data: NDArray[np.float64] | Sequence[Sequence[Any]],
        *,
        n_units: int,
        coded_by: Mapping[str, int],
        coders: Sequence[str],
        documents: int,
    ) -> AgreementRow:
        """One figure with its interval. The statistics warn (``UndefinedStatisticWarning``)
        when a value is undefined; the warning becomes the row's note, so that a table of thirty
        codes says in one line why a code nobody applied has no value."""
        function = STATISTICS[self.statistic][1]
        options: dict[str, Any] = {"level": self.level} if self.statistic == "alpha" else {}
        canonical = stats.reliability_data(data)
        value, note = _quietly(lambda: function(canonical, **options))
        (low, high), ci_note = (math.nan, math.nan), ""
        if self.ci and not math.isnan(value):
            (low, high), ci_note = _quietly(
                lambda: stats.bootstrap_ci(
                    canonical,
                    function,
                    n_boot=self.n_boot,
                    confidence=self.confidence,
                    seed=self.seed,
                    **options,
                )
            )
        return AgreementRow(
            by=by,
            label=label,
            statistic=self.statistic,
            level=self.level,
            unit=self.unit,
            value=value,
            ci_low=low,
            ci_high=high,
            band=stats.interpret(self.statistic, value),
            n_units=n_units,
            n_items=canonical.n_units,
            units_coded_by=dict(coded_by),
            coders=tuple(coders),
            documents=documents,
            note=note,
            ci_note=ci_note,
        )


def _quietly(compute: Callable[[], _T]) -> tuple[_T, str]:
    """``compute()``, and the messages of the UndefinedStatisticWarnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UndefinedStatisticWarning)
        result = compute()
    notes: list[str] = []
    for warning in caught:
        if issubclass(warning.category, UndefinedStatisticWarning):
            notes.append(str(warning.message).removesuffix("; returning NaN"))
        else:  # not ours to swallow
            warnings.warn(warning.message, warning.category, stacklevel=3)
    return result, "; ".join(dict.fromkeys(notes))


# -- from a study ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Gathered:
    documents: list[CodedDocument]
    coders: tuple[str, ...]
    book: Codebook
    chosen_codes: tuple[str, ...] | None  # code paths named by the user


def _default_coders(coded_by: Mapping[Any, set[str]], documents: str) -> list[str]:
    """The people who coded the units compared (see the module docstring)."""
    wanted = (
        (who for who in coded_by.values() if len(who) > 1)
        if documents == "double-coded"
        else coded_by.values()
    )
    return sorted({name for who in wanted for name in who}, key=str.casefold)


def _resolve_coders(names: Sequence[str], known: list[str]) -> list[str]:
    by_fold = {n.casefold(): n for n in known}
    chosen: list[str] = []
    unknown: list[str] = []
    for raw in names:
        name = raw.strip()
        if not name:
            continue
        match = name if name in known else by_fold.get(name.casefold())
        if match is None:
            unknown.append(name)
        elif match not in chosen:
            chosen.append(match)
    if unknown:
        listed = ", ".join(sorted(known, key=str.casefold)) or "none yet"
        raise NotFoundError(
            f"no coder named {', '.join(repr(u) for u in unknown)} in this study "
            f"(its coders: {listed})"
        )
    return chosen


def _gather(
    db: Database,
    study: str | None,
    coders: Sequence[str] | None,
    codes: Sequence[str] | None,
    compare: str = "double-coded",
) -> _Gathered:
    """The chosen coders' codings by document. With ``compare="double-coded"`` the codings of
    documents fewer than two of them coded are not read (they are not compared; the documents
    are still listed, so the report says which were left out)."""
    with study_scope(db, study) as (uow, found):
        everyone = uow.coders.all(found.id)
        # Which coder coded which document: one scan of the codings, used twice below.
        pairs = (
            uow.codings.coded_pairs(found.id) if coders is None or compare == "double-coded" else []
        )
        if coders is None:
            people = {c.id: c.name for c in everyone if c.is_person}
            coded_by: dict[Any, set[str]] = {}
            for document_id, coder_id in pairs:
                if coder_id in people:
                    coded_by.setdefault(document_id, set()).add(people[coder_id])
            chosen = _default_coders(coded_by, compare)
            if len(chosen) < 2:
                who = _default_coders(coded_by, "all")
                raise InvalidInputError(
                    "nothing to compare: no document was coded by at least two of "
                    f"{', '.join(who) or 'the study (nobody has coded yet)'}"
                )
        else:
            chosen = _resolve_coders(coders, [c.name for c in everyone])
        if len(chosen) < 2:
            listed = ", ".join(chosen) or "none"
            raise InvalidInputError(
                f"agreement needs at least two coders, but {len(chosen)} "
                f"{'was' if len(chosen) == 1 else 'were'} chosen ({listed})"
            )
        book = uow.codes.codebook(found.id)
        named = tuple(dict.fromkeys(book.path_text(book.lookup(p).id) for p in codes or ()))
        ids = {c.id: c.name for c in everyone if c.name in chosen}
        by_document: dict[Any, list[CodedSpan]] = {}
        paths: dict[str, str] = {}
        reads: list[tuple[Any, Any]] = [(coder_id, None) for coder_id in ids]
        if compare == "double-coded":
            who_coded: dict[Any, set[Any]] = {}
            for document_id, coder_id in pairs:
                if coder_id in ids:
                    who_coded.setdefault(document_id, set()).add(coder_id)
            reads = [
                (coder_id, document_id)
                for document_id, who in who_coded.items()
                if len(who) >= 2
                for coder_id in sorted(who, key=str)
            ]
        for coder_id, document_id in reads:
            name = ids[coder_id]
            for coding in uow.codings.all(found.id, coder_id=coder_id, document_id=document_id):
                key = str(coding.code_id)
                if key not in paths:
                    paths[key] = book.path_text(coding.code_id)
                by_document.setdefault(coding.document_id, []).append(
                    CodedSpan(name, paths[key], coding.span.start, coding.span.end)
                )
        documents = [
            CodedDocument(
                d.name,
                d.text,
                tuple((t.span.start, t.span.end) for t in d.turns),
                tuple(by_document.get(d.id, ())),
                tuple((t.span.start, t.span.end) for t in d.turns if t.role == "interviewer"),
            )
            for d in sorted(
                uow.documents.all(found.id),
                key=lambda d: (d.created_at is None, d.created_at, d.name),
            )
        ]
    return _Gathered(documents, tuple(chosen), book, named if codes else None)


def _code_members(
    gathered: _Gathered, compared: Sequence[str], roll_up: bool
) -> dict[str, set[str]]:
    """The codes to report, each with the code paths whose codings count for it."""
    book = gathered.book
    members: dict[str, set[str]] = {}
    for code in book:
        path = book.path_text(code.id)
        counted = {path}
        if roll_up:
            counted |= {book.path_text(d.id) for d in book.descendants(code.id)}
        members[path] = counted
    if gathered.chosen_codes is not None:
        return {path: members[path] for path in gathered.chosen_codes}
    used = {
        span.code
        for document in gathered.documents
        if document.name in compared
        for span in (CodedSpan(*c) for c in document.codings)
    }
    return {path: counted for path, counted in members.items() if counted & used}


def measure_agreement(
    db: Database,
    *,
    study: str | None = None,
    coders: Sequence[str] | None = None,
    unit: Unitisation | str = Unitisation.TURN,
    statistic: str | None = None,
    level: str = "nominal",
    codes: Sequence[str] | None = None,
    roll_up: bool = False,
    documents: str = "double-coded",
    uncoded: str = "include",
    by: str = "code",
    ci: bool = True,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    interviewer_turns: str = "include",
    progress: Progress = NO_PROGRESS,
) -> AgreementReport:
    """Agreement between coders on a study's codings, unitised as ``unit``.

    Reads the study only; see the module docstring for every choice and its default.
    ``progress`` hears of each row computed (the bootstrap makes character units slow).

    Raises
    ------
    NotFoundError
        An unknown coder (the message lists the study's coders) or code path.
    InvalidInputError
        Fewer than two coders; nothing to compare (no document coded by two of the coders, or no
        code applied in them); a statistic that does not fit (Cohen's kappa for three coders,
        a level with a statistic other than alpha).
    """
    if by not in BY_CHOICES:
        raise InvalidInputError(f"by must be one of {', '.join(BY_CHOICES)}, not {by!r}")
    if documents not in KEEP_CHOICES:
        raise InvalidInputError(f"documents must be 'double-coded' or 'all', not {documents!r}")
    if interviewer_turns not in ("include", "exclude"):
        raise InvalidInputError(
            f"interviewer_turns must be 'include' or 'exclude', not {interviewer_turns!r}"
        )
    if uncoded not in UNCODED_CHOICES:
        raise InvalidInputError(f"uncoded must be 'include' or 'exclude', not {uncoded!r}")
    kind = _unitisation(unit)
    gathered = _gather(db, study, coders, codes, documents)
    chosen = gathered.coders
    statistic = _choose_statistic(statistic, level, len(chosen))
    _check_coders_for(statistic, chosen, per_pair=by == "pair")
    compared = (
        double_coded(gathered.documents, chosen)
        if documents == "double-coded"
        else [d.name for d in gathered.documents]
    )
    if not compared:
        raise InvalidInputError(
            "nothing to compare: no document was coded by at least two of " + ", ".join(chosen)
        )
    members = _code_members(gathered, compared, roll_up)
    if not members:
        raise InvalidInputError(
            f"nothing to compare: {', '.join(chosen)} applied no code in the "
            f"{len(compared)} document(s) compared"
        )
    unitised = unitise(
        gathered.documents,
        chosen,
        members,
        unit=kind,
        uncoded="exclude" if uncoded == "exclude" else "include",
        keep="double-coded" if documents == "double-coded" else "all",
        interviewer="exclude" if interviewer_turns == "exclude" else "include",
    )
    method = _Method(statistic, level, kind.value, ci, n_boot, confidence, seed)
    rows = _study_rows(unitised, method, by, progress)
    return AgreementReport(
        statistic=statistic,
        statistic_name=STATISTICS[statistic][0],
        level=level,
        unit=kind.value,
        unit_name=UNIT_NAMES[kind],
        by=by,
        coders=chosen,
        rows=tuple(rows),
        codes=unitised.codes,
        roll_up=roll_up,
        documents_rule=documents,
        documents=tuple(d.name for d in unitised.documents),
        documents_skipped=unitised.skipped,
        turn_fallback=unitised.fallbacks,
        uncoded=uncoded,
        units_total=unitised.n_total,
        units_coded=unitised.n_coded,
        units_kept=unitised.n_units,
        units_dropped=unitised.n_dropped,
        units_coded_by=unitised.coded_units(),
        interviewer_turns=interviewer_turns,
        units_interviewer=unitised.n_interviewer,
        codes_unused=len(gathered.book) - len(members) if gathered.chosen_codes is None else 0,
        confidence=confidence if ci else None,
        n_boot=n_boot if ci else 0,
        seed=seed,
    )


def _unitisation(unit: Unitisation | str) -> Unitisation:
    try:
        return Unitisation(unit)
    except ValueError:
        choices = ", ".join(u.value for u in Unitisation)
        raise InvalidInputError(f"unit must be one of {choices}, not {unit!r}") from None


def _study_rows(u: Unitised, method: _Method, by: str, progress: Progress) -> list[AgreementRow]:
    """The rows of the table asked for, then the pooled row (see the module docstring)."""
    # Each row is a selection: (label, codes, documents, coders); None means all of them.
    Selection = tuple[str, list[str] | None, list[str] | None, list[str] | None]
    selections: list[Selection] = []
    if by == "code":
        selections = [(code, [code], None, None) for code in u.codes]
    elif by == "document":
        selections = [(d.name, None, [d.name], None) for d in u.documents]
    elif by == "pair":  # each pair on the documents both coded
        selections = [
            (f"{a} & {b}", None, list(u.rated_by([a, b])), [a, b])
            for a, b in combinations(u.coders, 2)
        ]
    repeats_only_row = len(selections) == 1  # one code, one document or one pair
    takes_everyone = not (method.statistic in _TWO_CODERS and len(u.coders) != 2)
    kinds = [by] * len(selections)
    if not repeats_only_row and takes_everyone:
        selections.append(("pooled", None, None, None))
        kinds.append("pooled")
    rows: list[AgreementRow] = []
    for done, (kind, (label, codes, documents, coders)) in enumerate(
        zip(kinds, selections, strict=True)
    ):
        progress(done, len(selections), label)
        chosen = {"codes": codes, "documents": documents, "coders": coders}
        rows.append(
            method.row(
                kind,
                label,
                u.matrix(**chosen),
                n_units=u.units_of(documents),
                coded_by=u.coded_units(**chosen),
                coders=coders or u.coders,
                documents=len(u.documents) if documents is None else len(documents),
            )
        )
    progress(len(selections), len(selections), "")
    return rows


# -- from a file -----------------------------------------------------------------------------


def agreement_from_matrix(
    path: Path,
    *,
    layout: Layout = "units-by-coders",
    statistic: str | None = None,
    level: str = "nominal",
    ci: bool = True,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
) -> AgreementReport:
    """Agreement on a reliability table read from CSV (see
    :mod:`thematica.interchange.reliability_csv` for the format).

    The default statistic is Cohen's kappa for two coders and Krippendorff's alpha otherwise (or
    when a level other than nominal is asked for).

    Raises
    ------
    InvalidInputError
        A file that cannot be read as a reliability table (naming the file and line); a level
        that needs numbers on a file of labels (naming the first label); a statistic that does
        not fit the data.
    """
    if layout not in LAYOUTS:
        raise InvalidInputError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    table = read_reliability_csv(path, layout=layout)
    statistic = _choose_statistic(statistic, level, table.n_coders)
    try:
        _check_coders_for(statistic, table.coders, per_pair=False, source="file")
    except InvalidInputError as exc:
        raise InvalidInputError(exc.reason, file=table.file) from None
    _check_matrix(table, statistic, level)
    rated = dict(
        zip(table.coders, (sum(r is not None for r in row) for row in table.ratings), strict=True)
    )
    method = _Method(statistic, level, None, ci, n_boot, confidence, seed)
    row = method.row(
        "matrix",
        Path(table.file).name,
        table.ratings,
        n_units=table.n_units,
        coded_by=rated,
        coders=table.coders,
        documents=0,
    )
    return AgreementReport(
        statistic=statistic,
        statistic_name=STATISTICS[statistic][0],
        level=level,
        unit=None,
        by="matrix",
        coders=table.coders,
        rows=(row,),
        units_total=table.n_units,
        units_kept=table.n_units,
        units_coded_by=rated,
        confidence=confidence if ci else None,
        n_boot=n_boot if ci else 0,
        seed=seed,
        source=table.file,
    )


def _check_matrix(table: ReliabilityTable, statistic: str, level: str) -> None:
    """Errors the statistics would raise, said in the file's own terms (line, unit id)."""
    if level in ("interval", "ratio") and not table.numeric and table.first_label:
        label, line = table.first_label
        raise InvalidInputError(
            f"{level} alpha needs numbers, but {label!r} is not a number "
            "(leave a missing rating blank)",
            file=table.file,
            line=line,
        )
