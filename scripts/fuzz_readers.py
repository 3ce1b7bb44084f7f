"""Coverage-guided fuzzing (atheris) of every reader of files from outside.

Bounded, never part of ``make test``::

    nice -n 19 .venv/bin/python scripts/fuzz_readers.py --runs 100000 --out /tmp/fuzz
    nice -n 19 .venv/bin/python scripts/fuzz_readers.py --seconds 600 --only txt,vtt

Each reader runs in its own process (atheris instruments one target per process). A reader may
refuse input with a :class:`~thematica.errors.ThematicaError`: that is the contract. Anything else
(a ``KeyError``, ``IndexError``, ``RecursionError`` ...) is a crash: the input is written to
``OUT/crashes/<reader>-<signature>.bin`` (one per distinct exception and place) and fuzzing goes
on. The totals land in ``OUT/totals.json``; every crash found becomes a test.

SQLite-based projects (QualCoder, Taguette) are fuzzed structurally: the fuzzer's bytes decide
which cells of a small valid project to overwrite with what (text, integers, blobs, NULL), since
flipping bytes of a database file mostly only exercises SQLite's own header check.

Needs ``pip install atheris`` (not a dependency of Thematica).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples"

TRANSCRIPT_SUFFIXES = [".txt", ".md", ".html", ".rtf", ".vtt", ".srt", ".docx", ".odt", ".pdf"]
READERS = [s[1:] for s in TRANSCRIPT_SUFFIXES] + [
    "participants-csv",
    "codebook-csv",
    "quoted-codings-csv",
    "reliability-csv",
    "responses-csv",
    "responses-xlsx",
    "code-list",
    "qdpx",
    "qdc",
    "qualcoder",
    "taguette",
]


def _seeds(reader: str, folder: Path) -> None:
    """Write a few valid inputs for ``reader`` into ``folder`` (atheris mutates from them)."""
    sys.path.insert(0, str(REPO))
    from tests.interchange import made_files

    folder.mkdir(parents=True, exist_ok=True)
    text = "Interviewer: How is it?\n\nP1: My supervisor gets it.\n\nThe pay is poor.\n"
    seeds: list[bytes] = []
    if reader in ("txt", "md"):
        seeds = [text.encode(), b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")]
    elif reader == "html":
        seeds = [b"<html><body><p>Interviewer: Hi</p><p>P1: <b>Yes</b> &amp; no</p></body></html>"]
    elif reader == "rtf":
        seeds = [rb"{\rtf1\ansi{\fonttbl\f0 Arial;}\f0 Interviewer: Hi\par P1: caf\'e9\par}"]
    elif reader in ("vtt", "srt"):
        for path in (SAMPLES / "transcripts" / "podcast_vtt_srt").glob(f"*.{reader}"):
            seeds.append(path.read_bytes()[:4000])
    elif reader == "docx":
        seeds = [made_files.make_docx(["Interviewer: Hi", "P1: Yes"], bold_labels=True)]
    elif reader == "odt":
        seeds = [made_files.make_odt(["Interviewer: Hi", "P1: Yes"])]
    elif reader == "pdf":
        seeds = [made_files.make_pdf([["Interviewer: Hi", "P1: Yes"]])]
    elif reader == "participants-csv":
        seeds = [b"participant,age,role\nP01,34,peer worker\nP02,,lead\n"]
    elif reader == "codebook-csv":
        seeds = [b"code,definition\nSupport,Help\nSupport > Peer,From peers\n"]
    elif reader == "quoted-codings-csv":
        seeds = [b"document,quote,code,coder\nT1,pay is poor,Pay,Robin\n"]
    elif reader == "reliability-csv":
        seeds = [b"unit,Ann,Bo\nu1,1,2\nu2,,2\n"]
    elif reader == "responses-csv":
        seeds = [b"id,answer\n1,Good support\n2,Poor pay\n"]
    elif reader == "responses-xlsx":
        seeds = [made_files.make_docx(["x"])]  # a zip to start from; mutations reach the xlsx path
        responses = SAMPLES / "labelled" / "patient_feedback_phase1.csv"
        if responses.exists():
            seeds.append(responses.read_bytes()[:3000])
    elif reader == "code-list":
        path = (
            SAMPLES / "transcripts" / "qualcoder_examples" / "plain_codes_categories_for_import.txt"
        )
        seeds = [path.read_bytes()] if path.exists() else [b"Support\n  Peer\nPay\n"]
    elif reader == "qdpx":
        for path in (SAMPLES / "refi-qda").glob("*.qdpx"):
            if path.stat().st_size < 2_000_000:
                seeds.append(path.read_bytes())
    elif reader == "qdc":
        seeds = [
            b'<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0" '
            b'origin="x"><Codes><Code guid="6b3ae2a0-8a58-4a36-9d5b-6f8f0c1a2b3c" name="Support" '
            b'isCodable="true"><Description>Help</Description></Code></Codes></CodeBook>'
        ]
    else:  # qualcoder, taguette: the fuzzer's bytes drive cell edits, any bytes will do
        seeds = [b"\x00" * 64, os.urandom(256)]
    for number, seed in enumerate(seeds):
        (folder / f"seed{number}").write_bytes(seed)


def _structured_database(reader: str, work: Path) -> tuple[Path, Callable[[Path], object]]:
    sys.path.insert(0, str(REPO))
    from tests.interchange.peer_databases import qualcoder_project, taguette_database

    if reader == "qualcoder":
        from thematica.interchange.qualcoder import read_qualcoder

        return qualcoder_project(work / "seed.qda") / "data.qda", read_qualcoder
    from thematica.interchange.taguette import read_taguette

    return taguette_database(work / "seed.sqlite3"), read_taguette


def _edit_database(path: Path, data: bytes) -> None:
    """Overwrite cells of the database at ``path`` as the fuzzer's bytes say."""
    import atheris

    provider = atheris.FuzzedDataProvider(data)
    connection = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        for _ in range(provider.ConsumeIntInRange(1, 8)):
            table = tables[provider.ConsumeIntInRange(0, len(tables) - 1)]
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
            column = columns[provider.ConsumeIntInRange(0, len(columns) - 1)]
            choice = provider.ConsumeIntInRange(0, 5)
            value: object
            if choice == 0:
                value = None
            elif choice == 1:
                value = provider.ConsumeIntInRange(-(2**40), 2**40)
            elif choice == 2:
                value = provider.ConsumeBytes(provider.ConsumeIntInRange(0, 64))
            elif choice == 3:
                value = provider.ConsumeFloat()
            else:
                value = provider.ConsumeUnicodeNoSurrogates(provider.ConsumeIntInRange(0, 200))
            mode = provider.ConsumeIntInRange(0, 9)
            try:
                if mode == 0:
                    connection.execute(f'DELETE FROM "{table}"')
                elif mode == 1:
                    connection.execute(f'INSERT INTO "{table}" ("{column}") VALUES (?)', (value,))
                else:
                    connection.execute(f'UPDATE "{table}" SET "{column}" = ?', (value,))
            except sqlite3.DatabaseError:
                pass
        connection.commit()
    finally:
        connection.close()


