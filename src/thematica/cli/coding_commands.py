"""Coding and the coded-segments table."""

from __future__ import annotations

from pathlib import Path

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, cut, emit, literal, table
from thematica.domain import vocab


@cli.command()
@click.argument("document")
@click.argument("place", nargs=-1, required=True, metavar="[START END] CODE")
@click.option("--coder", required=True, metavar="NAME", help="Who is coding (must exist).")
@click.option("--quote", metavar="TEXT", help="Code the passage with these words.")
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    metavar="N",
    help="With --quote: the Nth place the words occur.",
)
@click.option(
    "--turn",
    type=click.IntRange(min=1),
    metavar="N",
    help="The Nth turn (as `documents show` numbers them): the whole turn, or where to look "
    "for --quote.",
)
@click.option("--valence", type=click.Choice(vocab.VALENCES, case_sensitive=False))
@click.option("--memo", default="", help="A note on this coding.")
@click.option("--new-coder", is_flag=True, help="Add the coder if the study has none by that name.")
@common_options
@click.pass_obj
def code(
    options: Options,
    document: str,
    place: tuple[str, ...],
    coder: str,
    quote: str | None,
    occurrence: int | None,
    turn: int | None,
    valence: str | None,
    memo: str,
    new_coder: bool,
) -> None:
    """Code a passage of DOCUMENT with CODE: a path ('Theme > Code') or the end of one that only
    one code has ('Code').

    Name the passage by its words (--quote "...", with --occurrence or --turn when they occur
    more than once), by turn (--turn N), or, for scripts, by START END: offsets in Unicode
    characters from 0, END not included.
    """
    if len(place) == 1:
        start = end = None
        (code_path,) = place
    elif len(place) == 3:
        try:
            start, end = int(place[0]), int(place[1])
        except ValueError:
            raise click.UsageError("START and END must be whole numbers") from None
        code_path = place[2]
    else:
        raise click.UsageError("give CODE, or START END CODE")
    from thematica.services.passages import code_passage
    from thematica.services.scope import open_db

    done = code_passage(
        open_db(options.db),
        document,
        code_path,
        coder=coder,
        start=start,
        end=end,
        quote=quote,
        occurrence=occurrence,
        turn=turn,
        valence=valence,
        memo=memo,
        new_coder=new_coder,
        study=options.study,
    )

    def human() -> None:
        span = done.coding.span
        where = f"turn {done.turn}, " if done.turn else ""
        literal(
            f"Coded {done.document} [{where}{span.start}-{span.end}] as {done.code!r} "
            f"by {done.coder} (coding {done.short_id}): {cut(done.text, 70)}"
        )

    emit(options, done.as_dict(), human)


@cli.group()
def codings() -> None:
    """The coded segments."""


