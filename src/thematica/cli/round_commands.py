"""Double-coding rounds: open (blind by default), close, disagreements, resolve, export."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, table
from thematica.domain import vocab

if TYPE_CHECKING:
    from thematica.services.rounds import DisagreementView


def _names(value: str | None) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()] if value else []


def _passage(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    first, sep, last = value.partition(":")
    if not sep or not first.strip().isdigit() or not last.strip().isdigit():
        raise click.BadParameter(f"{value!r} is not START:END", param_hint="--passage")
    return int(first), int(last)


@cli.group("round")
def round_() -> None:
    """Double-coding rounds, blind coding and consensus."""


@round_.command("open")
@click.argument("name")
@click.option("--coders", required=True, metavar="A,B,...", help="Two or more coders.")
@click.option("--documents", metavar="D1,D2,...", help="The documents [default: all, or a sample].")
@click.option(
    "--sample",
    "fraction",
    type=click.FloatRange(0, 1, min_open=True),
    metavar="FRACTION",
    help="Double-code a random share of the documents, e.g. 0.2 (10-25% is usual).",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Makes the sample reproducible."
)
@click.option(
    "--stratify-by",
    metavar="ATTRIBUTE",
    help="Sample within each value of a participant attribute.",
)
@click.option(
    "--blind/--not-blind",
    default=True,
    show_default=True,
    help="Blind: each coder sees only their own codings of these documents until closed.",
)
@click.option(
    "--unit",
    type=click.Choice(vocab.UNITS, case_sensitive=False),
    default="turn",
    show_default=True,
    help="The unit disagreements are listed in.",
)
@click.option(
    "--new-coder",
    "new_coders",
    is_flag=True,
    help="Add coders not yet in the study (otherwise an unknown name is refused as a typo).",
)
@common_options
@click.pass_obj
def round_open(
    options: Options,
    name: str,
    coders: str,
    documents: str | None,
    fraction: float | None,
    seed: int,
    stratify_by: str | None,
    blind: bool,
    unit: str,
    new_coders: bool,
) -> None:
    """Assign documents to coders for double-coding."""
    from thematica.services.documents import list_documents
    from thematica.services.rounds import open_round
    from thematica.services.scope import open_db

    db = open_db(options.db)
    opened = open_round(
        db,
        name,
        coders=_names(coders),
        documents=_names(documents) or None,
        fraction=fraction,
        seed=seed,
        stratify_by=stratify_by,
        blind=blind,
        unit=unit,
        study=options.study,
        new_coders=new_coders,
    )
    names = {d.id: d.name for d in list_documents(db, options.study)}
    docs = [names[d] for d in opened.document_ids]
    emit(
        options,
        {
            "round": opened.name,
            "blind": opened.blind,
            "documents": docs,
            "coders": _names(coders),
            "sampling": opened.sampling,
        },
        lambda: click.echo(
            f"Round {opened.name!r} ({'blind' if blind else 'open view'}, "
            f"{opened.sampling}): {len(docs)} document(s) for {coders}: "
            f"{', '.join(docs)}"
        ),
    )


@round_.command("list")
@common_options
@click.pass_obj
def round_list(options: Options) -> None:
    """List rounds."""
    from thematica.services.rounds import list_rounds
    from thematica.services.scope import open_db

    rounds = list_rounds(open_db(options.db), options.study)
    data = [
        {
            "round": r.name,
            "status": r.status.value,
            "blind": r.blind,
            "unit": r.unit,
            "documents": len(r.document_ids),
            "coders": len(r.coder_ids),
            "sampling": r.sampling,
        }
        for r in rounds
    ]
    emit(
        options,
        data,
        lambda: table(list(data[0]) if data else ["round"], [list(d.values()) for d in data]),
    )


def _print_disagreements(options: Options, views: Sequence[DisagreementView], title: str) -> None:
    data: list[dict[str, Any]] = [
        {
            "document": v.document,
            "start": v.disagreement.span.start,
            "end": v.disagreement.span.end,
            "code": v.code,
            "coded_by": list(v.coded_by),
            "not_coded_by": list(v.not_coded_by),
            "text": v.text,
            "decision": v.resolution.decision.value if v.resolution else None,
            "decided_by": v.resolution.decided_by if v.resolution else None,
            "rationale": v.resolution.rationale if v.resolution else None,
        }
        for v in views
    ]

    def human() -> None:
        table(
            ["document", "unit", "code", "coded by", "not by", "decision", "text"],
            [
                (
                    d["document"],
                    f"{d['start']}-{d['end']}",
                    d["code"],
                    ", ".join(d["coded_by"]),
                    ", ".join(d["not_coded_by"]),
                    d["decision"] or "open",
                    d["text"],
                )
                for d in data
            ],
            title=title,
            # The document and unit are what `round resolve` needs: never cut; the text is.
            ids=2,
            cut_columns=["text"],
        )
        open_count = sum(1 for d in data if d["decision"] is None)
        click.echo(f"{len(data)} disagreement(s), {open_count} not yet resolved.")

    emit(options, data, human)


@round_.command("close")
@click.argument("name")
@common_options
@click.pass_obj
def round_close(options: Options, name: str) -> None:
    """Close a round: end blind views, start the consensus layer, list disagreements."""
    from thematica.services.rounds import close_round
    from thematica.services.scope import open_db

    views = close_round(open_db(options.db), name, study=options.study)
    _print_disagreements(options, views, f"Disagreements in round {name}")


@round_.command("disagreements")
@click.argument("name")
@common_options
@click.pass_obj
def round_disagreements(options: Options, name: str) -> None:
    """List the round's disagreements and how each was resolved."""
    from thematica.services.rounds import list_disagreements
    from thematica.services.scope import open_db

    views = list_disagreements(open_db(options.db), name, study=options.study)
    _print_disagreements(options, views, f"Disagreements in round {name}")