def _target(reader: str, work: Path) -> Callable[[bytes], object]:
    """A function of the fuzzer's bytes that runs ``reader`` on them."""
    from thematica.interchange import tables
    from thematica.interchange.codebook_text import read_code_list
    from thematica.interchange.formats import reader_for
    from thematica.interchange.refi.codebook import read_qdc
    from thematica.interchange.refi.reader import read_qdpx
    from thematica.interchange.reliability_csv import read_reliability_csv
    from thematica.interchange.responses import read_response_table

    if reader in ("qualcoder", "taguette"):
        seed, read = _structured_database(reader, work)
        target = work / f"fuzzed{seed.suffix}"
        original = seed.read_bytes()

        def run_database(data: bytes) -> object:
            target.write_bytes(original)
            _edit_database(target, data)
            return read(target)

        return run_database
    if f".{reader}" in TRANSCRIPT_SUFFIXES:
        transcript = reader_for(Path(f"x.{reader}"))
        return lambda data: transcript(data, f"fuzzed.{reader}")
    if reader == "codebook-csv":
        return lambda data: tables.read_codebook_csv(data=data)
    if reader == "reliability-csv":
        return lambda data: read_reliability_csv(Path("fuzzed.csv"), data=data)
    if reader.startswith("responses-"):
        name = f"fuzzed.{reader.split('-')[1]}"
        return lambda data: read_response_table(data, name, text_column="answer", id_column="id")
    by_path: dict[str, tuple[str, Callable[[Path], object]]] = {
        "participants-csv": (".csv", tables.read_participants_csv),
        "quoted-codings-csv": (".csv", tables.read_quoted_codings_csv),
        "code-list": (".txt", read_code_list),
        "qdpx": (".qdpx", read_qdpx),
        "qdc": (".qdc", read_qdc),
    }
    suffix, read_path = by_path[reader]
    file = work / f"fuzzed{suffix}"

    def run_path(data: bytes) -> object:
        file.write_bytes(data)
        return read_path(file)

    return run_path


