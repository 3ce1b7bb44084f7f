"""Benchmark: how good assisted coding is on real labelled data, against a baseline in the same
run.

Data: ../shared/samples/labelled/patient_feedback_phase1.csv (8,878 NHS Friends and Family Test
comments, one of 9 categories each in ``label``). Split: ``assist.splits.train_test_split`` with
seed "thematica", 20% of each category held out (reproducible on any machine). Both tables go
through ``thematica assist evaluate``'s service (``services.assist.evaluate_tables``): the model
(logistic regression on all-MiniLM-L6-v2 embeddings and TF-IDF words) and the baseline (TF-IDF +
logistic regression) are trained and judged on the same units. Target: macro-F1 >= 0.71.

Embeddings are cached in ``--db`` (a SQLite file), so a second run only trains and judges.

    .venv/bin/python bench/bench_assist_quality.py --db /tmp/assist-bench.db
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

from thematica.assist.splits import train_test_split
from thematica.services.assist import evaluate_tables
from thematica.services.scope import open_db

SAMPLE = Path(__file__).resolve().parents[2] / "shared/samples/labelled/patient_feedback_phase1.csv"


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="SQLite file caching the embeddings between runs")
    parser.add_argument("--model", default="minilm")
    args = parser.parse_args()
    if not SAMPLE.is_file():
        sys.exit(f"{SAMPLE} is absent")
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        rows = list(reader)
    train, test = train_test_split([r["label"] for r in rows], 0.2, seed="thematica")
    db = open_db(args.db, create=True) if args.db else None
    with tempfile.TemporaryDirectory() as folder:
        train_csv = _write(Path(folder) / "train.csv", header, [rows[i] for i in train])
        test_csv = _write(Path(folder) / "test.csv", header, [rows[i] for i in test])
        start = time.perf_counter()
        result = evaluate_tables(
            train_csv, test_csv, "feedback", label_column="label", model=args.model, db=db
        )
        seconds = time.perf_counter() - start
    print(f"train {len(train)} / test {len(test)} comments, {seconds:.1f} s")
    print(f"{'label':26} {'model F1':>8} {'kappa':>6} {'base F1':>8} {'kappa':>6} {'support':>7}")
    for ours, base in zip(result.scores.labels, result.baseline.labels, strict=True):
        print(
            f"{ours.label:26} {ours.f1:8.3f} {ours.kappa:6.3f} {base.f1:8.3f} {base.kappa:6.3f}"
            f" {ours.support:7d}"
        )
    model, baseline = result.scores.macro_f1, result.baseline.macro_f1
    print(
        f"macro-F1: model {model:.3f}, baseline {baseline:.3f}, model / baseline "
        f"{model / baseline:.2f} (target >= 0.71)"
    )


if __name__ == "__main__":
    main()
