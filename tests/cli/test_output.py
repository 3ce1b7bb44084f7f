"""Tables print study text as written: Rich markup in a transcript is never interpreted."""

from __future__ import annotations

import pytest

from thematica.cli.output import table


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