@round_.command("resolve")
@click.argument("name")
@click.option("--document", required=True)
@click.option("--start", type=int, required=True, help="Where the unit starts (see disagreements).")
@click.option("--code", required=True, metavar="PATH")
@click.option(
    "--decision", type=click.Choice(["present", "absent"], case_sensitive=False), required=True
)
@click.option("--by", "decided_by", required=True, metavar="NAME", help="Who decided.")
@click.option("--rationale", required=True, help="Why, in a sentence.")
@click.option(
    "--passage",
    metavar="START:END",
    help="For 'present': the passage the consensus codes, inside the unit [default: what the "
    "coders coded there].",
)
@click.option(
    "--valence",
    type=click.Choice(["barrier", "facilitator", "mixed"], case_sensitive=False),
    help="For 'present': the valence decided [default: the one the coders agree on, if any].",
)
@common_options
@click.pass_obj
def round_resolve(
    options: Options,
    name: str,
    document: str,
    start: int,
    code: str,
    decision: str,
    decided_by: str,
    rationale: str,
    passage: str | None,
    valence: str | None,
) -> None:
    """Settle one disagreement into the consensus layer (the coders' own codings stay).

    The consensus layer is what the report's analyses read for the round's documents: 'present'
    adds the passage with its valence, 'absent' leaves it out."""
    from thematica.services.rounds import resolve_disagreement
    from thematica.services.scope import open_db

    resolved = resolve_disagreement(
        open_db(options.db),
        name,
        document=document,
        start=start,
        code=code,
        decision=decision,
        decided_by=decided_by,
        rationale=rationale,
        passage=_passage(passage),
        valence=valence,
        study=options.study,
    )
    emit(
        options,
        {"resolution_id": str(resolved.id), "decision": decision},
        lambda: click.echo(
            f"Resolved: {code} {decision} in {document} "
            f"[{resolved.span.start}, {resolved.span.end}) by {decided_by}."
        ),
    )


@round_.command("export")
@click.argument("name")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@click.pass_obj
def round_export(options: Options, name: str, file: Path) -> None:
    """Export the resolution log (every disagreement, decision, who, why) as CSV."""
    from thematica.services.rounds import export_resolutions
    from thematica.services.scope import open_db

    count = export_resolutions(open_db(options.db), name, file, study=options.study)
    emit(
        options,
        {"rows": count, "file": str(file)},
        lambda: click.echo(f"Wrote {count} disagreement(s) to {file}."),
    )
