from __future__ import annotations

import sys
from pathlib import Path

import pytest

from thematica.errors import InvalidInputError, ThematicaError
from thematica.interchange import formats
from thematica.interchange.formats import read_transcript, reader_for, supported_suffixes


def test_built_in_suffixes_are_registered() -> None:
    assert {".txt", ".md", ".docx", ".odt", ".pdf", ".rtf", ".html", ".vtt", ".srt"} <= set(
        supported_suffixes()
    )


def test_unsupported_suffix_names_the_file_and_the_choices() -> None:
    with pytest.raises(InvalidInputError, match=r"^a\.doc: unsupported file type '\.doc'.*\.docx"):
        reader_for(Path("a.doc"))


def test_size_limit_and_empty_file_are_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(b"Sam: " + b"a" * 2000)
    with pytest.raises(InvalidInputError, match="over the import limit of 1,000"):
        read_transcript(path, max_bytes=1000)
    path.write_bytes(b"")
    with pytest.raises(InvalidInputError, match="the file is empty"):
        read_transcript(path)
    with pytest.raises(InvalidInputError, match="file not found"):
        read_transcript(tmp_path / "gone.txt")


def _install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    """A real installed distribution (a dist-info folder on sys.path) declaring the entry point."""
    (tmp_path / "thematica_test_plugin.py").write_text(source, encoding="utf-8")
    info = tmp_path / "thematica_test_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: thematica-test-plugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[thematica.formats]\nshout = thematica_test_plugin:register\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "thematica_test_plugin", raising=False)
    monkeypatch.setattr(formats, "_READERS", {})
    monkeypatch.setattr(formats, "_loaded", False)


def test_a_broken_plugin_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _install_plugin(tmp_path, monkeypatch, "def register():\n    raise RuntimeError('oops')\n")
    with pytest.raises(ThematicaError, match=r"plugin 'shout' .* failed to load: RuntimeError"):
        supported_suffixes()


def test_a_plugin_registers_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _install_plugin(
        tmp_path,
        monkeypatch,
        "from thematica.interchange.formats import ImportedText, register_format\n"
        "def read(data, name):\n"
        "    return ImportedText(data.decode().upper(), (), 'shout')\n"
        "def register():\n"
        "    register_format('shout', ('.shout',), read)\n",
    )
    assert ".shout" in supported_suffixes() and ".docx" in supported_suffixes()
    assert reader_for(Path("x.shout"))(b"hi", "x.shout").text == "HI"
