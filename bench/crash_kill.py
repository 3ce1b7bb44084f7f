"""Proof, not speed: ``kill -9`` at random moments of real operations, then check the database.

Operations, each in its own process: ``import`` (20 transcripts, one transaction), ``coding`` (a
burst of codings, each committed on its own and logged once committed), ``project`` (a REFI-QDA
project imported as a new study), ``deid`` (de-identification applied to a reviewed document),
``report`` (every format written) and ``upgrade`` (a database at schema 0001 brought to head).
The process is killed with SIGKILL after a random delay. Then: the database opens, passes
SQLite's integrity check, holds every coding the burst saw committed, is before or after the
operation (never between), its audit chain verifies, and a report folder is all or nothing.

    .venv/bin/python bench/crash_kill.py --runs 60 --backend sqlite
    .venv/bin/python bench/crash_kill.py --runs 60 \
        --backend postgresql+psycopg://postgres@127.0.0.1:5432/test

Bounded by ``--runs``; not part of ``make test`` (tests/storage/test_upgrade_safety.py is the
small version).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROJECT = (
    REPO.parent / "shared" / "samples" / "refi-qda" / "qc132_demo_interview_and_board_meeting.qdpx"
)
STUDY = "Crash study (fictional)"
OPERATIONS = ["import", "coding", "project", "deid", "report", "upgrade"]
TEXT = (
    "Interviewer: How is it going?\n\nParticipant: {n} weeks in, supervision helps; pay does not.\n"
)
DEID_TEXT = (
    "Interviewer: Who supports you?\n\n"
    "Participant: My manager Sarah Okonkwo at Larch Ward, and Priya in Leeds. Ring 07700 900123.\n"
)


def _setup(url: str) -> None:
    from thematica.services.codebook import add_code
    from thematica.services.deid import detect_identifiers
    from thematica.services.deid_review import decide_item, review_list
    from thematica.services.documents import add_text
    from thematica.services.scope import open_db
    from thematica.services.studies import create_study

    db = open_db(url, create=True)
    create_study(db, STUDY, template="blank", actor="setup")
    for path in ["Support", "Support > Supervision", "Systemic", "Systemic > Pay"]:
        add_code(db, path, study=STUDY, actor="setup")
    add_text(db, "T1", TEXT.format(n=1) * 40, study=STUDY, actor="setup")
    add_text(db, "D", DEID_TEXT, study=STUDY, actor="owner")
    detect_identifiers(db, ["D"], study=STUDY, actor="owner")
    for row in review_list(db, "D", study=STUDY):
        decide_item(db, str(row["item"]), "accept", study=STUDY, actor="owner")
    db.dispose()


def _old_database(url: str) -> None:
    from alembic import command

    from thematica.storage import migrate
    from thematica.storage.engine import Database, make_engine, resolve_url

    resolved = resolve_url(url)
    db = Database(make_engine(resolved), resolved)
    with db.engine.begin() as connection:
        command.upgrade(migrate._config(connection), "0001")
    db.dispose()


def _worker(operation: str, url: str, work: Path) -> None:
    from thematica.services.scope import open_db

    (work / "started").write_text("started")  # modules loaded; the operation begins
    if operation == "upgrade":
        from thematica.services.schema import upgrade_database

        if "://" in url:
            upgrade_database(url)
        else:
            open_db(url).dispose()
        return
    db = open_db(url)
    if operation == "import":
        from thematica.services.documents import import_files

        paths = []
        for n in range(20):
            path = work / f"I{n:02}.txt"
            path.write_text(TEXT.format(n=n) * 200, encoding="utf-8")
            paths.append(path)
        import_files(db, paths, study=STUDY, actor="importer")
    elif operation == "coding":
        from thematica.services.coding import apply_coding

        log = (work / "committed.log").open("a", encoding="utf-8")
        for n in range(10_000):
            start = (n * 37) % 1500
            coding = apply_coding(
                db, "T1", start, start + 20, "Support > Supervision", coder="burst", study=STUDY
            )
            log.write(f"{coding.id}\n")
            log.flush()
            os.fsync(log.fileno())
    elif operation == "project":
        from thematica.services.projects import import_project

        import_project(db, PROJECT, name="Imported", actor="importer")
    elif operation == "deid":
        from thematica.services.redaction import apply_deidentification

        apply_deidentification(db, "D", study=STUDY, actor="owner")
    elif operation == "report":
        from thematica.services.report import FORMATS, write_report

        write_report(db, work / "report", list(FORMATS), study=STUDY)
    (work / "done").write_text("done")


def _state(url: str) -> dict[str, object]:
    from sqlalchemy import text

    from thematica.services.audit import verify_audit
    from thematica.services.scope import open_db
    from thematica.storage.migrate import _tables_at, current_revision, head_revision

    if "://" in url:  # a team database is upgraded explicitly, as a team would after a crash
        from thematica.services.schema import schema_status, upgrade_database

        revision = schema_status(url)["revision"]
        if revision not in (None, head_revision()):
            upgrade_database(url)
    db = open_db(url)  # must open (a SQLite file finishes an interrupted upgrade here)
    state: dict[str, object] = {"revision": current_revision(db)}
    with db.engine.connect() as connection:
        if db.is_sqlite:
            state["integrity"] = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        state["tables_ok"] = {t for t in db.engine.dialect.get_table_names(connection)} >= set(
            _tables_at(str(state["revision"]))
        )
        state["studies"] = sorted(connection.execute(text("SELECT name FROM studies")).scalars())
        if STUDY in state["studies"]:  # type: ignore[operator]
            state["documents"] = connection.execute(
                text(
                    "SELECT count(*) FROM documents d JOIN studies s ON s.id = d.study_id "
                    "WHERE s.name = :s"
                ),
                {"s": STUDY},
            ).scalar()
            state["codings"] = {
                str(uuid.UUID(str(i)))
                for i in connection.execute(text("SELECT id FROM codings")).scalars()
            }
            state["deid_text"] = connection.execute(
                text("SELECT text FROM documents WHERE name = 'D'")
            ).scalar()
            state["deid_status"] = connection.execute(
                text(
                    "SELECT r.status FROM deid_reviews r JOIN documents d ON d.id = r.document_id "
                    "WHERE d.name = 'D'"
                )
            ).scalar()
            state["audit"] = verify_audit(db, STUDY)[1].verified
        if "Imported" in state["studies"]:  # type: ignore[operator]
            state["imported"] = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM documents d JOIN studies s ON s.id = d.study_id "
                    "WHERE s.name = 'Imported'), (SELECT count(*) FROM codings c JOIN studies s "
                    "ON s.id = c.study_id WHERE s.name = 'Imported')"
                )
            ).one()
            state["audit_imported"] = verify_audit(db, "Imported")[1].verified
    db.dispose()
    return state


def _check(
    op: str,
    before: dict[str, object],
    after: dict[str, object],
    work: Path,
    reference: dict[str, object],
) -> list[str]:
    problems = []
    if after.get("integrity", "ok") != "ok":
        problems.append(f"integrity: {after['integrity']}")
    if not after["tables_ok"]:
        problems.append("tables do not match the revision")
    if after.get("audit") is False or after.get("audit_imported") is False:
        problems.append("audit chain broken")
    if op == "import" and after["documents"] not in (before["documents"], before["documents"] + 20):  # type: ignore[operator]
        problems.append(f"partial import: {before['documents']} -> {after['documents']}")
    if op == "coding":
        log = work / "committed.log"
        committed = set(log.read_text().split()) if log.exists() else set()
        lost = committed - after["codings"]  # type: ignore[operator]
        if lost:
            problems.append(f"{len(lost)} committed codings lost")
    if (
        op == "project"
        and "imported" in after
        and tuple(after["imported"]) != reference["imported"]
    ):  # type: ignore[arg-type]
        problems.append(f"partial project import: {after['imported']}")
    if op == "deid":
        pair = (after["deid_text"], after["deid_status"])
        if pair not in ((before["deid_text"], before["deid_status"]), reference["deid"]):
            problems.append(f"de-identification half applied: {pair[1]}")
    if op == "report":
        folder = work / "report"
        finals = (
            [p for p in folder.iterdir() if not p.name.startswith(".")] if folder.exists() else []
        )
        if finals and len(finals) < 3:
            problems.append(f"report partly written: {[p.name for p in finals]}")
    return problems


def _new_url(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return str(folder / "study.db")
    from sqlalchemy import create_engine, text

    schema = f"ck_{uuid.uuid4().hex[:10]}"
    engine = create_engine(backend)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in backend else "?"
    return f"{backend}{separator}options=-csearch_path%3D{schema}"


def _calibrate(
    backend: str, root: Path
) -> tuple[dict[str, tuple[float, float]], dict[str, object]]:
    """Run each operation once to the end (not killed): how long it takes from process start,
    so kills land inside it, and what a complete project import and de-identification leave."""
    windows = {"coding": (1.0, 6.0)}
    reference: dict[str, object] = {}
    for op in ("import", "project", "deid", "report", "upgrade"):
        folder = root / f"calibrate-{op}"
        folder.mkdir()
        url = _new_url(backend, folder)
        _old_database(url) if op == "upgrade" else _setup(url)
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, __file__, "--worker", op, url, str(folder)])
        while not (folder / "started").exists() and process.poll() is None:
            time.sleep(0.005)
        begun = time.monotonic() - started
        assert process.wait() == 0, f"{op} failed when not killed"
        windows[op] = (begun, time.monotonic() - started)
        if op in ("project", "deid"):
            state = _state(url)
            if op == "project":
                reference["imported"] = tuple(state["imported"])  # type: ignore[arg-type]
            else:
                reference["deid"] = (state["deid_text"], state["deid_status"])
    return windows, reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--backend", default="sqlite", help="sqlite, or a PostgreSQL URL")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--worker", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        _worker(args.worker[0], args.worker[1], Path(args.worker[2]))
        return
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="crash-kill-"))
    windows, reference = _calibrate(args.backend, root)
    template: Path | None = None
    tally: dict[str, dict[str, int]] = {
        op: {"runs": 0, "interrupted": 0, "bad": 0} for op in OPERATIONS
    }
    failures: list[str] = []
    started = time.monotonic()
    for run in range(args.runs):
        op = OPERATIONS[run % len(OPERATIONS)]
        work = root / f"run{run}"
        work.mkdir()
        url = _new_url(args.backend, work)
        if op == "upgrade":
            _old_database(url)
        elif args.backend == "sqlite" and template is not None:
            shutil.copy(template, url)
        else:
            _setup(url)
            if args.backend == "sqlite":
                template = root / "template.db"
                shutil.copy(url, template)
        before = _state(url) if op != "upgrade" else {}
        process = subprocess.Popen(
            [sys.executable, __file__, "--worker", op, url, str(work)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        time.sleep(rng.uniform(*windows[op]))
        process.send_signal(signal.SIGKILL)
        _out, err = process.communicate()
        if process.returncode not in (-signal.SIGKILL, 0):
            failures.append(f"run {run} {op}: worker failed: {err.decode()[-300:]}")
        tally[op]["runs"] += 1
        tally[op]["interrupted"] += (work / "started").exists() and not (work / "done").exists()
        try:
            after = _state(url)
            problems = _check(op, before, after, work, reference)
        except Exception as exc:  # a database that will not open is the finding
            problems = [f"{type(exc).__name__}: {str(exc).splitlines()[0]}"]
        if problems:
            tally[op]["bad"] += 1
            failures.append(f"run {run} {op}: {'; '.join(problems)}")
    summary = {
        "backend": "sqlite" if args.backend == "sqlite" else "postgresql",
        "runs": args.runs,
        "interrupted": sum(t["interrupted"] for t in tally.values()),
        "bad": sum(t["bad"] for t in tally.values()),
        "by_operation": tally,
        "failures": failures[:20],
        "seconds": round(time.monotonic() - started),
        "kill_windows_s": {op: [round(a, 2), round(b, 2)] for op, (a, b) in windows.items()},
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
