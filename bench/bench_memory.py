"""Benchmark: peak memory of reading a transcript, per format, against the file's size.

Issue 9's target: peak memory at most 10x the file's size for any transcript format (before it,
a 13.6 MB transcript of 2 million short turns took 3.4 GB and 62 s). Each format gets a generated
transcript of many short turns (the worst case: the cost per turn dominates), written by the tool
that really writes it where there is one. Every measurement runs in a fresh subprocess:

* baseline: the file's bytes read and decoded (``read_bytes().decode()``, or python-docx's
  paragraphs for ``.docx``), the least any reader must hold;
* thematica: ``interchange.formats.read_transcript`` (size check, read, decode, canonical text,
  speaker turns), or the utterance-table reader for a ``.csv`` transcript;
* service (txt only): the whole ``thematica import`` into a fresh SQLite file.

Peak memory is the process's resident peak (``VmHWM``, reset through ``/proc/self/clear_refs``
once the libraries are imported and the study created) less what was resident then: everything
the step allocated, SQLite's own memory included. The ratio that matters is peak / file size
(for ``.docx``, the XML it inflates to). Times are one run each, in the same subprocess; ratio =
thematica / baseline. Linux only (``/proc``).

    .venv/bin/python bench/bench_memory.py             # 2 million turns for .txt; prints a table
    .venv/bin/python bench/bench_memory.py --turns 200000 --quick   # smaller, under a minute
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

_MEASURE = r"""
import json, sys, time
from pathlib import Path
path, how = Path(sys.argv[1]), sys.argv[2]
from thematica.interchange.formats import read_transcript
from thematica.interchange.utterances import UtteranceColumns, read_utterance_table
from thematica.safeio.files import read_file
import docx
from thematica.services.documents import import_files
from thematica.services.scope import open_db
from thematica.services.studies import create_study
if how == "service":
    db = open_db(str(path.with_suffix(".db")), create=True)
    create_study(db, "Memory")
import gc
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
gc.collect()
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # resets the peak (VmHWM) to the memory in use now
before = status("VmRSS")
def peak():
    return status("VmHWM")
start = time.perf_counter()
if how == "baseline":
    if path.suffix == ".docx":
        kept = [p.text for p in docx.Document(str(path)).paragraphs]
    else:
        kept = path.read_bytes().decode("utf-8", "replace")
elif how == "thematica":
    if path.suffix == ".csv":
        kept = read_utterance_table(read_file(path, max_bytes=10**9), str(path),
                                    UtteranceColumns("speaker", "text"))
    else:
        kept = read_transcript(path, max_bytes=10**9)
else:
    kept = import_files(db, [path], keep_originals=False, max_bytes=10**9)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak": peak() - before}))
"""


def _lines(turns: int) -> list[str]:
    # Seven bytes a turn on average, as in the 13.6 MB transcript of 2 million turns.
    return [("I: ok?" if i % 2 == 0 else "P: yes.") for i in range(turns)]


def _write(folder: Path, suffix: str, turns: int) -> Path:
    path = folder / f"memory{suffix}"
    lines = _lines(turns)
    if suffix in (".txt", ".md"):
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif suffix == ".docx":
        import docx

        document = docx.Document()
        # Numbered, so that the XML does not compress like a zip bomb (refused past 200 times).
        for i, line in enumerate(lines):
            document.add_paragraph(f"{line} {i * 7919 % 100003}")
        document.save(str(path))
    elif suffix == ".rtf":
        body = "\\par ".join(lines)
        path.write_text("{\\rtf1\\ansi " + body + "\\par}", encoding="latin-1")
    elif suffix == ".html":
        path.write_text("<html><body>" + "".join(f"<p>{x}</p>" for x in lines) + "</body>")
    elif suffix == ".vtt":
        cues = [
            f"00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> 00:{i // 60 % 60:02d}:{i % 60:02d}.500"
            f"\n{line}"
            for i, line in enumerate(lines)
        ]
        path.write_text("WEBVTT\n\n" + "\n\n".join(cues) + "\n", encoding="utf-8")
    elif suffix == ".csv":
        rows = ["speaker,text"] + [line.replace(": ", ",", 1) for line in lines]
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _measure(path: Path, how: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), how],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{how} failed on {path.name}:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--turns", type=int, default=2_000_000, help="turns in the .txt file")
    parser.add_argument(
        "--quick", action="store_true", help="skip the service import (the slowest step)"
    )
    parser.add_argument(
        "--formats", default="", help="only these suffixes, comma-separated (.txt,.docx)"
    )
    args = parser.parse_args()
    # Other formats get fewer turns, to stay within two minutes (python-docx writes 50,000
    # paragraphs in about 20 s).
    plan = (
        [(".txt", args.turns)]
        + [(s, args.turns // 10) for s in (".md", ".rtf", ".html", ".vtt", ".csv")]
        + [(".docx", args.turns // 40)]
    )
    if args.formats:
        plan = [(suffix, n) for suffix, n in plan if suffix in args.formats.split(",")]
    print(
        "| file | size MB (docx: inflated) | turns | baseline peak MB | thematica peak MB "
        "| peak / size | baseline s | thematica s | × baseline |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        for suffix, turns in plan:
            path = _write(Path(folder), suffix, turns)
            size = path.stat().st_size
            if suffix == ".docx":  # compressed: the XML it inflates to is what is read
                import zipfile

                with zipfile.ZipFile(path) as archive:
                    size = sum(info.file_size for info in archive.infolist())
            base = _measure(path, "baseline")
            ours = _measure(path, "thematica")
            print(
                f"| {suffix} | {size / 1e6:.1f} | {turns:,} | {base['peak'] / 1e6:.0f} "
                f"| {ours['peak'] / 1e6:.0f} | {ours['peak'] / size:.1f} "
                f"| {base['seconds']:.2f} | {ours['seconds']:.2f} "
                f"| {ours['seconds'] / max(base['seconds'], 1e-9):.1f} |",
                flush=True,
            )
            if suffix == ".txt" and not args.quick:
                whole = _measure(path, "service")
                print(
                    f"| .txt, whole import into SQLite | {size / 1e6:.1f} | {turns:,} | "
                    f"{base['peak'] / 1e6:.0f} | {whole['peak'] / 1e6:.0f} "
                    f"| {whole['peak'] / size:.1f} | {base['seconds']:.2f} "
                    f"| {whole['seconds']:.2f} | {whole['seconds'] / base['seconds']:.0f} |",
                    flush=True,
                )


if __name__ == "__main__":
    main()
