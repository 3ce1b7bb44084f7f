"""The codebook: import, export, list, and revising it (add, rename, move, merge, split,
delete, reorder) with its history."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, literal, table


@cli.group()
def codebook() -> None:
    """The codebook: import, export, list."""


@codebook.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--path-column", metavar="HEADER", help="The column of code paths (Parent > Child).")
@click.option("--description-column", metavar="HEADER", help="The column of descriptions.")
@click.option("--colour-column", metavar="HEADER", help="The column of colours (#rrggbb).")
@common_options
@click.pass_obj
def codebook_import(
    options: Options,
    file: Path,
    path_column: str | None,
    description_column: str | None,
    colour_column: str | None,
) -> None:
    """Import codes from a REFI-QDA codebook (.qdc), QualCoder's plain-text list (.txt:
    `category>>code`, tab, memo), a CSV with a `path` column (`Theme > Code` or `Theme/Code`)
    and optional definition (or description), inclusion, exclusion, example and colour columns,
    or a spreadsheet (.xlsx, or a CSV from another tool) whose columns are found by their usual
    names (Code path, Memo, Color ...) or named with the --*-column options.
    Codes are matched by path: new ones are added, existing ones get the new descriptions."""
    from thematica.services.codebook import import_codebook
    from thematica.services.scope import open_db

    named = {"path": path_column, "definition": description_column, "colour": colour_column}
    columns = {k: v for k, v in named.items() if v}
    result = import_codebook(open_db(options.db), file, study=options.study, columns=columns)

    def human() -> None:
        click.echo(f"Codebook: {result.added} codes added, {result.updated} updated.")
        for notice in result.notices:
            click.echo(f"note: {notice}")

    emit(
        options,
        {"added": result.added, "updated": result.updated, "notices": result.notices},
        human,
    )


@codebook.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@click.pass_obj
def codebook_export(options: Options, file: Path) -> None:
    """Export the codebook as REFI-QDA .qdc, QualCoder's plain-text list (.txt) or CSV (any
    other name; the same columns import reads), by FILE's suffix."""
    from thematica.services.codebook import export_codebook
    from thematica.services.scope import open_db

    count = export_codebook(open_db(options.db), file, study=options.study)
    emit(
        options,
        {"codes": count, "file": str(file)},
        lambda: click.echo(f"Wrote {count} codes to {file}."),
    )


@codebook.command("list")
@common_options
@click.pass_obj
def codebook_list(options: Options) -> None:
    """Show the code tree with definitions."""
    from thematica.services.codebook import codebook as load
    from thematica.services.scope import open_db

    book = load(open_db(options.db), options.study)
    data = [
        {"path": book.path_text(c.id), "definition": c.definition, "colour": c.colour} for c in book
    ]
    emit(
        options,
        data,
        lambda: table(
            ["code", "definition"],
            [("  " * book.depth(c.id) + c.name, c.definition) for c in book],
            ids=1,
            cut_columns=["definition"],
        ),
    )


@codebook.command("show")
@click.argument("code")
@common_options
@click.pass_obj
def codebook_show(options: Options, code: str) -> None:
    """Show CODE (a path, or the end of one only one code has): its definition, when to use it
    (inclusion) and when not (exclusion), its example and sub-codes."""
    from thematica.services.codebook import describe_code
    from thematica.services.scope import open_db

    shown = describe_code(open_db(options.db), code, options.study)

    def human() -> None:
        literal(str(shown["path"]))
        for label, key in [
            ("Definition", "definition"),
            ("Use when", "inclusion"),
            ("Do not use when", "exclusion"),
            ("Example", "example"),
        ]:
            literal(f"  {label}: {shown[key] or '-'}")
        children = shown["children"]
        assert isinstance(children, list)
        literal(f"  Sub-codes: {', '.join(children) or '-'}")
        literal(f"  Codings: {shown['codings']}")

    emit(options, shown, human)


