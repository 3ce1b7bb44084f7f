"""Coding and the coded-segments table."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, table


@cli.command()
@click.argument("document")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("code")
@click.option("--coder", required=True, metavar="NAME", help="Who is coding.")
@click.option("--valence", type=click.Choice(["barrier", "facilitator", "mixed"]))
@click.option("--memo", default="", help="A note on this coding.")
@common_options
@click.pass_obj
def code(
    options: Options,
    document: str,
    start: int,
    end: int,
    code: str,
    coder: str,
    valence: str | None,
    memo: str,
) -> None:
    """Code characters START to END of DOCUMENT with CODE (a path such as 'Theme > Code').

    Offsets count Unicode characters from 0; END is not included.
    """
    from thematica.services.coding import apply_coding
    from thematica.services.documents import get_document
    from thematica.services.scope import open_db

    db = open_db(options.db)
    coding = apply_coding(
        db, document, start, end, code, coder=coder, study=options.study, valence=valence, memo=memo
    )
    passage = coding.span.of(get_document(db, document, options.study).text)
    emit(
        options,
        {
            "coding_id": str(coding.id),
            "document": document,
            "start": start,
            "end": end,
            "code": code,
            "coder": coder,
            "valence": valence,
            "text": passage,
        },
        lambda: click.echo(
            f"Coded {document} [{start}, {end}) as {code!r} by {coder}: {passage[:70]!r}"
        ),
    )


@cli.group()
def codings() -> None:
    """The coded segments."""


_AS_CODER = click.option(
    "--as",
    "viewer",
    metavar="CODER",
    help="What this coder may see: in an open blind round, colleagues' codings are hidden.",
)


@codings.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@_AS_CODER
@common_options
@click.pass_obj
def codings_export(options: Options, file: Path, viewer: str | None) -> None:
    """Export every coding as CSV, or as an Excel workbook when FILE ends in .xlsx: document,
    participant, the participant's attributes, code path, span, text, coder, valence, memo,
    origin, time."""
    from thematica.services.projects_segments import export_segments
    from thematica.services.scope import open_db

    count = export_segments(open_db(options.db), file, study=options.study, viewer=viewer)
    emit(
        options,
        {"codings": count, "file": str(file)},
        lambda: click.echo(f"Wrote {count} codings to {file}."),
    )


@codings.command("list")
@click.option("--document", metavar="NAME", help="Only this document.")
@_AS_CODER
@common_options
@click.pass_obj
def codings_list(options: Options, document: str | None, viewer: str | None) -> None:
    """List coded segments (as a coder sees them, with --as)."""
    from thematica.services.coding import coded_segments
    from thematica.services.scope import open_db

    rows = [
        r
        for r in coded_segments(open_db(options.db), options.study, viewer=viewer)
        if document is None or r["document"] == document
    ]
    emit(
        options,
        rows,
        lambda: table(
            ["document", "span", "code", "coder", "valence", "text"],
            [
                (
                    r["document"],
                    f"{r['start']}-{r['end']}",
                    r["code"],
                    r["coder"],
                    r["valence"],
                    str(r["text"])[:60],
                )
                for r in rows
            ],
        ),
    )
