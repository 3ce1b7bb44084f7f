"""Benchmark: 100,000 codings through the service layer vs raw sqlite3 executemany.

Both write the same rows into the same schema (a fresh SQLite file each, created by Thematica's
migrations, WAL on, foreign keys on). The service path also validates every span against its
document, resolves code paths and coder names, and appends one provenance event per coding, so
it does strictly more work; the issue asks that it stay within 5x of the raw inserts.

    .venv/bin/python bench/bench_service_inserts.py [--codings N] [--repeat R]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from thematica.services.codebook import add_code
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.scope import open_db
from thematica.services.studies import create_study

CODES = [f"Theme {t} > Code {c}" for t in range(5) for c in range(4)]


def _prepare(folder: Path, name: str) -> tuple[str, str]:
    path = str(folder / f"{name}.db")
    db = open_db(path, create=True)
    create_study(db, "Bench", actor="bench")
    for t in range(5):
        add_code(db, f"Theme {t}", study="Bench", actor="bench")
    for path_ in CODES:
        add_code(db, path_, study="Bench", actor="bench")
    text = ("Participant: " + "word " * 40 + "\n\n") * 2000  # ~400,000 characters
    add_text(db, "D1", text, study="Bench", actor="bench")
    db.dispose()
    return path, text


def _requests(n: int, length: int) -> list[CodingRequest]:
    return [
        CodingRequest(
            "D1",
            (i * 37) % (length - 100),
            (i * 37) % (length - 100) + 50,
            CODES[i % len(CODES)],
            "Robin" if i % 2 else "Sam",
            valence=("barrier", "facilitator", None)[i % 3],
        )
        for i in range(n)
    ]


def service_run(folder: Path, n: int, run: int) -> float:
    path, text = _prepare(folder, f"service{run}")
    db = open_db(path)
    requests = _requests(n, len(text))
    started = time.perf_counter()
    apply_codings(db, requests, study="Bench", actor="bench")
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed


def raw_run(folder: Path, n: int, run: int) -> float:
    path, text = _prepare(folder, f"raw{run}")
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    study_id, document_id = connection.execute("SELECT study_id, id FROM documents").fetchone()
    code_ids = [
        r[0] for r in connection.execute("SELECT id FROM codes WHERE parent_id IS NOT NULL")
    ]
    coders = []
    for name in ("Robin", "Sam"):
        coder = uuid.uuid4().hex
        connection.execute(
            "INSERT INTO coders (id, study_id, name) VALUES (?, ?, ?)", (coder, study_id, name)
        )
        coders.append(coder)
    now = datetime.now(UTC).isoformat()
    length = len(text)
    rows = [
        (
            uuid.uuid4().hex,
            study_id,
            document_id,
            code_ids[i % len(code_ids)],
            coders[i % 2],
            (i * 37) % (length - 100),
            (i * 37) % (length - 100) + 50,
            now,
            "human",
            "",
            None,
            ("barrier", "facilitator", None)[i % 3],
            "",
        )
        for i in range(n)
    ]
    started = time.perf_counter()
    connection.executemany(
        "INSERT INTO codings (id, study_id, document_id, code_id, coder_id, start_offset, "
        "end_offset, created_at, origin, origin_detail, score, valence, memo) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    connection.commit()
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    service: list[float] = []
    raw: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.repeat):
            raw.append(raw_run(Path(tmp), args.codings, run))
            service.append(service_run(Path(tmp), args.codings, run))
    s, r = statistics.median(service), statistics.median(raw)
    print(f"codings: {args.codings:,}  repeats: {args.repeat}")
    print(f"raw sqlite3 executemany  median {r:.3f} s  ({args.codings / r:,.0f} codings/s)")
    print(f"service apply_codings    median {s:.3f} s  ({args.codings / s:,.0f} codings/s)")
    print(f"ratio service/raw: {s / r:.2f}x (target <= 5x)")


if __name__ == "__main__":
    main()