@codebook.command("add")
@click.argument("path")
@click.option("--definition", default="")
@click.option("--inclusion", default="")
@click.option("--exclusion", default="")
@click.option("--example", default="")
@click.option("--colour", default="", metavar="#RRGGBB")
@common_options
@click.pass_obj
def codebook_add(options: Options, /, path: str, **fields: str) -> None:
    """Add the code at PATH ('Theme > Code'); its parent must exist."""
    from thematica.services.codebook import add_code
    from thematica.services.scope import open_db

    code = add_code(
        open_db(options.db), path, study=options.study, **{k: v for k, v in fields.items() if v}
    )
    emit(options, {"code": path, "id": str(code.id)}, lambda: click.echo(f"Added {path}."))


@codebook.command("edit")
@click.argument("path")
@click.option("--name", help="A new name (rename).")
@click.option("--definition")
@click.option("--inclusion")
@click.option("--exclusion")
@click.option("--example")
@click.option("--colour", metavar="#RRGGBB")
@common_options
@click.pass_obj
def codebook_edit(options: Options, /, path: str, name: str | None, **fields: str | None) -> None:
    """Rename a code or change its definition, criteria, example or colour."""
    from thematica.services.codebook import update_code
    from thematica.services.scope import open_db

    update_code(
        open_db(options.db),
        path,
        study=options.study,
        name=name,
        **{k: v for k, v in fields.items() if v is not None},
    )
    emit(options, {"code": path, "renamed_to": name}, lambda: click.echo(f"Updated {path}."))


@codebook.command("move")
@click.argument("path")
@click.option("--to", "parent", metavar="PARENT", help="The new parent [default: top level].")
@common_options
@click.pass_obj
def codebook_move(options: Options, path: str, parent: str | None) -> None:
    """Move a code (and its sub-codes) under another code, or to the top level."""
    from thematica.services.codebook_edits import move_code
    from thematica.services.scope import open_db

    move_code(open_db(options.db), path, parent, study=options.study)
    emit(
        options,
        {"code": path, "parent": parent},
        lambda: click.echo(f"Moved {path} to {parent or 'the top level'}."),
    )


@codebook.command("merge")
@click.argument("source")
@click.argument("target")
@common_options
@click.pass_obj
def codebook_merge(options: Options, source: str, target: str) -> None:
    """Merge SOURCE into TARGET: codings follow, duplicates collapse, sub-codes move."""
    from thematica.services.codebook_edits import merge_codes
    from thematica.services.scope import open_db

    result = merge_codes(open_db(options.db), source, target, study=options.study)
    emit(
        options,
        result.__dict__,
        lambda: click.echo(
            f"Merged {source} into {target}: {result.moved} codings moved, "
            f"{result.collapsed} duplicates collapsed, "
            f"{result.children_moved} sub-codes moved."
        ),
    )


@codebook.command("split")
@click.argument("path")
@click.option("--into", required=True, metavar="NAME,NAME", help="The new codes' names.")
@click.option(
    "--assign",
    "assignments",
    multiple=True,
    metavar="CODING_ID=NAME",
    help="Move a coding to one of the new codes (repeat).",
)
@click.option(
    "--delete-original", is_flag=True, help="Remove PATH (every coding must be assigned)."
)
@common_options
@click.pass_obj
def codebook_split(
    options: Options, path: str, into: str, assignments: tuple[str, ...], delete_original: bool
) -> None:
    """Split a code into new sibling codes, choosing where each coding goes."""
    import uuid

    from thematica.domain.ids import CodingId
    from thematica.errors import InvalidInputError
    from thematica.services.codebook_edits import split_code
    from thematica.services.scope import open_db

    chosen: dict[CodingId, str] = {}
    for item in assignments:
        coding, _, name = item.partition("=")
        try:
            chosen[CodingId(uuid.UUID(coding.strip()))] = name.strip()
        except ValueError:
            raise InvalidInputError(f"--assign wants CODING_ID=NAME, not {item!r}") from None
    names = [n.strip() for n in into.split(",") if n.strip()]
    created = split_code(
        open_db(options.db),
        path,
        names,
        chosen,
        delete_original=delete_original,
        study=options.study,
    )
    emit(
        options,
        {"created": [c.name for c in created], "assigned": len(chosen)},
        lambda: click.echo(
            f"Split {path} into {', '.join(c.name for c in created)}; "
            f"{len(chosen)} coding(s) moved."
        ),
    )


