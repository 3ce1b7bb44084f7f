"""`thematica deid`: detect identifiers, review them, apply the replacements, read the log."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any, TypeVar

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, progress_bar, table

F = TypeVar("F", bound=Callable[..., Any])


def actor_option(func: F) -> F:
    return click.option(
        "--as",
        "actor",
        metavar="NAME",
        help="Act as NAME [default: THEMATICA_USER, else your login name].",
    )(func)


class _DeidGroup(click.Group):
    """``thematica deid DOC`` and ``thematica deid --all`` mean ``thematica deid detect ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["detect", *args]
        return super().parse_args(ctx, args)


@cli.group(cls=_DeidGroup)
def deid() -> None:
    """De-identification with a review step.

    `thematica deid DOC...` (or `--all`) finds names, places, organisations, dates of birth,
    phone numbers, emails, postcodes, NHS numbers, URLs and the study's own terms, and puts them
    on each document's review list. Nothing is replaced until `thematica deid apply DOC`, and a
    document cannot be coded while its review is pending.
    """


@deid.command("detect")
@click.argument("documents", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="Every document not yet de-identified.")
@actor_option
@common_options
@click.pass_obj
def detect(options: Options, documents: tuple[str, ...], all_: bool, actor: str | None) -> None:
    """Detect identifiers in DOCUMENTS (or --all) and fill their review lists."""
    from thematica.services.deid import detect_identifiers
    from thematica.services.scope import open_db

    if bool(documents) == all_:
        raise click.UsageError("name the documents, or give --all")
    with progress_bar(options, "Detecting") as progress:
        summaries = detect_identifiers(
            open_db(options.db),
            None if all_ else list(documents),
            study=options.study,
            actor=actor,
            progress=progress,
        )
    rows = [
        {"document": s.document, "found": s.found, "added": s.added, "skipped": s.skipped}
        for s in summaries
    ]

    def human() -> None:
        table(
            ["document", "found", "new on the review list", "skipped"],
            [list(r.values()) for r in rows],
        )
        click.echo("Review with `thematica deid review DOC`, then `thematica deid apply DOC`.")

    emit(options, rows, human)


@deid.command("review")
@click.argument("document")
@click.option("--pending", "pending_only", is_flag=True, help="Only items not yet decided.")
@common_options
@click.pass_obj
def review(options: Options, document: str, pending_only: bool) -> None:
    """List DOCUMENT's review items: what was found, where, and the label it would get."""
    from thematica.services.deid_review import review_list
    from thematica.services.scope import open_db

    rows = review_list(open_db(options.db), document, study=options.study)
    if pending_only:
        rows = [r for r in rows if r["status"] == "pending"]

    def human() -> None:
        # Plain lines, not a table: the id that `deid decide` needs leads every line and is
        # never squeezed out, whatever the terminal's width; text is printed as written.
        width = max(40, shutil.get_terminal_size((80, 24)).columns)
        for r in rows:
            head = (
                f"{str(r['item'])[:8]}  {r['status']:<8} {r['type']:<12} "
                f"{r['start']}-{r['end']}  {r['text']!r}"
            )
            if r["label"]:
                head += f" -> {r['label']}"
            click.echo(head[:width])
            context = " ".join(str(r["context"]).split())
            if context:
                click.echo(("          " + context)[:width])
        pending = sum(1 for r in rows if r["status"] == "pending")
        click.echo(
            f"{len(rows)} item(s), {pending} pending. Decide one with `thematica deid decide "
            "ID accept|reject`, many with `thematica deid decide-all` (see `deid groups`)."
        )

    emit(options, rows, human)


@deid.command("status")
@common_options
@click.pass_obj
def status(options: Options) -> None:
    """Every document's de-identification state, and whether it can be coded yet."""
    from thematica.services.deid_review import review_overview
    from thematica.services.scope import open_db

    rows = review_overview(open_db(options.db), study=options.study)
    emit(
        options,
        rows,
        lambda: table(
            ["document", "status", "pending items", "codable", "finished by", "waiver reason"],
            [[*r.values()] for r in rows],
        ),
    )


@deid.command("decide")
@click.argument("item")
@click.argument("decision", type=click.Choice(["accept", "reject", "relabel"]))
@click.argument("label", required=False)
@actor_option
@common_options
@click.pass_obj
def decide(
    options: Options, item: str, decision: str, label: str | None, actor: str | None
) -> None:
    """Accept, reject or relabel review ITEM (its id, or the first 8 characters shown).

    relabel needs LABEL, the new type: PERSON, PLACE, ORGANISATION, DATE_OF_BIRTH, PHONE,
    EMAIL, POSTCODE, NHS_NUMBER, URL or IDENTIFIER.
    """
    from thematica.services.deid_review import decide_item
    from thematica.services.scope import open_db

    decided = decide_item(
        open_db(options.db), item, decision, label=label, study=options.study, actor=actor
    )
    emit(
        options,
        {"item": str(decided.id), "status": decided.status.value, "type": decided.type},
        lambda: click.echo(f"Item {decided.id.hex[:8]}: {decided.status.value} as {decided.type}."),
    )


@deid.command("add")
@click.argument("document")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.argument("label")
@actor_option
@common_options
@click.pass_obj
def add(
    options: Options, document: str, start: int, end: int, label: str, actor: str | None
) -> None:
    """Add an identifier the detectors missed: characters START to END of DOCUMENT, of type
    LABEL (PERSON, PLACE, ...). Offsets count characters from 0; END is not included."""
    from thematica.services.deid_review import add_item
    from thematica.services.scope import open_db

    item = add_item(
        open_db(options.db), document, start, end, label, study=options.study, actor=actor
    )
    emit(
        options,
        {"item": str(item.id), "start": start, "end": end, "type": item.type, "text": item.surface},
        lambda: click.echo(f"Added item {item.id.hex[:8]}: {item.surface!r} as {item.type}."),
    )


