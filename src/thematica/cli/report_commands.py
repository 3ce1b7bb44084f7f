"""The study report and what it is written from: thematica report, record, summary."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar, table
from thematica.domain import vocab

#: The formats by name, as the services name them (from the shared vocabulary), and ``all``.
FORMAT_CHOICES = (*vocab.REPORT_FORMATS, "all")


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="The folder to write the report into (created if needed).",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(FORMAT_CHOICES, case_sensitive=False),
    multiple=True,
    help="html (one self-contained page), docx (to edit for a paper), xlsx (framework matrix "
    "and coded segments), csv (participants x codes, 0/1, with attributes) or all; repeat "
    "for several [default: html].",
)
@click.option(
    "--by",
    metavar="ATTRIBUTE",
    help="The participant attribute to split barriers and facilitators by [default: setting, "
    "when participants have it].",
)
@click.option(
    "--layer",
    metavar="CODER",
    help="Whose codings the analyses read where no double-coding round was resolved (a "
    "resolved round's consensus always wins) [default: the study record's analysis_layer, "
    "else the union of the coders, each passage counted once].",
)
@click.option(
    "--quote-attributes",
    metavar="A,B",
    help="Participant attributes shown after each quote's pseudonym, in order [default: the "
    "study record's quote_attributes, else none].",
)
@click.option(
    "--page-size",
    type=click.Choice(["a4", "letter"], case_sensitive=False),
    help="The Word document's page [default: the study record's page_size, else by locale].",
)
@click.option(
    "--memo",
    "memos",
    multiple=True,
    metavar="ID",
    help="A memo to print beside the project journal (its id, or the start that `memo list` "
    "shows); repeat for several.",
)
@click.option(
    "--interviewer-turns",
    type=click.Choice(["include", "exclude"]),
    default="include",
    show_default=True,
    help="Whether intercoder agreement compares the units in the interviewer's turns.",
)
@common_options
@click.pass_obj
def report(
    options: Options,
    out: Path,
    formats: tuple[str, ...],
    by: str | None,
    layer: str | None,
    quote_attributes: str | None,
    page_size: str | None,
    memos: tuple[str, ...],
    interviewer_turns: str,
) -> None:
    """Write the study report into DIR and print the paths written.

    Each file is written under a temporary name and renamed when every format has been
    rendered, so a failure leaves no half-written report.
    """
    from thematica.services.report import FORMATS, write_report
    from thematica.services.scope import open_db

    chosen = list(FORMATS) if "all" in formats else list(formats or ("html",))
    db = open_db(options.db)
    warnings: list[str] = []
    with progress_bar(options, "Writing the report") as progress:
        written = write_report(
            db,
            out,
            chosen,
            study=options.study,
            by=by,
            layer=layer,
            quote_attributes=None if quote_attributes is None else [quote_attributes],
            page_size=page_size,
            memos=memos,
            interviewer_turns=interviewer_turns,
            progress=progress,
            warn=warnings.append,
        )

    def human() -> None:
        for warning in warnings:
            click.echo(f"Warning: {warning}.", err=True)
        for path in written:
            click.echo(str(path))

    emit(options, {"written": [str(path) for path in written], "warnings": warnings}, human)


@cli.group()
def record() -> None:
    """The study record: how the study was done (COREQ items, aim, team), for the report."""


@record.command("show")
@common_options
@click.pass_obj
def record_show(options: Options) -> None:
    """List every study-record item, with its answer or what it asks."""
    from thematica.services.scope import open_db
    from thematica.services.study_record import RECORD_ITEMS, get_study_record

    answers = get_study_record(open_db(options.db), options.study)
    rows = [(item, answers.get(item, ""), guide) for item, guide in RECORD_ITEMS.items()]
    emit(
        options,
        [{"item": item, "answer": answer, "asks": guide} for item, answer, guide in rows],
        lambda: table(["item", "answer", "asks"], rows),
    )


@record.command("set")
@click.argument("item")
@click.argument("value")
@common_options
@click.pass_obj
def record_set(options: Options, item: str, value: str) -> None:
    """Answer ITEM of the study record with VALUE (see `thematica record show`)."""
    from thematica.services.scope import open_db
    from thematica.services.study_record import set_study_record

    set_study_record(open_db(options.db), item, value, study=options.study)
    emit(options, {"item": item, "value": value}, lambda: click.echo(f"Recorded {item}."))


@cli.command()
@click.argument("participant")
@click.argument("code")
@click.argument("text")
@click.option("--author", required=True, help="Who wrote the summary (kept with the time).")
@common_options
@click.pass_obj
def summary(options: Options, participant: str, code: str, text: str, author: str) -> None:
    """Chart TEXT into the framework cell PARTICIPANT x CODE (replacing what was there)."""
    from thematica.services.scope import open_db
    from thematica.services.study_record import write_summary

    written = write_summary(
        open_db(options.db), participant, code, text, author=author, study=options.study
    )
    emit(
        options,
        {"participant": participant, "code": code, "author": written.author, "text": written.text},
        lambda: click.echo(f"Charted the summary of {participant} x {code}."),
    )
