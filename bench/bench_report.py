"""Benchmark: the study report (every format) for 60 participants, 100 codes, 20,000 codings.

The study is generated through the service layer into a temporary SQLite file: 60 participants
with four attributes, one transcript each (speaker turns), 20 themes of 4 sub-codes each (100
codes), 20,000 codings by two coders with valences (the second coder double-codes six
transcripts, so the report measures agreement), and a framework summary per participant.

Timed: ``services.report.write_report`` with every format (HTML, DOCX, XLSX, CSV), which reads
the study in one unit of work, runs every analysis, measures agreement (with its bootstrap) and
renders. Baseline, in the same run: a plain ``sqlite3`` SELECT of every coded segment joined to
its document, code and coder, slicing each passage out of its text in Python (the least any
report must do). The issue asks for the report in under 10 s.

    .venv/bin/python bench/bench_report.py [--codings N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from thematica.services.codebook import add_code
from thematica.services.coding import CodingRequest, apply_codings
from thematica.services.documents import add_text
from thematica.services.participants import add_participant
from thematica.services.report import FORMATS, gather_report, write_report
from thematica.services.scope import open_db
from thematica.services.studies import create_study
from thematica.services.study_record import write_summary

STUDY = "Bench report"
PARTICIPANTS = 60
THEMES, SUBCODES = 20, 4
TURNS = 120
WORDS = [
    "peer",
    "support",
    "supervision",
    "team",
    "pay",
    "contract",
    "training",
    "role",
    "boundary",
    "flexible",
]


def _transcript(rng: random.Random) -> str:
    turns = []
    for i in range(TURNS):
        speaker = "Interviewer" if i % 2 == 0 else "Participant"
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 60)))
        turns.append(f"{speaker}: {words}.")
    return "\n\n".join(turns) + "\n"


def build(path: str, codings: int) -> None:
    rng = random.Random(6)
    db = open_db(path, create=True)
    create_study(db, STUDY, template="blank", actor="bench")
    codes = []
    for t in range(THEMES):
        add_code(db, f"Theme {t:02d}", study=STUDY, actor="bench", definition=f"Theme {t}.")
        codes.append(f"Theme {t:02d}")
        for c in range(SUBCODES):
            path_ = f"Theme {t:02d} > Code {c}"
            add_code(db, path_, study=STUDY, actor="bench", definition=f"Sub-code {c} of {t}.")
            codes.append(path_)
    texts = {}
    for p in range(PARTICIPANTS):
        label = f"P{p + 1:02d}"
        add_participant(
            db,
            label,
            study=STUDY,
            pseudonym=f"Person {p + 1}",
            attributes={
                "setting": rng.choice(["NHS", "VCFSE"]),
                "age_band": rng.choice(["18-24", "25-34", "35-44", "45-54", "55-64"]),
                "contract": rng.sample(["Permanent", "Fixed term", "Self-employed"], k=1 + p % 2),
                "peer_role": rng.choice(["Peer worker", "Senior peer role"]),
            },
            actor="bench",
        )
        texts[label] = _transcript(rng)
        add_text(db, label, texts[label], study=STUDY, participant=label, actor="bench")
    double = {f"P{p + 1:02d}" for p in range(0, 12, 2)}
    requests = []
    for i in range(codings):
        document = f"P{i % PARTICIPANTS + 1:02d}"
        text = texts[document]
        start = rng.randrange(0, len(text) - 400)
        end = start + rng.randint(40, 380)
        coder = "Sam" if document in double and i % 5 == 0 else "Robin"
        requests.append(
            CodingRequest(
                document,
                start,
                end,
                codes[rng.randrange(len(codes))],
                coder,
                rng.choice(["barrier", "facilitator", "mixed", None]),
            )
        )
    apply_codings(db, requests, study=STUDY, actor="bench")
    for p in range(PARTICIPANTS):
        write_summary(
            db,
            f"P{p + 1:02d}",
            codes[p % len(codes)],
            "A charted summary.",
            author="Robin",
            study=STUDY,
        )
    db.dispose()


def baseline(path: str) -> float:
    started = time.perf_counter()
    connection = sqlite3.connect(path)
    texts = dict(connection.execute("SELECT id, text FROM documents"))
    rows = connection.execute(
        "SELECT codings.document_id, codings.start_offset, codings.end_offset, codes.name, "
        "coders.name, codings.valence FROM codings "
        "JOIN codes ON codes.id = codings.code_id JOIN coders ON coders.id = codings.coder_id"
    ).fetchall()
    passages = [texts[document][start:end] for document, start, end, *_ in rows]
    connection.close()
    elapsed = time.perf_counter() - started
    assert len(passages) == len(rows)
    return elapsed


def report(path: str, out: Path) -> tuple[float, float]:
    db = open_db(path)
    started = time.perf_counter()
    gather_report(db)
    gathered = time.perf_counter() - started
    started = time.perf_counter()
    write_report(db, out, list(FORMATS))
    elapsed = time.perf_counter() - started
    db.dispose()
    return elapsed, gathered


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "bench.db")
        started = time.perf_counter()
        build(path, args.codings)
        print(f"built the study in {time.perf_counter() - started:.1f} s")
        base, full, gather = [], [], []
        for run in range(args.repeat):
            base.append(baseline(path))
            elapsed, gathered = report(path, Path(tmp) / f"out{run}")
            full.append(elapsed)
            gather.append(gathered)
        sizes = {p.name: p.stat().st_size for p in (Path(tmp) / "out0").iterdir()}
    b, r, g = statistics.median(base), statistics.median(full), statistics.median(gather)
    print(
        f"participants: {PARTICIPANTS}  codes: {THEMES * (SUBCODES + 1)}  "
        f"codings: {args.codings:,}  repeats: {args.repeat}"
    )
    print(f"baseline sqlite3 SELECT of coded segments  median {b:.3f} s")
    print(f"gather_report (read + analyses + agreement) median {g:.3f} s")
    print(f"write_report, every format                 median {r:.3f} s (target < 10 s)")
    print(f"ratio report/baseline: {r / b:.1f}x")
    print(
        "files: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sorted(sizes.items()))
    )


if __name__ == "__main__":
    main()