_AS_CODER = click.option(
    "--as",
    "viewer",
    metavar="CODER",
    help="What this coder may see [default: the acting user]: while a blind round is open, its "
    "coders' codings are shown to their author only.",
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

    hidden: dict[str, int] = {}
    count = export_segments(
        open_db(options.db), file, study=options.study, viewer=viewer, hidden=hidden
    )
    notes = [
        f"Left out {n} coding(s) of open blind round {name}: until it is closed, each of its "
        "coders sees only their own (see --as)."
        for name, n in hidden.items()
    ]

    def human() -> None:
        click.echo(f"Wrote {count} codings to {file}.")
        for note in notes:
            click.echo(note)

    emit(options, {"codings": count, "file": str(file), "hidden_by_round": hidden}, human)


@codings.command("list")
@click.option("--document", metavar="NAME", help="Only this document.")
@_AS_CODER
@common_options
@click.pass_obj
def codings_list(options: Options, document: str | None, viewer: str | None) -> None:
    """List coded segments, ids first (as a coder sees them, with --as). `codings edit` and
    `codings remove` take the id as printed."""
    from thematica.services.coding import coded_segments
    from thematica.services.scope import open_db

    hidden: dict[str, int] = {}
    rows = coded_segments(
        open_db(options.db), options.study, viewer=viewer, document=document, hidden=hidden
    )
    # "selected by" only when some passage was selected by someone else than its coder (an
    # imported project): an empty column would take the room the passage needs at 80 columns.
    selected = any(r["selected_by"] for r in rows)
    headers = ["id", "document", "span", "code", "coder", "selected by", "valence", "text"]
    keys = ["short_id", "document", "span", "code", "coder", "selected_by", "valence", "text"]
    if not selected:
        del headers[5], keys[5]

    def human() -> None:
        table(
            headers,
            [[f"{r['start']}-{r['end']}" if k == "span" else r[k] for k in keys] for r in rows],
            ids=1,
            cut_columns=["text"],
        )
        for name, n in hidden.items():
            literal(
                f"({n} coding(s) of open blind round {name} not shown: until it is closed, each "
                "of its coders sees only their own.)"
            )

    emit(options, rows, human)


@codings.command("remove")
@click.argument("coding_id", metavar="ID")
@common_options
@click.pass_obj
def codings_remove(options: Options, coding_id: str) -> None:
    """Remove the coding ID (as `codings list` prints it). The audit trail keeps what it was."""
    from thematica.services.coding import remove_coding
    from thematica.services.scope import open_db

    removed = remove_coding(open_db(options.db), coding_id, study=options.study)
    emit(
        options,
        {"removed": str(removed.id)},
        lambda: click.echo(f"Removed coding {removed.id.hex[:8]}."),
    )


@codings.command("edit")
@click.argument("coding_id", metavar="ID")
@click.option("--code", metavar="PATH", help="Another code (a path, or the unique end of one).")
@click.option("--start", type=click.IntRange(min=0), help="A new start offset.")
@click.option("--end", type=click.IntRange(min=1), help="A new end offset (not included).")
@click.option("--valence", type=click.Choice(vocab.VALENCES, case_sensitive=False))
@click.option("--memo", help="A new memo ('' clears it).")
@common_options
@click.pass_obj
def codings_edit(
    options: Options,
    coding_id: str,
    code: str | None,
    start: int | None,
    end: int | None,
    valence: str | None,
    memo: str | None,
) -> None:
    """Change the coding ID: its code, span, valence or memo. The event keeps before and after."""
    from thematica.services.passages import edit_coding
    from thematica.services.scope import open_db

    row = edit_coding(
        open_db(options.db),
        coding_id,
        study=options.study,
        start=start,
        end=end,
        code=code,
        valence=valence,
        memo=memo,
    )
    emit(
        options,
        row,
        lambda: literal(
            f"Coding {row['short_id']}: {row['document']} [{row['start']}-{row['end']}] "
            f"{row['code']!r} by {row['coder']}: {cut(str(row['text']), 70)}"
        ),
    )


@cli.group()
def coders() -> None:
    """The people (and consensus layers) who code."""


@coders.command("add")
@click.argument("name")
@common_options
@click.pass_obj
def coders_add(options: Options, name: str) -> None:
    """Add a coder called NAME (coding by an unknown name is refused, so a typo cannot add one)."""
    from thematica.services.coders import add_coder
    from thematica.services.scope import open_db

    coder = add_coder(open_db(options.db), name, study=options.study)
    emit(
        options,
        {"coder": coder.name, "id": str(coder.id)},
        lambda: literal(f"Added coder {coder.name}."),
    )


@coders.command("list")
@common_options
@click.pass_obj
def coders_list(options: Options) -> None:
    """List coders and how many codings each made."""
    from thematica.services.coders import list_coders
    from thematica.services.scope import open_db

    listed = list_coders(open_db(options.db), options.study)
    emit(
        options,
        [{"coder": c.name, "id": str(c.id), "codings": n} for c, n in listed],
        lambda: table(["coder", "codings"], [(c.name, n) for c, n in listed]),
    )
