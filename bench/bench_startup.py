"""Start-up of a simple command: `thematica stats` on an empty study against `python -c pass`.

Both are run as fresh processes, interleaved, in the same run; the figure that matters is the
difference of the medians (the issue's target: within 0.3 s of `python -c pass`), with the ratio
printed beside it. `--help` and `stats --json` are timed too, and so is the floor every command
that opens a database pays: importing SQLAlchemy's ORM (alone, and with Alembic's migration
context, which the schema check imported before storage/revisions.py).

    .venv/bin/python bench/bench_startup.py --repeat 15
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

THEMATICA = [sys.executable, "-m", "thematica"]


def _time(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "empty.db")
        subprocess.run([*THEMATICA, "--db", db, "init", "Empty"], check=True, capture_output=True)
        cases = {
            "python -c pass": [sys.executable, "-c", "pass"],
            # The floor of any command that opens a database through SQLAlchemy's ORM, and what
            # the schema check used to add on top of it (Alembic's migration context).
            "import sqlalchemy.orm (floor)": [sys.executable, "-c", "import sqlalchemy.orm"],
            "import sqlalchemy.orm + alembic": [
                sys.executable,
                "-c",
                "import sqlalchemy.orm, alembic.runtime.migration, alembic.script",
            ],
            "thematica --help": [*THEMATICA, "--help"],
            "thematica stats": [*THEMATICA, "--db", db, "stats"],
            "thematica stats --json": [*THEMATICA, "--db", db, "stats", "--json"],
        }
        for command in cases.values():  # warm the file cache and the .pyc files
            _time(command)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.repeat):
            for name, command in cases.items():
                times[name].append(_time(command))
    base = statistics.median(times["python -c pass"])
    print(f"median of {args.repeat} interleaved runs; baseline python -c pass = {base:.3f} s")
    print("| command | median (s) | minus python -c pass (s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| `{name}` | {median:.3f} | {median - base:+.3f} | {median / base:.1f}x |")


if __name__ == "__main__":
    main()
