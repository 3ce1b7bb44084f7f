"""Benchmark: bytes on disk per coding, with its audit event, through the service layer.

Each run writes the same codings (``--codings``, spread over 20 codes and two coders, a third
with a valence) into a fresh SQLite study through ``apply_codings``, checkpoints and vacuums, and
divides the growth of the file by the number of codings. In the same run the same codings are
written again with the event payload as it was before issue 12 (every field, empty ones
included, and the time twice), so the ratio is this change's effect on the same machine.

    .venv/bin/python bench/bench_storage.py --codings 100000
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from thematica.domain.codings import Coding
from thematica.services.codebook import add_code
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.scope import open_db
from thematica.services.studies import create_study

CODES = [f"Theme {t} > Code {c}" for t in range(5) for c in range(4)]


def _old_payload(self: Coding, *, applied: bool = False) -> dict[str, object]:
    """The coding's event payload before issue 12, for the same-run comparison."""
    return {
        "document_id": str(self.document_id),
        "code_id": str(self.code_id),
        "coder_id": str(self.coder_id),
        "span": [self.span.start, self.span.end],
        "created_at": self.created_at.isoformat(),
        "origin": self.origin.value,
        "origin_detail": self.origin_detail,
        "score": self.score,
        "valence": self.valence.value if self.valence is not None else None,
        "memo": self.memo,
        "selection_guid": str(self.selection_guid) if self.selection_guid else None,
        "selection_creator": self.selection_creator,
    }


@contextmanager
def old_payloads(on: bool) -> Iterator[None]:
    original = Coding.as_payload
    if on:
        Coding.as_payload = _old_payload  # type: ignore[method-assign]
    try:
        yield
    finally:
        Coding.as_payload = original  # type: ignore[method-assign]


def _size(path: Path) -> int:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.execute("VACUUM")
    connection.close()
    return path.stat().st_size


def run(folder: Path, n: int, label: str, *, old: bool) -> tuple[float, float]:
    path = folder / f"{label}.db"
    db = open_db(str(path), create=True)
    create_study(db, "Bench", actor="bench")
    for t in range(5):
        add_code(db, f"Theme {t}", study="Bench", actor="bench")
    for code in CODES:
        add_code(db, code, study="Bench", actor="bench")
    text = ("Participant: " + "word " * 40 + "\n\n") * 5000  # ~1,000,000 characters
    add_text(db, "D1", text, study="Bench", actor="bench")
    db.dispose()
    before = _size(path)
    length = len(text) - 100
    requests = [
        CodingRequest(
            "D1",
            (i * 37) % length,
            (i * 37) % length + 50,
            CODES[i % len(CODES)],
            "Robin" if i % 2 else "Sam",
            valence=("barrier", "facilitator", None)[i % 3],
        )
        for i in range(n)
    ]
    db = open_db(str(path))
    with old_payloads(old):
        apply_codings(db, requests, study="Bench", actor="bench")
    connection = sqlite3.connect(path)
    event_bytes = connection.execute(
        "SELECT sum(length(\"after\")) FROM events WHERE kind = 'coding.applied'"
    ).fetchone()[0]
    connection.close()
    db.dispose()
    return (_size(path) - before) / n, event_bytes / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        old_total, old_json = run(Path(folder), args.codings, "before", old=True)
        new_total, new_json = run(Path(folder), args.codings, "after", old=False)
    print(f"{args.codings:,} codings, SQLite, after VACUUM; bytes per coding")
    print("| payload | file growth | event JSON alone |")
    print("| --- | ---: | ---: |")
    print(f"| before issue 12 | {old_total:,.0f} | {old_json:,.0f} |")
    print(f"| now | {new_total:,.0f} | {new_json:,.0f} |")
    print(f"| ratio now / before | {new_total / old_total:.2f} | {new_json / old_json:.2f} |")
    print(f"MB per 1,000 codings now: {new_total * 1000 / 1e6:.2f} (Taguette, per the issue: 0.59)")


if __name__ == "__main__":
    main()
