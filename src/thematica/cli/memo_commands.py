"""Memos: thematica memo add | list | show (a bare ``memo TEXT`` still adds one)."""

from __future__ import annotations

from typing import Any

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, table
from thematica.domain import vocab

_KINDS = list(vocab.MEMO_TARGETS)


class _MemoGroup(click.Group):
    """``memo add``, ``memo list`` and ``memo show``; ``memo TEXT ...`` (no subcommand) is
    ``memo add TEXT ...``, as before the group existed. A memo whose text is "list" or "show"
    is written with ``memo add``."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["add", *args]
        return super().resolve_command(ctx, args)


@cli.group(cls=_MemoGroup)
def memo() -> None:
    """Memos: the project journal (on the study) and notes on documents, codes and codings."""


@memo.command("add")
@click.argument("text")
@click.option("--author", required=True, metavar="NAME")
@click.option(
    "--on",
    "on",
    type=click.Choice(_KINDS),
    default="study",
    show_default=True,
    help="What the memo is about.",
)
@click.option("--target", metavar="NAME|PATH|ID", help="The document name, code path or coding id.")
@click.option("--title", default="")
@click.option(
    "--new-author",
    is_flag=True,
    help="The author is someone new whose name is close to a known person's (not a typo).",
)
@common_options
@click.pass_obj
def memo_add(
    options: Options,
    text: str,
    author: str,
    on: str,
    target: str | None,
    title: str,
    new_author: bool,
) -> None:
    """Write a memo: the project journal (on the study) or a note on a document, code or coding."""
    from thematica.services.memos import write_memo
    from thematica.services.scope import open_db

    written = write_memo(
        open_db(options.db),
        text,
        author=author,
        on=on,
        target=target,
        title=title,
        new_author=new_author,
        study=options.study,
    )
    emit(
        options,
        {"memo_id": str(written.id), "on": on, "target": target},
        lambda: click.echo(
            f"Memo {str(written.id)[:8]} saved ({on}{' ' + target if target else ''})."
        ),
    )


def _as_data(view: Any) -> dict[str, Any]:
    return {
        "id": view.id,
        "title": view.title,
        "text": view.text,
        "author": view.author,
        "on": view.on,
        "target": view.target,
        "created_at": view.created_at.isoformat(),
    }


@memo.command("list")
@click.option("--author", metavar="NAME", help="Only memos by this author.")
@click.option("--on", "on", type=click.Choice(_KINDS), help="Only memos on this kind of thing.")
@click.option(
    "--target", metavar="NAME|PATH|ID", help="Only memos on this document, code or coding."
)
@common_options
@click.pass_obj
def memo_list(options: Options, author: str | None, on: str | None, target: str | None) -> None:
    """List memos, oldest first: id (its first 8 characters), when, author, about, title."""
    from thematica.services.memos import read_memos
    from thematica.services.scope import open_db

    views = read_memos(open_db(options.db), options.study, author=author, on=on, target=target)
    emit(
        options,
        [_as_data(view) for view in views],
        lambda: (
            table(
                ["id", "written", "author", "about", "memo"],
                [
                    (
                        view.id[:8],
                        f"{view.created_at:%Y-%m-%d %H:%M}",
                        view.author,
                        view.about,
                        (view.title or view.text.splitlines()[0])[:60],
                    )
                    for view in views
                ],
            )
            if views
            else click.echo("No memos.")
        ),
    )


@memo.command("show")
@click.argument("memo_id", metavar="ID")
@common_options
@click.pass_obj
def memo_show(options: Options, memo_id: str) -> None:
    """Print one memo in full (ID: its id, or the start of it that `memo list` shows)."""
    from thematica.services.memos import show_memo
    from thematica.services.scope import open_db

    view = show_memo(open_db(options.db), memo_id, options.study)

    def human() -> None:
        click.echo(f"{view.title or 'Memo'} ({view.id})")
        click.echo(f"by {view.author}, {view.created_at:%Y-%m-%d %H:%M} UTC, on {view.about}")
        click.echo("")
        click.echo(view.text)

    emit(options, _as_data(view), human)
