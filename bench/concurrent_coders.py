"""Proof, not speed: many coder processes at once on one study, with codes merged and renamed
meanwhile. Bounded by ``--seconds``; not part of ``make test``.

Each coder process applies codings in a loop (logging each id once its commit returned), and now
and then adds a code that others are adding too; two editor processes rename and merge codes.
Afterwards: no coding that a process saw committed is missing (unless a merge collapsed it, which
leaves a ``coding.removed`` event), no two sibling codes share a name, the audit chain verifies
(it would fork if two writers read the same head), and every error was one line.

    .venv/bin/python bench/concurrent_coders.py --coders 20 --seconds 30 --backend sqlite
    .venv/bin/python bench/concurrent_coders.py --coders 20 --seconds 30 \
        --backend postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

STUDY = "Concurrency (fictional)"
TEXT = "".join(
    f"Participant: Sentence {i} about support, supervision and pay in a fictional service.\n\n"
    for i in range(200)
)


def _setup(url: str) -> None:
    from thematica.services.codebook import add_code
    from thematica.services.documents import add_text
    from thematica.services.scope import open_db
    from thematica.services.studies import create_study

    db = open_db(url, create=True)
    create_study(db, STUDY, template="blank", actor="setup")
    for theme in ("Support", "Systemic", "Identity"):
        add_code(db, theme, study=STUDY, actor="setup")
        for n in range(4):
            add_code(db, f"{theme} > Sub {n}", study=STUDY, actor="setup")
    for n in range(3):
        add_text(db, f"D{n}", TEXT, study=STUDY, actor="setup")
    db.dispose()


def _worker(role: str, url: str, until: float, log: Path, seed: int) -> None:
    from thematica.errors import ThematicaError
    from thematica.services.codebook import add_code, update_code
    from thematica.services.codebook_edits import merge_codes
    from thematica.services.coding import apply_coding
    from thematica.services.scope import open_db

    rng = random.Random(seed)
    db = open_db(url)
    out = log.open("a", encoding="utf-8")
    done = errors = 0
    while time.time() < until:
        try:
            if role == "coder":
                if rng.random() < 0.05:
                    add_code(
                        db, f"Support > Shared {rng.randrange(5)}", study=STUDY, actor=log.stem
                    )
                    continue
                theme = rng.choice(["Support", "Systemic", "Identity"])
                start = rng.randrange(0, len(TEXT) - 60)
                coding = apply_coding(
                    db,
                    f"D{rng.randrange(3)}",
                    start,
                    start + rng.randrange(5, 60),
                    f"{theme} > Sub {rng.randrange(4)}",
                    coder=log.stem,
                    study=STUDY,
                )
                out.write(json.dumps({"coding": str(coding.id)}) + "\n")
                out.flush()
            elif role == "renamer":  # "Identity > Sub 0" back and forth, definitions too
                time.sleep(0.05)
                names = ["Sub 0", "Sub 0 (renamed)"]
                current = names[done % 2]
                update_code(
                    db,
                    f"Identity > {current}",
                    study=STUDY,
                    actor="renamer",
                    name=names[(done + 1) % 2],
                    definition=f"revised {uuid.uuid4().hex[:6]}",
                )
            else:  # merger: folds a shared code into another, when both exist
                time.sleep(0.05)
                a, b = rng.sample(range(5), 2)
                merge_codes(db, f"Support > Shared {a}", f"Support > Shared {b}", study=STUDY)
            done += 1
        except ThematicaError as exc:
            errors += 1
            out.write(json.dumps({"error": str(exc), "kind": type(exc).__name__}) + "\n")
            out.flush()
    out.write(json.dumps({"summary": {"done": done, "errors": errors}}) + "\n")
    out.close()
    db.dispose()


def _check(url: str, logs: list[Path]) -> dict[str, object]:
    from sqlalchemy import text

    from thematica.services.audit import verify_audit
    from thematica.services.scope import open_db

    committed: set[str] = set()
    errors: list[str] = []
    done = 0
    for log in logs:
        for line in log.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if "coding" in entry:
                committed.add(entry["coding"])
            elif "error" in entry:
                errors.append(f"{entry['kind']}: {entry['error']}")
            elif "summary" in entry:
                done += entry["summary"]["done"]
    db = open_db(url)
    with db.engine.connect() as connection:
        present = {
            str(uuid.UUID(str(i)))
            for i in connection.execute(text("SELECT id FROM codings")).scalars()
        }
        removed = {
            str(uuid.UUID(str(i)))
            for i in connection.execute(
                text("SELECT entity_id FROM events WHERE kind = 'coding.removed'")
            ).scalars()
        }
        duplicates = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT study_id, parent_id, name FROM codes "
                "GROUP BY study_id, parent_id, name HAVING count(*) > 1) AS d"
            )
        ).scalar()
    _name, trail = verify_audit(db, STUDY)
    db.dispose()
    lost = committed - present - removed
    kinds: dict[str, int] = {}
    for e in errors:
        key = e.split(":")[0] + ": " + e.split(":", 1)[1][:60]
        kinds[key] = kinds.get(key, 0) + 1
    return {
        "operations": done,
        "codings_committed": len(committed),
        "lost": len(lost),
        "duplicate_sibling_names": duplicates,
        "audit_verified": trail.verified,
        "events": trail.events,
        "errors": len(errors),
        "multi_line_errors": sum("\n" in e for e in errors),
        "error_kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:6]),
    }


def _schema_url(base: str) -> tuple[str, str]:
    schema = f"cc_{uuid.uuid4().hex[:10]}"
    from sqlalchemy import create_engine, text

    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}", schema


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--coders", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--backend", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        role, url, until, log, seed = args.worker
        _worker(role, url, float(until), Path(log), int(seed))
        return
    folder = Path(tempfile.mkdtemp(prefix="concurrent-"))
    url = str(folder / "team.db") if args.backend == "sqlite" else _schema_url(args.backend)[0]
    _setup(url)
    until = time.time() + 3 + args.seconds  # every process has started by then
    roles = ["coder"] * args.coders + ["renamer", "merger"]
    logs = [folder / f"{role}{n}.log" for n, role in enumerate(roles)]
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--worker", role, url, str(until), str(log), str(n)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for n, (role, log) in enumerate(zip(roles, logs, strict=True))
    ]
    tracebacks = 0
    for process in processes:
        _out, err = process.communicate()
        tracebacks += "Traceback" in err
    result = _check(url, logs)
    result["processes"] = len(processes)
    result["crashed_processes"] = tracebacks
    result["backend"] = "sqlite (WAL)" if args.backend == "sqlite" else "postgresql"
    result["seconds"] = args.seconds
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
