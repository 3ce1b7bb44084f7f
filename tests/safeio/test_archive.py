"""Hostile and broken archives: a clear error, and nothing written anywhere."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.interchange.refi.builders import (
    SOURCE,
    one_source_project,
    snapshot,
    write_archive,
)
from thematica.errors import InvalidInputError
from thematica.interchange.refi import read_qdpx

TEXT = "The pay is poor and the contract keeps being renewed."


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run in a folder of our own, so that anything written to the working folder shows."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    yield work


def refused(path: Path, cwd: Path, match: str, **kwargs: object) -> InvalidInputError:
    before = snapshot(path.parent, cwd)
    with pytest.raises(InvalidInputError, match=match) as caught:
        read_qdpx(path, **kwargs)  # type: ignore[arg-type]
    assert snapshot(path.parent, cwd) == before
    return caught.value


def good_members() -> dict[str, bytes | str]:
    return {"project.qde": one_source_project(4, 7), f"sources/{SOURCE}.txt": TEXT}


def test_a_good_archive_reads(tmp_path: Path) -> None:
    project, _ = read_qdpx(write_archive(tmp_path / "ok.qdpx", good_members()))
    source = project.sources[0]
    assert source.selections[0].of(source.text) == "pay"


@pytest.mark.parametrize(
    ("member", "match"),
    [
        ("../evil.txt", "climbs out"),
        ("sources/../../evil.txt", "climbs out"),
        ("..\\evil.txt", "climbs out"),
        ("/abs.txt", "absolute path"),
        ("C:/Windows/evil.txt", "absolute path"),
    ],
)
def test_path_traversal_is_refused(tmp_path: Path, cwd: Path, member: str, match: str) -> None:
    path = write_archive(tmp_path / "evil.qdpx", {**good_members(), member: "gotcha"})
    error = refused(path, cwd, match)
    assert error.file is not None and member in error.file
    assert not (tmp_path / "evil.txt").exists()


def test_zip_bomb_over_the_total_limit_is_refused(tmp_path: Path, cwd: Path) -> None:
    members = {**good_members(), "sources/bomb.txt": b"\0" * (20 * 1024 * 1024)}
    path = write_archive(tmp_path / "bomb.qdpx", members)
    assert path.stat().st_size < 100_000  # it inflates hundreds of times
    refused(path, cwd, "zip bomb", max_total_bytes=10 * 1024 * 1024)


def test_zip_bomb_by_compression_ratio_is_refused(tmp_path: Path, cwd: Path) -> None:
    members = {**good_members(), "sources/bomb.txt": b"\0" * (5 * 1024 * 1024)}
    path = write_archive(tmp_path / "bomb.qdpx", members)
    refused(path, cwd, "inflates .* times")


def _central(data: bytes, member: str) -> int:
    """The offset of ``member``'s entry in the zip's central directory."""
    at = data.index(b"PK\x01\x02")
    while True:
        name_length, extra, comment = struct.unpack_from("<HHH", data, at + 28)
        if data[at + 46 : at + 46 + name_length] == member.encode():
            return at
        at += 46 + name_length + extra + comment


def _lie_about_size(path: Path, member: str, size: int) -> None:
    """Rewrite the uncompressed size of ``member`` in its local and central headers."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, info.header_offset + 22, size)
    struct.pack_into("<I", data, _central(bytes(data), member) + 24, size)
    path.write_bytes(bytes(data))


def test_a_lying_size_header_does_not_get_past(tmp_path: Path, cwd: Path) -> None:
    big = "word " * 200_000  # a megabyte that claims to be 100 bytes
    members = {"project.qde": one_source_project(0, 4), f"sources/{SOURCE}.txt": big}
    path = write_archive(tmp_path / "liar.qdpx", members)
    _lie_about_size(path, f"sources/{SOURCE}.txt", 100)
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo(f"sources/{SOURCE}.txt").file_size == 100
    refused(path, cwd, "damaged|more than its header")


def test_not_a_zip(tmp_path: Path, cwd: Path) -> None:
    path = tmp_path / "project.qdpx"
    path.write_text("<Project/>", encoding="utf-8")
    refused(path, cwd, "not a zip archive")


def test_empty_file(tmp_path: Path, cwd: Path) -> None:
    path = tmp_path / "empty.qdpx"
    path.write_bytes(b"")
    refused(path, cwd, "the file is empty")


def test_truncated_zip(tmp_path: Path, cwd: Path) -> None:
    path = write_archive(tmp_path / "whole.qdpx", good_members())
    cut = tmp_path / "cut.qdpx"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    refused(cut, cwd, "not a zip archive, or it is truncated")


def test_missing_file(tmp_path: Path, cwd: Path) -> None:
    refused(tmp_path / "nowhere.qdpx", cwd, "file not found")


def test_an_archive_without_a_project_file(tmp_path: Path, cwd: Path) -> None:
    path = write_archive(tmp_path / "bare.qdpx", {f"sources/{SOURCE}.txt": TEXT})
    refused(path, cwd, r"no \.qde project file")


def test_two_project_files_neither_named_project(tmp_path: Path, cwd: Path) -> None:
    qde = one_source_project(4, 7)
    members = {"a.qde": qde, "b.qde": qde, f"sources/{SOURCE}.txt": TEXT}
    refused(write_archive(tmp_path / "two.qdpx", members), cwd, "several project files")


def test_an_encrypted_member_is_refused(tmp_path: Path, cwd: Path) -> None:
    path = write_archive(tmp_path / "locked.qdpx", good_members())
    data = bytearray(path.read_bytes())
    at = _central(bytes(data), "project.qde") + 8  # the general-purpose flags
    struct.pack_into("<H", data, at, struct.unpack_from("<H", data, at)[0] | 1)
    path.write_bytes(bytes(data))
    refused(path, cwd, "encrypted")