@codebook.command("delete")
@click.argument("path")
@click.option("--reassign-to", metavar="PATH", help="Give its codings to this code.")
@click.option("--confirm-loss", is_flag=True, help="Delete its codings with it.")
@common_options
@click.pass_obj
def codebook_delete(
    options: Options, path: str, reassign_to: str | None, confirm_loss: bool
) -> None:
    """Delete a code; its codings are reassigned, or deleted only with --confirm-loss."""
    from thematica.services.codebook_edits import delete_code
    from thematica.services.scope import open_db

    count = delete_code(
        open_db(options.db),
        path,
        reassign_to=reassign_to,
        confirm_loss=confirm_loss,
        study=options.study,
    )
    emit(
        options,
        {"code": path, "codings": count},
        lambda: click.echo(
            f"Deleted {path}; {count} coding(s) {'reassigned' if reassign_to else 'deleted'}."
        ),
    )


@codebook.command("reorder")
@click.argument("names", nargs=-1, required=True)
@click.option("--parent", metavar="PATH", help="Whose sub-codes [default: the themes].")
@common_options
@click.pass_obj
def codebook_reorder(options: Options, names: tuple[str, ...], parent: str | None) -> None:
    """Put a code's sub-codes (or the themes) in the order given."""
    from thematica.services.codebook_edits import reorder_codes
    from thematica.services.scope import open_db

    reorder_codes(open_db(options.db), parent, list(names), study=options.study)
    emit(options, {"order": list(names)}, lambda: click.echo("Reordered."))


@codebook.command("history")
@click.option("--at", "at", type=click.DateTime(), help="Show the codebook as it was then (UTC).")
@click.option("--since", type=click.DateTime(), help="Show what changed since then (UTC).")
@common_options
@click.pass_obj
def codebook_history(options: Options, at: datetime | None, since: datetime | None) -> None:
    """The codebook's changes, the codebook at an earlier time, or a diff since a time."""
    from datetime import UTC

    from thematica.services.codebook_history import (
        codebook_as_of,
        codebook_changes,
        codebook_diff,
    )
    from thematica.services.scope import open_db

    db = open_db(options.db)
    if at is not None:
        book = codebook_as_of(db, at.replace(tzinfo=UTC), options.study)
        paths = [book.path_text(c.id) for c in book]
        emit(options, paths, lambda: click.echo("\n".join(paths) or "(no codes then)"))
        return
    if since is not None:
        diff = codebook_diff(db, since.replace(tzinfo=UTC), study=options.study)
        data: dict[str, list[Any]] = {
            "added": diff.added,
            "removed": diff.removed,
            "renamed": diff.renamed,
            "moved": diff.moved,
            "redefined": diff.redefined,
        }
        emit(
            options,
            data,
            lambda: table(
                ["change", "code"],
                [
                    (k, v if isinstance(v, str) else " -> ".join(map(str, v)))
                    for k, values in data.items()
                    for v in values
                ],
            ),
        )
        return
    changes = codebook_changes(db, options.study)
    emit(
        options,
        [c.__dict__ for c in changes],
        lambda: table(
            ["when", "who", "change", "code", "detail"],
            [
                (c.at.strftime("%Y-%m-%d %H:%M:%S"), c.actor, c.kind, c.code, c.detail)
                for c in changes
            ],
        ),
    )
