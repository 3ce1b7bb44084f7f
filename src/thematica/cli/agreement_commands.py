"""Agreement between coders: on the study's codings, or on a reliability table from any tool."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from click.core import ParameterSource

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar, table
from thematica.domain import vocab

if TYPE_CHECKING:
    from thematica.services.agreement import AgreementReport, AgreementRow

#: Options that describe a study's codings, so have no meaning with --matrix.
_STUDY_ONLY = (
    "coders",
    "unit",
    "codes",
    "roll_up",
    "documents",
    "uncoded",
    "by",
    "interviewer_turns",
)
_CODER_COLUMNS = 4
_LABEL_HEADERS = {"code": "code", "document": "document", "pair": "coders", "pooled": ""}


@cli.command()
@click.option(
    "--coders",
    metavar="A,B,...",
    help="The coders to compare, by name [default: every coder but consensus layers].",
)
@click.option(
    "--unit",
    type=click.Choice(vocab.UNITS, case_sensitive=False),
    default="turn",
    show_default=True,
    help="The unit a code is present or absent in (character: what NVivo and QualCoder report).",
)
@click.option(
    "--statistic",
    type=click.Choice(vocab.STATISTICS, case_sensitive=False),
    help="Percent agreement, Cohen's kappa, Scott's pi, Fleiss' kappa, Krippendorff's alpha or "
    "Gwet's AC1 [default: cohen for two coders; alpha for more, or for a level but nominal].",
)
@click.option(
    "--level",
    type=click.Choice(vocab.LEVELS, case_sensitive=False),
    default="nominal",
    show_default=True,
    help="Level of measurement, for Krippendorff's alpha.",
)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="PATH",
    help="Only this code (repeat for more; paths may contain commas) [default: every code the "
    "coders applied in the documents compared].",
)
@click.option(
    "--roll-up",
    is_flag=True,
    help="Count a code present where any of its sub-codes is (otherwise its own codings only).",
)
@click.option(
    "--documents",
    type=click.Choice(vocab.DOCUMENTS, case_sensitive=False),
    default="double-coded",
    show_default=True,
    help="Compare the documents two or more of the coders coded, or every document.",
)
@click.option(
    "--uncoded",
    type=click.Choice(vocab.UNCODED, case_sensitive=False),
    default="include",
    show_default=True,
    help="Keep or drop the units no coder coded with any of the codes (long uncoded stretches "
    "inflate character-level agreement); both counts are printed.",
)
@click.option(
    "--interviewer-turns",
    type=click.Choice(["include", "exclude"]),
    default="include",
    show_default=True,
    help="Compare the units in the interviewer's turns, or leave them out (turns whose speaker "
    "was recognised as the interviewer); how many is printed either way.",
)
@click.option(
    "--by",
    type=click.Choice(vocab.BYS, case_sensitive=False),
    default="code",
    show_default=True,
    help="One row per code, document or pair of coders (the pooled row last), or pooled only.",
)
@click.option(
    "--ci/--no-ci",
    default=True,
    show_default=True,
    help="Bootstrap confidence intervals (slow on character units: try --boot 200).",
)
@click.option(
    "--boot",
    type=click.IntRange(min=1),
    default=1000,
    show_default=True,
    metavar="N",
    help="Bootstrap resamples.",
)
@click.option(
    "--confidence",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.95,
    show_default=True,
    help="Coverage of the intervals.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap.")
@click.option(
    "--matrix",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="Instead of the study: a reliability table (header row, first column the unit or coder "
    "id, blank = missing).",
)
@click.option(
    "--layout",
    type=click.Choice(vocab.LAYOUTS, case_sensitive=False),
    default="units-by-coders",
    show_default=True,
    help="How --matrix is laid out: a row per unit (a column per coder), or a row per coder.",
)
@common_options
@click.pass_context
def agreement(
    ctx: click.Context,
    coders: str | None,
    unit: str,
    statistic: str | None,
    level: str,
    codes: tuple[str, ...],
    roll_up: bool,
    documents: str,
    uncoded: str,
    interviewer_turns: str,
    by: str,
    ci: bool,
    boot: int,
    confidence: float,
    seed: int,
    matrix: Path | None,
    layout: str,
) -> None:
    """Agreement between coders, per code (or document, or pair of coders) and pooled.

    Codings are spans; each is turned into "code present or absent" in every unit (speaker turn,
    sentence, paragraph or character) of the documents two or more of the coders coded. A coder
    who did not code a document has missing ratings there. Prints the statistic, its bootstrap
    interval, a conventional band (Landis & Koch for kappa, 0.667/0.8 for alpha), the units and
    how many each coder coded.

    With --matrix, computes the statistic on a reliability table from any tool instead.
    """
    options = ctx.find_object(Options)
    assert options is not None
    given = {
        name
        for name in (*_STUDY_ONLY, "layout")
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    }
    if matrix is not None:
        clash = sorted(given & set(_STUDY_ONLY))
        if clash:
            names = ", ".join("--" + n.replace("_", "-").replace("codes", "code") for n in clash)
            verb = "describes" if len(clash) == 1 else "describe"
            raise click.UsageError(f"{names} {verb} the study's codings, not a --matrix file")
        from thematica.services.agreement import agreement_from_matrix

        report = agreement_from_matrix(
            matrix,
            layout="coders-by-units" if layout == "coders-by-units" else "units-by-coders",
            statistic=statistic,
            level=level,
            ci=ci,
            n_boot=boot,
            confidence=confidence,
            seed=seed,
        )
    else:
        if "layout" in given:
            raise click.UsageError("--layout describes a --matrix file")
        from thematica.services.agreement import measure_agreement
        from thematica.services.scope import open_db

        with progress_bar(options, "Agreement") as progress:
            report = measure_agreement(
                open_db(options.db),
                study=options.study,
                coders=coders.split(",") if coders else None,
                unit=unit,
                statistic=statistic,
                level=level,
                codes=codes or None,
                roll_up=roll_up,
                documents=documents,
                uncoded=uncoded,
                interviewer_turns=interviewer_turns,
                by=by,
                ci=ci,
                n_boot=boot,
                confidence=confidence,
                seed=seed,
                progress=progress,
            )
    emit(options, report.as_dict(), lambda: print_report(report))


def _number(value: float) -> str:
    return "undefined" if math.isnan(value) else f"{value:.3f}"


def _interval(row: AgreementRow) -> str:
    if math.isnan(row.ci_low):
        return ""
    return f"{row.ci_low:.3f} to {row.ci_high:.3f}{' †' if row.ci_note else ''}"


def _units(row: AgreementRow) -> str:
    if row.n_units and row.n_items != row.n_units:  # pooled over codes: unit-code pairs
        return f"{row.n_units} × {row.n_items // row.n_units} codes"
    return str(row.n_units)


def print_report(report: AgreementReport) -> None:
    """The agreement table for people, with the choices behind it printed above it."""
    level = f" ({report.level})" if report.statistic == "alpha" else ""
    if report.source is not None:
        click.echo(f"{report.statistic_name}{level} on {report.source}")
        click.echo(
            f"Coders: {', '.join(report.coders)}. Units: {report.units_total}; rated by "
            + ", ".join(f"{c} {n}" for c, n in report.units_coded_by.items())
        )
    else:
        _print_study_header(report, level)
    if report.confidence is not None:
        click.echo(
            f"Intervals: {report.confidence:.0%} percentile bootstrap, {report.n_boot} resamples "
            f"of {'units' if report.by in ('code', 'matrix') else 'units (unit-code pairs)'}, "
            f"seed {report.seed}."
        )
    click.echo("")
    coders = list(report.coders)
    # A column per coder while that stays readable; beyond, one column of counts in order.
    apart = len(coders) <= _CODER_COLUMNS
    verb = "rated" if report.source is not None else "coded"
    headers = [
        _LABEL_HEADERS.get(report.by, "file"),
        *(["unit"] if report.unit else []),
        report.statistic_name,
        *([f"{report.confidence:.0%} CI"] if report.confidence is not None else []),
        "band",
        "units",
        *([f"{verb} by {c}" for c in coders] if apart else [f"{verb} by {' / '.join(coders)}"]),
    ]
    rows: list[list[Any]] = []
    for row in report.rows:
        counts = [row.units_coded_by.get(c, "") for c in coders]
        rows.append(
            [
                row.label,
                *([report.unit] if report.unit else []),
                _number(row.value) + (" *" if row.note else ""),
                *([_interval(row)] if report.confidence is not None else []),
                row.band or "",
                _units(row),
                *(counts if apart else [" / ".join(str(n) or "-" for n in counts)]),
            ]
        )
    table(headers, rows)
    for row in report.rows:
        if row.note:
            click.echo(f"* {row.label}: {row.note}")
    if any(row.ci_note for row in report.rows):
        click.echo(
            "† the statistic was undefined on some bootstrap resamples (a code in few units); "
            "they were left out of the interval (--json says how many)."
        )


def _print_study_header(report: AgreementReport, level: str) -> None:
    per = {"code": "per code", "document": "per document", "pair": "per pair of coders"}
    shown = per.get(report.by, "pooled")
    click.echo(f"{report.statistic_name}{level}, unit: {report.unit_name}, {shown}")
    codes = f"{len(report.codes)} code(s)" + (
        " rolled up to include sub-codes" if report.roll_up else ""
    )
    if report.codes_unused:
        verb = "was" if report.codes_unused == 1 else "were"
        codes += f" ({report.codes_unused} more in the codebook {verb} not applied here)"
    click.echo(f"Coders: {', '.join(report.coders)}. Codes: {codes}.")
    kept = ", ".join(report.documents)
    line = f"Documents compared: {len(report.documents)} ({kept})"
    if report.documents_skipped:
        line += (
            f"; {len(report.documents_skipped)} left out, coded by fewer than two of these coders"
        )
    click.echo(line + ".")
    if report.turn_fallback:
        click.echo(
            "No speaker turns, so paragraphs used as units in: " + ", ".join(report.turn_fallback)
        )
    if report.uncoded == "exclude":
        units = (
            f"uncoded excluded: {report.units_kept} kept, {report.units_dropped} dropped "
            f"(including them would keep {report.units_total})"
        )
    else:
        units = (
            f"uncoded included: {report.units_kept} kept "
            f"(excluding them would keep {report.units_coded})"
        )
    click.echo(f"Units ({report.unit_name}): {units}; {report.interviewer_note}.")
    click.echo(
        "Units coded by: " + ", ".join(f"{c} {n}" for c, n in report.units_coded_by.items()) + "."
    )
