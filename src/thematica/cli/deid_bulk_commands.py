"""`thematica deid groups | decide-all | merge | resize | redact`: review at scale, and
corrections after apply."""

from __future__ import annotations

import click

from thematica.cli.app import common_options
from thematica.cli.deid_commands import actor_option, deid, warn_leftovers
from thematica.cli.output import Options, emit, table


@deid.command("groups")
@click.argument("document", required=False)
@common_options
@click.pass_obj
def groups(options: Options, document: str | None) -> None:
    """Open review items grouped by string and type, largest first (DOCUMENT's, or every
    document's). Decide a whole group with `thematica deid decide-all`."""
    from thematica.services.deid_bulk import review_groups
    from thematica.services.scope import open_db

    rows = review_groups(open_db(options.db), document=document, study=options.study)

    def human() -> None:
        table(
            # the example's id first: the first column folds, never drops out at 80 columns
            ["example", "type", "items", "pending", "docs", "text"],
            [
                [r["example"], r["type"], r["items"], r["pending"], r["documents"], r["text"]]
                for r in rows
            ],
        )
        pending = sum(int(str(r["pending"])) for r in rows)
        click.echo(
            f"{len(rows)} group(s), {pending} item(s) pending. "
            'E.g. `thematica deid decide-all reject --text "PhD"`.'
        )

    emit(options, rows, human)


@deid.command("decide-all")
@click.argument("decision", type=click.Choice(["accept", "reject", "relabel"]))
@click.argument("label", required=False)
@click.option("--text", metavar="TEXT", help="Every item of this string (any case, possessive).")
@click.option("--type", "type_", metavar="TYPE", help="Every item of this type (PERSON ...).")
@click.option("--document", metavar="DOC", help="Only in DOC; alone: everything left in it.")
@click.option("--again", is_flag=True, help="Also items already decided.")
@actor_option
@common_options
@click.pass_obj
def decide_all(
    options: Options,
    decision: str,
    label: str | None,
    text: str | None,
    type_: str | None,
    document: str | None,
    again: bool,
    actor: str | None,
) -> None:
    """Decide every pending item that matches, in one go: every occurrence of a string
    (--text), every item of a type (--type AUTHOR: keep cited authors), everything left in a
    document (--document), or any combination. relabel needs LABEL, the new type."""
    from thematica.services.deid_bulk import decide_matching
    from thematica.services.scope import open_db

    decided = decide_matching(
        open_db(options.db),
        decision,
        label=label,
        text=text,
        type_=type_,
        document=document,
        include_decided=again,
        study=options.study,
        actor=actor,
    )
    emit(
        options,
        {"decided": len(decided), "items": [str(i.id) for i in decided]},
        lambda: click.echo(f"{len(decided)} item(s): {decision}."),
    )


@deid.command("merge")
@click.argument("first")
@click.argument("second")
@actor_option
@common_options
@click.pass_obj
def merge(options: Options, first: str, second: str, actor: str | None) -> None:
    """Merge two neighbouring items ("Nguyen" and "Thi Lan") into FIRST."""
    from thematica.services.deid_bulk import merge_items
    from thematica.services.scope import open_db

    item = merge_items(open_db(options.db), first, second, study=options.study, actor=actor)
    _said(options, item.id.hex, item.span.start, item.span.end, item.surface, "Merged into")


@deid.command("resize")
@click.argument("item")
@click.argument("start", type=int)
@click.argument("end", type=int)
@actor_option
@common_options
@click.pass_obj
def resize(options: Options, item: str, start: int, end: int, actor: str | None) -> None:
    """Widen or narrow ITEM to characters START to END (END not included)."""
    from thematica.services.deid_bulk import resize_item
    from thematica.services.scope import open_db

    changed = resize_item(open_db(options.db), item, start, end, study=options.study, actor=actor)
    _said(options, changed.id.hex, start, end, changed.surface, "Item")


def _said(options: Options, item: str, start: int, end: int, text: str, what: str) -> None:
    emit(
        options,
        {"item": item, "start": start, "end": end, "text": text},
        lambda: click.echo(f"{what} {item[:8]}: {start}-{end} {text!r}"),
    )


@deid.command("redact")
@click.argument("document")
@click.argument("label")
@click.argument("span", nargs=-1, type=int)
@click.option("--text", metavar="TEXT", help="Every whole-word occurrence of TEXT instead.")
@actor_option
@common_options
@click.pass_obj
def redact(
    options: Options,
    document: str,
    label: str,
    span: tuple[int, ...],
    text: str | None,
    actor: str | None,
) -> None:
    """Correct a document already de-identified: replace characters START END of DOCUMENT
    (or every occurrence of --text) with a label of type LABEL. Works on coded documents too:
    the codings move with the text, and each move is recorded."""
    from thematica.services.deid_corrections import redact_after_apply
    from thematica.services.scope import open_db

    if (len(span) == 2) == (text is not None) or len(span) not in (0, 2):
        raise click.UsageError("give START END, or --text TEXT")
    done = redact_after_apply(
        open_db(options.db),
        document,
        label,
        start=span[0] if span else None,
        end=span[1] if span else None,
        text=text,
        study=options.study,
        actor=actor,
    )

    def human() -> None:
        click.echo(
            f"Replaced {done.replaced} passage(s) of {done.document} with {done.label}; "
            f"{done.codings_moved} coding(s) moved."
        )
        warn_leftovers(done.log_emptied, done.backups)

    emit(
        options,
        {
            "document": done.document,
            "label": done.label,
            "replaced": done.replaced,
            "codings_moved": done.codings_moved,
            "log_emptied": done.log_emptied,
            "backups": list(done.backups),
        },
        human,
    )
