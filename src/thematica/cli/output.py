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

__all__ = ["Options", "cut", "emit", "literal", "progress_bar", "table", "visible"]

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


# Control characters other than newline and tab, DEL, the C1 controls and the bidirectional
# overrides: a transcript can hold any of them, and printed raw they move the cursor, recolour
# the terminal or reverse the line. They are shown as what they are instead.
_INVISIBLE = {
    **{c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{c: f"<U+{c:04X}>" for c in range(0x80, 0xA0)},
    **{c: f"<U+{c:04X}>" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
}
_ONE_LINE = {**_INVISIBLE, 0x0A: "\u21b5", 0x09: "\u2192"}


def visible(text: str) -> str:
    """Study text with its control characters shown (``␛`` for ESC ...), newlines kept."""
    return text.translate(_INVISIBLE)


def cut(text: str, limit: int) -> str:
    """Study text on one line (``↵`` for a newline) and at most ``limit`` characters."""
    one = text.translate(_ONE_LINE)
    return one if len(one) <= limit else one[: limit - 1] + "\u2026"


def literal(text: str) -> None:
    """Print study text exactly as it is (never read as markup), control characters shown."""
    click.echo(visible(text))


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    ids: int = 0,
    cut_columns: Sequence[str] = (),
) -> None:
    """A table for people. Cells are always literal text: ``[laughs]`` in a transcript is printed
    as written, never read as Rich markup. The first ``ids`` columns hold identifiers, which are
    never wrapped or cut; the ``cut_columns`` (long text) are cut to fit instead.
    """
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Piped or redirected output is read in an editor or a log, not an 80-column terminal;
    # COLUMNS, when set, still decides.
    console = Console(
        soft_wrap=True,
        width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else _PIPE_WIDTH,
    )
    natural = sum(
        3 + max([len(h), *(len(str(r[i])) for r in rows if r[i] is not None)])
        for i, h in enumerate(headers)
    )
    out = Table(
        title=Text(title) if title else None,
        show_edge=False,
        header_style="bold",
        # Too wide: the cut column takes what the others leave, and no more.
        expand=bool(cut_columns) and natural > console.width,
    )
    for i, header in enumerate(headers):
        if i < ids:
            widest = max([len(header), *(len(str(r[i])) for r in rows if r[i] is not None)])
            out.add_column(Text(header), no_wrap=True, min_width=widest)
        elif header in cut_columns:
            out.add_column(Text(header), no_wrap=True, overflow="ellipsis", ratio=1, min_width=10)
        elif ids or cut_columns:
            out.add_column(Text(header), overflow="fold", max_width=18)  # folds at spaces
        else:
            # Only the first column (a name or a code path) wraps; figures stay on one line each,
            # so a narrow terminal folds labels rather than breaking "0.364 to 0.930" apart.
            out.add_column(Text(header), no_wrap=i > 0, overflow="fold" if i == 0 else "ellipsis")
    for row in rows:
        out.add_row(*(Text("" if v is None else cut(str(v), 10_000)) for v in row))
    console.print(out)


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
