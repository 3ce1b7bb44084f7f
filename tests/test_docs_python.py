"""docs/python.md is run as a doctest, in an empty folder."""

from __future__ import annotations

import doctest
from pathlib import Path

import pytest

from tests.conftest import REPO


def test_the_python_guide_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = doctest.testfile(
        str(REPO / "docs" / "python.md"),
        module_relative=False,
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        verbose=False,
    )
    assert result.attempted >= 15
    assert result.failed == 0