def _signature(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "thematica" in f.filename]
    place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "outside"
    return f"{type(exc).__name__}@{place}"


def fuzz_one(reader: str, runs: int, seconds: int, out: Path) -> None:
    """Run inside the child process: fuzz ``reader``, write ``OUT/<reader>.json``."""
    import atheris

    with atheris.instrument_imports(include=["thematica"]):
        from thematica.errors import ThematicaError

        work = Path(tempfile.mkdtemp(prefix=f"fuzz-{reader}-"))
        target = _target(reader, work)
    crashes: dict[str, str] = {}
    executions = 0
    crash_dir = out / "crashes"
    crash_dir.mkdir(parents=True, exist_ok=True)

    def one_input(data: bytes) -> None:
        nonlocal executions
        executions += 1
        if executions % 500 == 0:
            report()
        try:
            target(data)
        except ThematicaError as exc:
            if "\n" in str(exc):  # the contract is one line
                _crash(data, "MultiLineError@message")
        except Exception as exc:
            _crash(data, _signature(exc))
        except RecursionError:
            _crash(data, "RecursionError")

    def _crash(data: bytes, signature: str) -> None:
        if signature not in crashes:
            name = f"{reader}-{hashlib.sha256(signature.encode()).hexdigest()[:10]}.bin"
            (crash_dir / name).write_bytes(data)
            crashes[signature] = name
            print(f"[{reader}] new crash {signature} -> {name}", flush=True)
            report()

    corpus = out / "corpus" / reader
    _seeds(reader, corpus)
    started = time.monotonic()
    args = [
        sys.argv[0],
        f"-runs={runs}",
        f"-max_total_time={seconds}",
        "-max_len=65536",
        "-rss_limit_mb=2048",
        "-timeout=20",
        str(corpus),
    ]

    def report() -> None:
        summary = {
            "reader": reader,
            "executions": executions,
            "seconds": round(time.monotonic() - started, 1),
            "crashes": crashes,
        }
        (out / f"{reader}.json").write_text(json.dumps(summary, indent=2))

    atheris.Setup(args, one_input)
    try:
        atheris.Fuzz()
    finally:
        report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50_000, help="executions per reader")
    parser.add_argument("--seconds", type=int, default=300, help="time limit per reader")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"))
    parser.add_argument("--only", help="comma-separated readers (default: all)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fuzz_one(args.child, args.runs, args.seconds, args.out)
        return
    readers = args.only.split(",") if args.only else READERS
    args.out.mkdir(parents=True, exist_ok=True)
    for reader in readers:
        command = [
            sys.executable,
            __file__,
            "--child",
            reader,
            "--runs",
            str(args.runs),
            "--seconds",
            str(args.seconds),
            "--out",
            str(args.out),
        ]
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
    totals = {}
    for reader in readers:
        path = args.out / f"{reader}.json"
        if path.exists():
            totals[reader] = json.loads(path.read_text())
    grand = sum(t["executions"] for t in totals.values())
    (args.out / "totals.json").write_text(json.dumps({"total": grand, "readers": totals}, indent=2))
    for reader, t in totals.items():
        found = len(t["crashes"])
        print(f"{reader:20} {t['executions']:>9,} runs {t['seconds']:>7}s  crashes: {found}")
    print(f"{'total':20} {grand:>9,} runs")


if __name__ == "__main__":
    main()
