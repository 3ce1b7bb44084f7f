"""Benchmark: REFI-QDA export and import against the standard library's floor.

A generated project (by default 200 sources of 8,000 words and 50,000 codings, each on its own
selection) is written with ``write_qdpx`` and read with ``read_qdpx``. The floor, measured in the
same run, does the least any exporter or importer must do with the standard library alone:

* export floor: build an XML of the same elements and attributes by plain string building and
  write it, with the same texts, into a deflated zip (``zipfile``);
* import floor: open that zip, inflate every member, parse the XML with ``xml.etree`` (the C
  parser), visit every element and read the selections' positions, and decode the texts.

Thematica does more on both sides: it checks every GUID, value and reference and escapes every
name on export; on import it refuses unsafe XML and zip bombs, checks every reference, decides the
position unit, canonicalises each text and remaps every position, and builds the model.

    .venv/bin/python bench/bench_refi.py [--sources N] [--words N] [--codings N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from thematica.interchange.refi import (
    RefiCode,
    RefiCoding,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    read_qdpx,
    write_qdpx,
)

WORDS = [
    "the",
    "peer",
    "support",
    "worker",
    "said",
    "that",
    "supervision",
    "helped",
    "when",
    "pay",
    "was",
    "poor",
    "and",
    "contracts",
    "were",
    "short",
    "but",
    "the",
    "team",
    "understood",
    "lived",
    "experience",
    "recovery",
    "café",
    "naïve",
    "role",
    "training",
    "manager",
    "service",
    "user",
    "trust",
    "stigma",
    "boundaries",
    "burnout",
    "hope",
]


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def generate(n_sources: int, n_words: int, n_codings: int, seed: int = 7) -> RefiProject:
    rng = random.Random(seed)
    users = tuple(RefiUser(_guid(rng), f"Coder {i}") for i in range(3))
    themes = []
    for t in range(8):
        children = tuple(RefiCode(_guid(rng), f"Code {t}.{c}", "#336699") for c in range(5))
        themes.append(RefiCode(_guid(rng), f"Theme {t}", "#993366", f"Theme {t}", True, children))
    leaves = [c for theme in themes for c in theme.children]
    when = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
    per_source = n_codings // n_sources
    sources = []
    for s in range(n_sources):
        lines = []
        for start in range(0, n_words, 12):
            lines.append(" ".join(rng.choice(WORDS) for _ in range(min(12, n_words - start))))
        text = "\n".join(lines) + "\n"
        selections = []
        for _ in range(per_source):
            start = rng.randrange(0, len(text) - 200)
            end = start + rng.randrange(20, 200)
            user = rng.choice(users).guid
            coding = RefiCoding(_guid(rng), rng.choice(leaves).guid, user, when)
            selections.append(RefiSelection(_guid(rng), "", start, end, user, when, (coding,)))
        sources.append(
            RefiSource(_guid(rng), f"Interview {s:03d}", text, tuple(selections), users[0].guid)
        )
    return RefiProject("Bench", users=users, codes=tuple(themes), sources=tuple(sources))


def floor_export(project: RefiProject, path: Path) -> None:
    """The same elements and attributes by plain string building, and the texts, into a zip."""
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" '
        f'name="{project.name}" origin="floor"><Users>'
    ]
    parts += [f'<User guid="{u.guid}" name="{u.name}"/>' for u in project.users]
    parts.append("</Users><CodeBook><Codes>")
    for theme in project.codes:
        parts.append(
            f'<Code guid="{theme.guid}" name="{theme.name}" isCodable="true" '
            f'color="{theme.color}"><Description>{theme.description}</Description>'
        )
        parts += [
            f'<Code guid="{c.guid}" name="{c.name}" isCodable="true" color="{c.color}"/>'
            for c in theme.children
        ]
        parts.append("</Code>")
    parts.append("</Codes></CodeBook><Sources>")
    for s in project.sources:
        parts.append(
            f'<TextSource guid="{s.guid}" name="{s.name}" '
            f'plainTextPath="internal://{s.guid}.txt" creatingUser="{s.creating_user}">'
        )
        for x in s.selections:
            c = x.codings[0]
            parts.append(
                f'<PlainTextSelection guid="{x.guid}" startPosition="{x.start}" '
                f'endPosition="{x.end}" creatingUser="{x.creating_user}" '
                f'creationDateTime="2025-03-01T09:30:00Z"><Coding guid="{c.guid}" '
                f'creatingUser="{c.creating_user}" creationDateTime="2025-03-01T09:30:00Z">'
                f'<CodeRef targetGUID="{c.code_guid}"/></Coding></PlainTextSelection>\n'
            )
        parts.append("</TextSource>\n")
    parts.append("</Sources></Project>\n")
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", "".join(parts).encode("utf-8"))
        for s in project.sources:
            zf.writestr(f"sources/{s.guid}.txt", s.text.encode("utf-8"))


def floor_import(path: Path) -> int:
    """Inflate everything, parse the XML, visit every element, read positions, decode texts."""
    total = 0
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("project.qde"))
        for el in root.iter():
            start = el.get("startPosition")
            if start is not None:
                total += int(el.get("endPosition") or 0) - int(start)
        for name in zf.namelist():
            if name.endswith(".txt"):
                total += len(zf.read(name).decode("utf-8"))
    return total


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    project = generate(args.sources, args.words, args.codings)
    counts = project.counts()
    chars = sum(len(s.text) for s in project.sources)
    print(
        f"project: {counts['sources']} sources, {chars:,} characters, "
        f"{counts['selections']:,} selections, {counts['codings']:,} codings, "
        f"{counts['codes']} codes"
    )
    times: dict[str, list[float]] = {
        k: [] for k in ("floor export", "write_qdpx", "floor import", "read_qdpx")
    }
    with tempfile.TemporaryDirectory() as folder:
        ours, floor = Path(folder) / "ours.qdpx", Path(folder) / "floor.qdpx"
        for _ in range(args.repeat):  # interleaved, so drift in a noisy machine hits both
            times["floor export"].append(_time(lambda: floor_export(project, floor)))
            times["write_qdpx"].append(_time(lambda: write_qdpx(project, ours)))
            times["floor import"].append(_time(lambda: floor_import(ours)))
            times["read_qdpx"].append(_time(lambda: read_qdpx(ours)))
        again, report = read_qdpx(ours)
        assert again.counts() == counts and report.complete
        sizes = (ours.stat().st_size, floor.stat().st_size)
    median = {k: statistics.median(v) for k, v in times.items()}
    print(f"archive: {sizes[0]:,} bytes (floor's: {sizes[1]:,}); median of {args.repeat} runs")
    print("| step | thematica (s) | floor (s) | ratio | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for step, ours_key, floor_key, target in (
        ("export", "write_qdpx", "floor export", 3),
        ("import", "read_qdpx", "floor import", 5),
    ):
        ratio = median[ours_key] / median[floor_key]
        print(
            f"| {step} | {median[ours_key]:.3f} | {median[floor_key]:.3f} | "
            f"{ratio:.2f}x | <= {target}x |"
        )


if __name__ == "__main__":
    main()
