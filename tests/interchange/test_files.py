"""Reading and writing files: errors that name the file, and never a half-written one."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import pytest

from thematica.errors import InvalidInputError
from thematica.interchange.codebook_text import read_code_list
from thematica.interchange.files import read_file, write_atomically


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    gone = tmp_path / "gone.txt"
    with pytest.raises(InvalidInputError, match=r"gone\.txt: file not found"):
        read_file(gone)
    with pytest.raises(InvalidInputError, match=r"gone\.txt: file not found"):
        read_code_list(gone)
    with pytest.raises(InvalidInputError, match="cannot read the file"):
        read_file(tmp_path)  # a folder


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_bytes(b"old")

    def half(handle: BinaryIO) -> None:
        handle.write(b"new, but")
        raise RuntimeError("stopped")

    with pytest.raises(RuntimeError):
        write_atomically(target, half)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    write_atomically(target, lambda handle: handle.write(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