@deid.command("apply")
@click.argument("document")
@click.option("--waive", is_flag=True, help="Apply without finishing the review (needs --reason).")
@click.option("--reason", metavar="TEXT", help="Why the review is waived (recorded).")
@actor_option
@common_options
@click.pass_obj
def apply(
    options: Options, document: str, waive: bool, reason: str | None, actor: str | None
) -> None:
    """Replace DOCUMENT's accepted identifiers with study-wide labels ([Person 3]).

    Refused while items are pending, unless --waive --reason: a waiver leaves the text as it
    is (pending items stay in it; accepted ones are replaced), recorded with who and why.
    """
    from thematica.services.redaction import apply_deidentification
    from thematica.services.scope import open_db

    result = apply_deidentification(
        open_db(options.db), document, study=options.study, actor=actor, waive=waive, reason=reason
    )

    def human() -> None:
        click.echo(
            f"De-identified {result.document}: {result.replaced} replacement(s)"
            + (
                f"; {result.waived_items} unreviewed item(s) left in the text (waived)."
                if result.waived
                else "."
            )
        )
        warn_leftovers(result.log_emptied, result.backups)
        if result.name_holds_identifier:
            click.echo(
                f"Warning: the document's name {result.document!r} holds a name just replaced; "
                "it appears in exports and reports, so rename the document.",
                err=True,
            )

    emit(
        options,
        {
            "document": result.document,
            "replaced": result.replaced,
            "waived": result.waived,
            "waived_items": result.waived_items,
            "log_emptied": result.log_emptied,
            "backups": list(result.backups),
            "name_holds_identifier": result.name_holds_identifier,
        },
        human,
    )


def warn_leftovers(log_emptied: bool, backups: tuple[str, ...]) -> None:
    """Say where copies of the original text may still be."""
    if not log_emptied:
        click.echo(
            "Warning: another program has the database open, so its write-ahead log (-wal) "
            "still holds the original text until it closes.",
            err=True,
        )
    for path in backups:
        click.echo(
            f"Warning: {path} is a backup made before an upgrade and still holds original "
            "text; delete it once you no longer need it.",
            err=True,
        )


@deid.command("log")
@click.argument("document", required=False)
@common_options
@click.pass_obj
def log(options: Options, document: str | None) -> None:
    """The redaction log: every replacement made, where, with which label, by whom and when."""
    from thematica.services.redaction import redaction_log
    from thematica.services.scope import open_db

    rows = redaction_log(open_db(options.db), study=options.study, document=document)

    def human() -> None:
        table(
            ["document", "span", "type", "label", "by", "at", "waived"],
            [
                [
                    r["document"],
                    f"{r['start']}-{r['end']}",
                    r["type"],
                    r["label"],
                    r["by"],
                    str(r["at"])[:19],
                    "yes: " + str(r["reason"]) if r["waived"] else "",
                ]
                for r in rows
            ],
        )

    emit(options, rows, human)


@deid.command("mapping")
@actor_option
@common_options
@click.pass_obj
def mapping(options: Options, actor: str | None) -> None:
    """The study-wide mapping from identifiers to labels (the mapping's owner only)."""
    from thematica.services.deid_mapping import read_mapping
    from thematica.services.scope import open_db

    rows = read_mapping(open_db(options.db), study=options.study, actor=actor)
    emit(
        options,
        rows,
        lambda: table(["label", "type", "identifier"], [list(r.values()) for r in rows]),
    )


@deid.command("owner")
@click.argument("new_owner", required=False)
@actor_option
@common_options
@click.pass_obj
def owner(options: Options, new_owner: str | None, actor: str | None) -> None:
    """Show who owns the mapping, or hand it to NEW_OWNER (the owner only).

    There is no login system yet: the owner is a name compared with the acting user's name
    (--as, THEMATICA_USER or the login name). It prevents accidents, not a determined reader.
    """
    from thematica.services.deid_mapping import mapping_owner, set_mapping_owner
    from thematica.services.scope import open_db

    db = open_db(options.db)
    if new_owner is not None:
        set_mapping_owner(db, new_owner, study=options.study, actor=actor)
    current = mapping_owner(db, study=options.study)
    emit(
        options,
        {"owner": current},
        lambda: click.echo(f"Mapping owner: {current or 'none yet'}"),
    )


@deid.group("terms")
def terms() -> None:
    """The study's own list of identifiers to look for (nicknames, wards, villages)."""


@terms.command("add")
@click.argument("words", nargs=-1, required=True)
@click.option("--type", "type_", default="IDENTIFIER", show_default=True, help="Their type.")
@actor_option
@common_options
@click.pass_obj
def terms_add(options: Options, words: tuple[str, ...], type_: str, actor: str | None) -> None:
    """Add WORDS (each one term; quote terms of several words) to the study's list."""
    from thematica.services.deid_mapping import add_terms
    from thematica.services.scope import open_db

    added = add_terms(open_db(options.db), list(words), type_, study=options.study, actor=actor)
    emit(options, {"added": added}, lambda: click.echo(f"Added {added} term(s)."))


@terms.command("list")
@actor_option
@common_options
@click.pass_obj
def terms_list(options: Options, actor: str | None) -> None:
    """The study's term list (the mapping's owner only: it holds identifiers)."""
    from thematica.services.deid_mapping import read_terms
    from thematica.services.scope import open_db

    found = read_terms(open_db(options.db), study=options.study, actor=actor)
    emit(options, found, lambda: table(["term", "type"], [[t, k] for t, k in found.items()]))
