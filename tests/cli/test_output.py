"""Printing for people (cli.output): literal study text, visible control characters, tables that
keep ids whole, and progress bars only on a terminal."""

from __future__ import annotations

import io
import sys

import pytest

from thematica.cli.output import Options, cut, progress_bar, table, visible


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_control_characters_and_direction_overrides_are_shown_not_obeyed() -> None:
    assert visible("a\x1b[31mred\x07\tb\nc") == "a␛[31mred␇\tb\nc"
    assert visible("name\u202egnp.exe") == "name<U+202E>gnp.exe"
    assert cut("one\ntwo\tthree", 100) == "one↵two→three"
    assert cut("x" * 20, 10) == "x" * 9 + "…"


def test_table_cells_and_titles_are_never_markup(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    table(
        ["id", "text"],
        [("abc123", "[laughs] [/crosstalk] [link=https://example.org]x[/link] [bold]y")],
        title="[red]Study[/red]",
        ids=1,
        cut_columns=["text"],
    )
    out = capsys.readouterr().out
    assert "[laughs] [/crosstalk] [link=https://example.org]x[/link] [bold]y" in out
    assert "[red]Study[/red]" in out


def test_a_progress_bar_only_on_an_interactive_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    piped = io.StringIO()
    monkeypatch.setattr(sys, "stderr", piped)
    with progress_bar(Options(), "Importing") as progress:
        progress(1, 2, "one")
    assert piped.getvalue() == ""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with progress_bar(Options(json=True), "Importing") as progress:
        progress(1, 2, "one")
    assert terminal.getvalue() == ""  # --json stays quiet even on a terminal
    with progress_bar(Options(), "Importing") as progress:
        progress(1, 2, "one")
    assert "Importing" in terminal.getvalue()


def test_markup_in_study_text_prints_literally(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    # "[/crosstalk]" alone made Rich raise a MarkupError; "[bold]" would have vanished.
    table(
        ["[item]", "text"],
        [["a1b2c3d4", "[/crosstalk] yes [laughs] and [bold]Leeds[/bold]"]],
        title="[/title]",
    )
    out = capsys.readouterr().out
    assert "[/crosstalk] yes [laughs] and [bold]Leeds[/bold]" in out
    assert "[item]" in out and "[/title]" in out
