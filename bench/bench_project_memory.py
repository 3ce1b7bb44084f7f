"""Benchmark: peak memory of project import against the file's size, and a hostile archive.

Peak memory is what ``tracemalloc`` sees (Python allocations: inflated members, decoded texts,
the parsed XML is partly outside it, so the figure is a floor for lxml's share). Three cases:

* the real NVivo 12 sample in ``../shared/samples`` (``--sample``), read by ``read_qdpx``, against
  a baseline in the same run: ``zipfile`` inflating every member and decoding the texts (the
  least any importer holds);
* the same project as NVivo for Windows writes it (BOM, CRLF), built here;
* a fictional hostile archive of about 3 MB whose one text member declares ~400 MB (it compresses
  about 150 times, under the zip-bomb ratio): refused by the per-source limit before inflation.

    .venv/bin/python bench/bench_project_memory.py [--sample PATH] [--repeat R]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from functools import partial
from pathlib import Path

from thematica.errors import InvalidInputError
from thematica.interchange.formats import DEFAULT_MAX_BYTES
from thematica.interchange.refi import read_qdpx

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared/samples/refi-qda"
NVIVO = SAMPLE / "nvivo12mac_OltasSzkepticizmus_17June.qdpx"


def peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return top


def inflate_all(path: Path) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    _ = [d.decode("utf-8", errors="replace") for n, d in members.items() if n.endswith(".txt")]


def windows_variant(sample: Path, out: Path) -> Path:
    with zipfile.ZipFile(sample) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        for name in zf.namelist():
            data = zf.read(name)
            if name.endswith(".txt"):
                data = ("\ufeff" + data.decode("utf-8").replace("\n", "\r\n")).encode("utf-8")
            w.writestr(name, data)
    return out


def hostile(out: Path, megabytes: int = 400) -> Path:
    """A project whose one source inflates to ``megabytes`` (fictional filler text)."""
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
        'name="Big" origin="Hand"><Sources><TextSource '
        'guid="00000000-0000-4000-8000-000000000001" name="T" '
        'plainTextPath="internal://big.txt"/></Sources></Project>'
    )
    line = "Participant: the rota changed again and nobody told us about it. " * 15
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", qde)
        with zf.open("sources/big.txt", "w", force_zip64=True) as handle:
            for i in range(megabytes * 1024 * 1024 // (len(line) + 8)):
                handle.write(f"{i:07d} {line}".encode())
    return out


def refused(path: Path) -> None:
    try:
        read_qdpx(path, max_source_bytes=DEFAULT_MAX_BYTES)
    except InvalidInputError:
        return
    raise AssertionError("the hostile archive was not refused")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=NVIVO)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        windows = windows_variant(args.sample, Path(tmp) / "windows.qdpx")
        bad = hostile(Path(tmp) / "hostile.qdpx")
        cases = [
            ("NVivo 12 Mac sample", args.sample, lambda p: read_qdpx(p), inflate_all),
            (
                "same, as NVivo for Windows (BOM, CRLF)",
                windows,
                lambda p: read_qdpx(p),
                inflate_all,
            ),
            ("hostile: ~400 MB source in a small archive", bad, refused, None),
        ]
        print(
            "| case | file (MB) | declared (MB) | peak thematica (MB) | peak baseline (MB) "
            "| thematica / file | thematica / baseline |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for label, path, ours, floor in cases:
            size = path.stat().st_size
            with zipfile.ZipFile(path) as zf:
                declared = sum(i.file_size for i in zf.infolist())
            mine = statistics.median(peak(partial(ours, path)) for _ in range(args.repeat))
            base = (
                statistics.median(peak(partial(floor, path)) for _ in range(args.repeat))
                if floor
                else None
            )
            mb = 1024 * 1024
            print(
                f"| {label} | {size / mb:.1f} | {declared / mb:.1f} | {mine / mb:.1f} | "
                f"{'-' if base is None else f'{base / mb:.1f}'} | {mine / size:.1f}x | "
                f"{'-' if base is None else f'{mine / base:.2f}x'} |"
            )


if __name__ == "__main__":
    main()
