"""Benchmark: whole-project import into a study database and export from it, against floors.

The project of ``bench_refi.py`` (by default 200 sources of 8,000 words and 50,000 codings) is
exported once as ``.qdpx``; then, interleaved:

* ``import_project``: read the archive, map it and write a new study into a fresh SQLite
  database (documents, codes, coders, 50,000 codings and one provenance event per thing added),
  in one transaction;
* ``export_project``: read the study back and write it as ``.qdpx``.

Floors measured in the same run: the file-layer floors of ``bench_refi.py`` (standard library
zip and XML only), and for import also a **storage floor**: that file floor plus a raw
``sqlite3.executemany`` of the same document, coding and event rows into plain tables of the
same columns in a fresh database file (WAL), one transaction. Thematica also checks every
reference, span and name, remaps positions and keeps the audit trail's payloads.

    .venv/bin/python bench/bench_project_service.py [--sources N] [--words N] [--codings N]
        [--repeat R]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench_refi import floor_export, floor_import, generate

from thematica.interchange.refi import RefiProject, write_qdpx
from thematica.services.projects import export_project, import_project
from thematica.services.scope import open_db


def storage_floor(project: RefiProject, archive: Path, database: Path) -> None:
    """The file floor, then the same rows inserted with sqlite3 alone."""
    floor_import(archive)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE documents (id, study_id, name, text, source_name, source_format, "
        "source_hash, participant_id, created_at)"
    )
    connection.execute(
        "CREATE TABLE codings (id, study_id, document_id, code_id, coder_id, start_offset, "
        "end_offset, created_at, origin, origin_detail, score, valence, memo, selection_guid, "
        "selection_creator)"
    )
    connection.execute(
        "CREATE TABLE events (sequence INTEGER PRIMARY KEY, id, study_id, actor, at, kind, "
        "entity_id, before, after)"
    )
    study = uuid.uuid4().bytes
    now = datetime.now(UTC).isoformat()
    documents, codings, events = [], [], []
    for s in project.sources:
        documents.append(
            (uuid.UUID(s.guid).bytes, study, s.name, s.text, "", "qdpx", "", None, now)
        )
        for x in s.selections:
            for c in x.codings:
                row = (
                    uuid.UUID(c.guid).bytes,
                    study,
                    uuid.UUID(s.guid).bytes,
                    uuid.UUID(c.code_guid).bytes,
                    uuid.UUID(c.creating_user or s.guid).bytes,
                    x.start,
                    x.end,
                    now,
                    "imported",
                    "bench",
                    None,
                    None,
                    "",
                    uuid.UUID(x.guid).bytes,
                    x.creating_user or "",
                )
                codings.append(row)
                payload = json.dumps({"span": [x.start, x.end], "code_id": c.code_guid})
                events.append(
                    (
                        uuid.uuid4().bytes,
                        study,
                        "bench",
                        now,
                        "coding.applied",
                        row[0],
                        None,
                        payload,
                    )
                )
    with connection:
        connection.executemany(f"INSERT INTO documents VALUES ({', '.join('?' * 9)})", documents)
        connection.executemany(f"INSERT INTO codings VALUES ({', '.join('?' * 15)})", codings)
        connection.executemany(
            "INSERT INTO events (id, study_id, actor, at, kind, entity_id, before, after) "
            f"VALUES ({', '.join('?' * 8)})",
            events,
        )
    connection.close()


def _time(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--codings", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    project = generate(args.sources, args.words, args.codings)
    counts = project.counts()
    print(
        f"project: {counts['sources']} sources, {counts['codings']:,} codings, "
        f"{counts['codes']} codes; median of {args.repeat} interleaved runs"
    )
    keys = ("floor export", "export_project", "floor import", "storage floor", "import_project")
    times: dict[str, list[float]] = {k: [] for k in keys}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        archive, floor = root / "project.qdpx", root / "floor.qdpx"
        write_qdpx(project, archive)
        for run in range(args.repeat):
            db = open_db(str(root / f"study{run}.db"), create=True)
            times["floor import"].append(_time(lambda: floor_import(archive)))
            times["storage floor"].append(
                _time(lambda: storage_floor(project, archive, root / f"floor{run}.db"))  # noqa: B023
            )
            times["import_project"].append(
                _time(lambda: import_project(db, archive, actor="bench"))  # noqa: B023
            )
            times["floor export"].append(_time(lambda: floor_export(project, floor)))
            out = root / f"export{run}.qdpx"
            times["export_project"].append(_time(lambda: export_project(db, out)))  # noqa: B023
            db.dispose()
    median = {k: statistics.median(v) for k, v in times.items()}
    print("| step | thematica (s) | floor (s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for step, ours, base in (
        ("export (`export_project`) vs file floor", "export_project", "floor export"),
        ("import (`import_project`) vs file floor", "import_project", "floor import"),
        ("import (`import_project`) vs storage floor", "import_project", "storage floor"),
    ):
        ratio = median[ours] / median[base]
        print(f"| {step} | {median[ours]:.3f} | {median[base]:.3f} | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
