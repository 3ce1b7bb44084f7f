"""Benchmark: Thematica's agreement statistics against reference implementations, in one process.

* Krippendorff's alpha (nominal and interval) on 2, 5 and 10 coders × 1,000,000 units of random
  categorical data (5 categories, ~10% missing): ``thematica.analysis.agreement.krippendorff_alpha``
  against ``krippendorff.alpha`` (the PyPI package ``krippendorff``).
* Cohen's kappa (unweighted and quadratic) on 1,000,000 pairs: against scikit-learn's
  ``sklearn.metrics.cohen_kappa_score``.

Both sides get the same numpy array and do all their own work (factorising labels included). The
timings are interleaved, repeated, and their medians compared; a ratio thematica/reference of at
most 1.0 means as fast or faster. The values are checked to agree.

    .venv/bin/python bench/bench_agreement.py               # full size; writes bench/RESULTS.md
    .venv/bin/python bench/bench_agreement.py --units 20000 # smoke run; writes nothing
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from thematica.analysis.agreement import cohen_kappa, krippendorff_alpha

FULL_UNITS = 1_000_000
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "## Agreement statistics"


@dataclass
class Row:
    case: str
    ours: float
    reference: float
    value: float

    @property
    def ratio(self) -> float:
        return self.ours / self.reference


def ratings(coders: int, units: int, *, seed: int) -> np.ndarray:
    """Coders × units, categories 1-5 as floats, about 10% missing (NaN)."""
    rng = np.random.default_rng(seed)
    table = rng.integers(1, 6, size=(coders, units)).astype(float)
    table[rng.random(table.shape) < 0.10] = np.nan
    return table


def compare(
    case: str, ours: Callable[[], float], reference: Callable[[], float], repeats: int
) -> Row:
    """Median seconds of each, timed alternately so that drift on a shared machine hits both."""
    ours_times: list[float] = []
    reference_times: list[float] = []
    for _ in range(repeats):
        start = time.perf_counter()
        our_value = ours()
        ours_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        reference_value = reference()
        reference_times.append(time.perf_counter() - start)
    assert math.isclose(our_value, reference_value, rel_tol=1e-9, abs_tol=1e-9), (
        case,
        our_value,
        reference_value,
    )
    row = Row(case, statistics.median(ours_times), statistics.median(reference_times), our_value)
    flag = "" if row.ratio <= 1.0 else "  <- slower"
    print(
        f"{row.case:<42} thematica {row.ours:8.4f}s  reference {row.reference:8.4f}s  "
        f"ratio {row.ratio:5.2f}{flag}",
        flush=True,
    )
    return row


def run(units: int, repeats: int) -> list[Row]:
    rows: list[Row] = []
    for coders in (2, 5, 10):
        table = ratings(coders, units, seed=coders)
        for level in ("nominal", "interval"):
            rows.append(
                compare(
                    f"alpha {level}, {coders} coders × {units:,} units",
                    lambda t=table, lv=level: krippendorff_alpha(t, level=lv),
                    lambda t=table, lv=level: float(krippendorff.alpha(t, level_of_measurement=lv)),
                    repeats,
                )
            )
        del table
    # Labels 1-5 and the same data as 0-4: scikit-learn takes a slower path when the labels are
    # not 0..k-1, so a ratio measured on one of them alone flatters or wrongs one side.
    rng = np.random.default_rng(0)
    first = rng.integers(1, 6, size=units)
    second = np.where(rng.random(units) < 0.7, first, rng.integers(1, 6, size=units))
    for low in (1, 0):
        a, b = first - (1 - low), second - (1 - low)
        pairs = np.vstack([a, b])
        for weights in (None, "quadratic"):
            rows.append(
                compare(
                    f"Cohen's kappa {weights or 'unweighted'}, labels {low}-{low + 4}, "
                    f"{units:,} pairs",
                    lambda w=weights, p=pairs: cohen_kappa(p, weights=w),
                    lambda w=weights, x=a, y=b: float(cohen_kappa_score(x, y, weights=w)),
                    repeats,
                )
            )
    return rows


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]  # fmt: skip
        cpu = names[0] if names else cpu
    return (
        f"{cpu}, 2 cores, shared and noisy; Python {platform.python_version()}, "
        f"numpy {np.__version__}, krippendorff {version('krippendorff')}, "
        f"scikit-learn {version('scikit-learn')}"
    )


def section(rows: list[Row], command: str, repeats: int) -> str:
    lines = [
        SECTION,
        "",
        f"`{command}` on {dt.date.today().isoformat()}; {machine()}.",
        f"Median of {repeats} interleaved runs each; ratio = thematica / reference "
        "(<= 1.0: as fast or faster). Values checked equal (to 1e-9).",
        "References: `krippendorff.alpha` for alpha, "
        "`sklearn.metrics.cohen_kappa_score` for kappa.",
        "",
        "| case | thematica (s) | reference (s) | ratio |",
        "| --- | ---: | ---: | ---: |",
    ]
    lines += [f"| {r.case} | {r.ours:.4f} | {r.reference:.4f} | {r.ratio:.2f} |" for r in rows]
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    """Add or replace this benchmark's section of RESULTS.md, leaving the others alone."""
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\n" + text)
        return
    current = RESULTS.read_text()
    start = current.find(SECTION + "\n")
    if start < 0:
        RESULTS.write_text(current.rstrip("\n") + "\n\n" + text)
        return
    end = current.find("\n## ", start + len(SECTION))
    rest = "" if end < 0 else current[end + 1 :]
    RESULTS.write_text(current[:start] + text + ("\n" + rest if rest else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=FULL_UNITS, help="units per table")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs of each case")
    parser.add_argument(
        "--write", action=argparse.BooleanOptionalAction, default=None,
        help="write bench/RESULTS.md (default: only at full size)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    rows = run(args.units, args.repeats)
    slower = [row.case for row in rows if row.ratio > 1.0]
    print("all as fast or faster" if not slower else f"slower than the reference: {slower}")
    if args.write or (args.write is None and args.units == FULL_UNITS):
        command = " ".join([".venv/bin/python", "bench/bench_agreement.py", *sys.argv[1:]])
        write(section(rows, command, args.repeats))
        print(f"wrote the '{SECTION[3:]}' section of {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
