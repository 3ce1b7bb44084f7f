"""Printing for people and for scripts, progress bars, and turning errors into exit codes."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click

__all__ = ["Options", "emit", "progress_bar", "table"]

_PIPE_WIDTH = 160


@dataclass
class Options:
    """Global options, settable before or after the command name."""

    db: str | None = None
    study: str | None = None
    json: bool = False


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def emit(options: Options, data: Any, human: Callable[[], None]) -> None:
    """Print ``data`` as JSON with ``--json``, otherwise call ``human`` to print for people."""
    if options.json:
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=_default))
    else:
        human()


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, title: str | None = None
) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = Table(title=None if title is None else Text(title), show_edge=False, header_style="bold")
    # Only the first column (a name or a code path) wraps; figures stay on one line each, so a
    # narrow terminal folds labels rather than breaking "0.364 to 0.930" over three lines.
    for i, header in enumerate(headers):
        out.add_column(Text(header), no_wrap=i > 0, overflow="fold" if i == 0 else "ellipsis")
    for row in rows:
        # Text, never markup: a transcript's "[/crosstalk]" or "[laughs]" prints as written.
        out.add_row(*(Text("" if v is None else str(v)) for v in row))
    # Piped or redirected output is read in an editor or a log, not an 80-column terminal;
    # COLUMNS, when set, still decides.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else _PIPE_WIDTH
    Console(soft_wrap=True, width=width).print(out)


@contextmanager
def progress_bar(options: Options, description: str) -> Iterator[Callable[[int, int, str], None]]:
    """A progress callback for services: a rich bar on an interactive stderr, silent otherwise."""
    if options.json or not sys.stderr.isatty():
        yield lambda done, total, label: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[label]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(description, total=None, label="")

        def update(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, label=label)

        yield update
