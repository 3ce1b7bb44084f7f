"""The conformance kit every transcript format passes, built in or from a plugin.

For each registered suffix, a sample interview is written in that format (by the tool that really
writes it where there is one); the reader must give canonical text, turns inside the text, in order,
not overlapping, each opening with its speaker's label and together covering every speaker's words;
and broken input must raise an error that names the file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.interchange.made_files import make_docx, make_odt, make_pdf
from thematica.domain.text import is_canonical
from thematica.errors import InvalidInputError
from thematica.interchange.formats import format_names, reader_for

SPEECH = [
    ("Interviewer", "How did you come to peer support?"),
    ("Participant", "Through my own recovery, really. My supervisor, um, she gets it."),
    ("Interviewer", "And the pay?"),
    ("Participant", "The pay is poor and the contract keeps being renewed."),
]
LINES = [f"{who}: {said}" for who, said in SPEECH]


def _cues(separator: str, header: str, numbered: bool) -> bytes:
    blocks = [header] if header else []
    for i, line in enumerate(LINES):
        start, end = f"00:00:{i * 5:02d}{separator}000", f"00:00:{i * 5 + 4:02d}{separator}500"
        blocks.append((f"{i + 1}\n" if numbered else "") + f"{start} --> {end}\n{line}")
    return ("\n\n".join(blocks) + "\n").encode()


SAMPLES: dict[str, Callable[[], bytes]] = {
    "txt": lambda: "\r\n\r\n".join(LINES).encode("utf-8-sig"),
    "md": lambda: "\n\n".join(f"**{w}:** {s}" for w, s in SPEECH).encode(),
    "docx": lambda: make_docx(LINES, bold_labels=True),
    "odt": lambda: make_odt(LINES),
    "pdf": lambda: make_pdf([LINES[:2], LINES[2:]]),
    "rtf": lambda: ("{\\rtf1\\ansi " + "\\par ".join(LINES) + "\\par}").encode(),
    "html": lambda: ("<html><body>" + "".join(f"<p>{x}</p>" for x in LINES) + "</body>").encode(),
    "vtt": lambda: _cues(".", "WEBVTT", numbered=False),
    "srt": lambda: _cues(",", "", numbered=True),
}

SUFFIXES = sorted(format_names())


def test_every_built_in_format_has_a_sample() -> None:
    assert set(format_names().values()) >= set(SAMPLES)


def _sample(suffix: str) -> bytes:
    name = format_names()[suffix]
    if name not in SAMPLES:
        pytest.skip(f"no conformance sample for plugin format {name!r} ({suffix})")
    return SAMPLES[name]()


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_text_is_canonical_and_turns_cover_the_speakers(suffix: str) -> None:
    imported = reader_for(Path(f"i{suffix}"))(_sample(suffix), f"i{suffix}")
    text = imported.text
    assert is_canonical(text) and text.endswith("\n") and text.strip()
    assert imported.source_format == format_names()[suffix]
    previous_end = 0
    for turn in imported.turns:
        assert previous_end <= turn.span.start < turn.span.end <= len(text)
        assert turn.speaker in turn.span.of(text).split("\n")[0], "a turn opens with its label"
        previous_end = turn.span.end
    assert [t.speaker for t in imported.turns] == [w for w, _ in SPEECH]
    for turn, (_, said) in zip(imported.turns, SPEECH, strict=True):
        assert " ".join(turn.span.of(text).split()).endswith(said), "the turn covers the speech"
    if imported.source_format in ("vtt", "srt"):
        assert all(t.start_seconds is not None and t.end_seconds for t in imported.turns)


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: max(1, len(data) // 3)] + b"\x00\xff\x00", id="truncated"),
        pytest.param(lambda data: b"\x00\x01\x02\x03binary\xff\xfe\x00" * 50, id="binary"),
    ],
)
def test_broken_input_is_refused_naming_the_file(
    suffix: str, damage: Callable[[bytes], bytes]
) -> None:
    name = f"folder/broken{suffix}"
    with pytest.raises(InvalidInputError) as raised:
        reader_for(Path(name))(damage(_sample(suffix)), name)
    assert raised.value.file is not None and raised.value.file.startswith(name)
    assert str(raised.value).startswith(name)
