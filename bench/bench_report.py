"""Benchmark: the study report (every format) for 60 participants, 100 codes, N codings.

The study is generated through the service layer into a temporary SQLite file: 60 participants
with four attributes, one transcript each (speaker turns), 20 themes of 4 sub-codes each (100
codes), 20,000 codings by two coders with valences (the second coder double-codes six
transcripts, so the report measures agreement), and a framework summary per participant.

Timed: ``services.report.write_report`` with every format (HTML, DOCX, XLSX, CSV), which reads
the study in one unit of work, runs every analysis, measures agreement (with its bootstrap) and
renders. Baseline, in the same run: a plain ``sqlite3`` SELECT of every coded segment joined to
its document, code and coder, slicing each passage out of its text in Python (the least any
report must do). Each format is also timed on its own (gather + that format), and the whole
report runs in a fresh process so its peak memory (resident set) is the report's alone. Several
sizes (``--codings 100000,500000``) show whether the time grows linearly with the codings: the
time per 1,000 codings is printed for each. The target (issue 10): every format of a
500,000-coding report in under 20 s.

    .venv/bin/python bench/bench_report.py [--codings N[,N...]] [--repeat R] [--keep DIR]

``--keep DIR`` keeps the generated studies in DIR and reuses them on the next run (building
500,000 codings takes a minute or two; the build is not timed).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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
        # Sam codes every fifth passage of the double-coded transcripts, so agreement is measured.
        coder = "Sam" if document in double and (i // PARTICIPANTS) % 5 == 0 else "Robin"
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


def measure(path: str, out: Path) -> dict[str, float]:
    """One run, in this process: gather, each format on its own, then every format together,
    each as wall-clock and as CPU seconds (this process's, which a shared machine's load does
    not inflate); and the peak resident memory (so run it in a fresh process)."""
    db = open_db(path)
    times: dict[str, float] = {}

    def timed(key: str, step: Callable[[], object], before: tuple[float, float] = (0, 0)) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        step()
        times[key] = before[0] + time.perf_counter() - wall
        times[f"{key}_cpu"] = before[1] + time.process_time() - cpu

    held: list[object] = []
    timed("gather", lambda: held.append(gather_report(db)))
    for name, spec in FORMATS.items():
        gathered = (times["gather"], times["gather_cpu"])
        timed(name, lambda spec=spec: spec.write(held[0], out / spec.filename), gathered)
    held.clear()  # the next step gathers its own
    timed("all", lambda: write_report(db, out, list(FORMATS)))
    db.dispose()
    times["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    times["bytes"] = sum(p.stat().st_size for p in out.iterdir())
    return times


def _child(path: str, out: Path) -> dict[str, float]:
    """``measure`` in a fresh interpreter, so its peak memory is the report's own."""
    out.mkdir(parents=True, exist_ok=True)
    found = subprocess.run(
        [sys.executable, __file__, "--measure", path, str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(found.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codings", default="20000", help="one size, or several: 1e5,5e5")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep (and reuse) the generated studies here")
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    sizes = [int(float(n)) for n in args.codings.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        per_thousand = {}
        for codings in sizes:
            path = str(folder / f"bench-{codings}.db")
            if not Path(path).exists():
                started = time.perf_counter()
                build(path, codings)
                print(f"built {codings:,} codings in {time.perf_counter() - started:.1f} s")
            base, runs = [], []
            for run in range(args.repeat):
                base.append(baseline(path))
                runs.append(_child(path, Path(tmp) / f"out-{codings}-{run}"))
            b = statistics.median(base)
            med = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
            per_thousand[codings] = med["all_cpu"] / codings * 1000
            print(
                f"codings: {codings:,}  participants: {PARTICIPANTS}  "
                f"codes: {THEMES * (SUBCODES + 1)}  repeats: {args.repeat}"
            )
            print(f"  baseline sqlite3 SELECT of coded segments   median {b:.3f} s")
            print("  (wall-clock s / CPU s of the report process, medians)")
            for key, label in (
                ("gather", "gather_report (read, analyses, agreement)"),
                *((name, f"gather + {name}") for name in FORMATS),
                ("all", "write_report, every format"),
            ):
                print(f"  {label:<43} {med[key]:8.3f} / {med[key + '_cpu']:8.3f}")
            print("  target: every format of 500,000 codings in under 20 s")
            print(f"  ratio report/baseline: {med['all'] / b:.1f}x")
            print(
                f"  peak memory (resident): {med['peak_mb']:.0f} MB; "
                f"files {med['bytes'] / 1e6:.1f} MB"
            )
        if len(sizes) > 1:
            first = per_thousand[sizes[0]]
            print(
                "CPU time per 1,000 codings, every format: "
                + ", ".join(f"{n:,}: {t:.3f} s" for n, t in per_thousand.items())
                + f"  (largest / smallest: {per_thousand[sizes[-1]] / first:.2f}; 1.00 is linear)"
            )


if __name__ == "__main__":
    main()
