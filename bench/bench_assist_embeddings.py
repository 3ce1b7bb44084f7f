"""Benchmark: the embedding pipeline against the raw model, in one process.

The pipeline is what ``thematica assist`` runs: ``services.assist.embed_cached`` on a fresh
SQLite database (hashing, the cache look-up, length-sorted batches through
``assist.embedders.SentenceTransformerEmbedder``, and storing every vector). The baseline is the
raw ``SentenceTransformer.encode`` of the same packaged all-MiniLM-L6-v2 on the same texts, the
same batch size, one thread pool. Timings are interleaved and repeated; medians are compared.
Target: the pipeline at least 90% of the raw model's sentences per second.

Texts: the first N comments of ../shared/samples/labelled/patient_feedback_phase1.csv.

    .venv/bin/python bench/bench_assist_embeddings.py --sentences 400 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

from thematica.assist.embedders import load_embedder
from thematica.services.assist import embed_cached
from thematica.services.scope import open_db

SAMPLE = Path(__file__).resolve().parents[2] / "shared/samples/labelled/patient_feedback_phase1.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    if not SAMPLE.is_file():
        sys.exit(f"{SAMPLE} is absent")
    with SAMPLE.open(newline="", encoding="utf-8") as f:
        texts = [row["feedback"] for row in csv.DictReader(f)][: args.sentences]
    embedder = load_embedder("minilm", batch_size=args.batch_size)
    raw = embedder.raw_model  # type: ignore[attr-defined]
    raw.encode(texts[:32])  # warm up both paths' first-call costs
    pipeline_times: list[float] = []
    raw_times: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        raw.encode(texts, batch_size=args.batch_size, normalize_embeddings=True)
        raw_times.append(time.perf_counter() - start)
        with tempfile.TemporaryDirectory() as folder:
            db = open_db(str(Path(folder) / "bench.db"), create=True)
            start = time.perf_counter()
            embed_cached(db, embedder, texts)
            pipeline_times.append(time.perf_counter() - start)
            db.dispose()
    raw_rate = len(texts) / statistics.median(raw_times)
    pipeline_rate = len(texts) / statistics.median(pipeline_times)
    print(f"{len(texts)} sentences, batch {args.batch_size}, {args.repeat} runs (medians)")
    print(f"raw model : {raw_rate:7.1f} sentences/s")
    print(f"pipeline  : {pipeline_rate:7.1f} sentences/s")
    print(f"pipeline / raw = {pipeline_rate / raw_rate:.2f} (target >= 0.90)")


if __name__ == "__main__":
    main()
