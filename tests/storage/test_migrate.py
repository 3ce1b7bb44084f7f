from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import both_backends
from thematica.errors import StorageError
from thematica.services.scope import open_db
from thematica.storage import Database
from thematica.storage.migrate import current_revision, head_revision, open_database


@both_backends
def test_new_database_is_created_at_head(database_url: str) -> None:
    db = open_db(database_url, create=True)
    assert current_revision(db) == head_revision()
    db.dispose()


def test_missing_sqlite_file_is_an_error_unless_creating(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="no Thematica database at"):
        open_db(str(tmp_path / "nope.db"))
    assert not (tmp_path / "nope.db").exists()


def test_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="folder for the database does not exist"):
        open_db(str(tmp_path / "no" / "such" / "x.db"), create=True)


def test_garbage_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my notes, not a database" * 200)
    with pytest.raises(StorageError, match="cannot open the database"):
        open_db(str(path))
    assert path.read_bytes().startswith(b"these are my notes")


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    with pytest.raises(StorageError, match="not a Thematica database"):
        open_db(str(path))


def _set_revision(path: Path, revision: str) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))


def test_database_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    open_db(str(path), create=True).dispose()
    _set_revision(path, "9999_from_the_future")

    def contents() -> list[tuple[str, ...]]:
        with sqlite3.connect(path) as connection:
            return [
                *connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name"),
                *connection.execute("SELECT version_num FROM alembic_version"),
            ]

    before = contents()
    with pytest.raises(StorageError, match="newer version of Thematica"):
        open_db(str(path))
    assert contents() == before
    assert not list(tmp_path.glob("*.bak-*"))


def _database_at(url: str, revision: str) -> None:
    """Build a database at an older schema revision, the way an older Thematica left it."""
    from alembic import command

    from thematica.storage import migrate
    from thematica.storage.engine import Database, make_engine, resolve_url

    resolved = resolve_url(url)
    db = Database(make_engine(resolved), resolved)
    with db.engine.begin() as connection:
        command.upgrade(migrate._config(connection), revision)
        connection.exec_driver_sql(
            "INSERT INTO studies (id, name, description, created_at) "
            "VALUES ('0123456789abcdef0123456789abcdef', 'Old study', '', '2025-01-01 00:00:00')"
            if db.is_sqlite
            else "INSERT INTO studies (id, name, description, created_at) "
            "VALUES ('01234567-89ab-cdef-0123-456789abcdef', 'Old study', '', '2025-01-01')"
        )
    db.dispose()


def test_single_user_sqlite_behind_head_is_backed_up_then_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "study.db"
    _database_at(str(path), "0001")
    db = open_db(str(path))
    assert current_revision(db) == head_revision() != "0001"
    from thematica.services.studies import list_studies

    assert [s.name for s in list_studies(db)] == ["Old study"], "data survives the upgrade"
    db.dispose()
    backup = tmp_path / "study.db.bak-0001"
    assert backup.exists()
    with sqlite3.connect(backup) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
@pytest.mark.skipif(
    not __import__("os").environ.get("THEMATICA_TEST_POSTGRES_URL"),
    reason="THEMATICA_TEST_POSTGRES_URL is not set (make test sets it)",
)
def test_team_database_behind_head_asks_for_db_upgrade(database_url: str) -> None:
    from thematica.services.schema import schema_status, upgrade_database

    _database_at(database_url, "0001")
    with pytest.raises(StorageError, match="thematica db upgrade"):
        open_db(database_url)
    assert schema_status(database_url)["revision"] == "0001", "refused means untouched"
    assert upgrade_database(database_url) == ("0001", head_revision())
    db = open_db(database_url)
    from thematica.services.studies import list_studies

    assert [s.name for s in list_studies(db)] == ["Old study"]
    db.dispose()


def test_the_fast_revision_reader_agrees_with_alembic(db: Database) -> None:
    """storage.revisions reads the revision files as text so that a command need not import
    Alembic; it must give Alembic's answers."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from thematica.storage import revisions

    config = Config()
    config.set_main_option("script_location", "thematica.storage:migrations")
    script = ScriptDirectory.from_config(config)
    assert revisions.head_revision() == script.get_current_head()
    assert revisions.known_revisions() == {r.revision for r in script.walk_revisions()}
    with db.engine.connect() as connection:
        assert revisions.stored_revision(connection) == (script.get_current_head(), True)
        connection.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
        with pytest.raises(StorageError, match="several schema revisions"):
            revisions.stored_revision(connection)
        connection.rollback()


def test_a_simple_command_does_not_import_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "s.db"
    open_database(str(path), create=True).dispose()
    code = (
        "import sys\nfrom thematica.services.scope import open_db\n"
        f"open_db({str(path)!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@both_backends
def test_upgrade_to_0007_gives_existing_coders_their_kind(database_url: str) -> None:
    """A database from before coder kinds: the round's consensus coder, a user whose codings all
    came from another tool, a person who codes and a memo author are classified on the way up."""
    import uuid
    from datetime import UTC, datetime

    import sqlalchemy as sa
    from alembic import command

    from thematica.services.schema import upgrade_database
    from thematica.storage import migrate
    from thematica.storage.engine import Database, make_engine, resolve_url

    ids = {name: uuid.uuid4() for name in ("study", "doc", "code", "round", "R", "C", "N", "A")}
    now = datetime(2025, 1, 1, tzinfo=UTC)

    def table(name: str, *columns: str) -> sa.TableClause:
        return sa.table(
            name,
            *(
                sa.column(c, sa.Uuid() if c == "id" or c.endswith("_id") else sa.String())
                for c in columns
            ),
        )

    resolved = resolve_url(database_url)
    old = Database(make_engine(resolved), resolved)
    with old.engine.begin() as connection:
        command.upgrade(migrate._config(connection), "0006")
        studies = sa.table(
            "studies",
            sa.column("id", sa.Uuid()),
            sa.column("name", sa.String()),
            sa.column("description", sa.String()),
            sa.column("created_at", sa.DateTime(timezone=True)),
        )
        connection.execute(
            sa.insert(studies).values(id=ids["study"], name="Old", description="", created_at=now)
        )
        coders = table("coders", "id", "study_id", "name")
        for key, name in [("R", "Robin"), ("C", "Consensus (R1)"), ("N", "nvivo"), ("A", "Alex")]:
            connection.execute(
                sa.insert(coders).values(id=ids[key], study_id=ids["study"], name=name)
            )
        connection.execute(
            sa.insert(
                sa.table(
                    "documents",
                    *(sa.column(c, sa.Uuid()) for c in ("id", "study_id")),
                    *(sa.column(c) for c in ("name", "text", "source_name", "source_format")),
                    sa.column("source_hash"),
                    sa.column("created_at", sa.DateTime(timezone=True)),
                )
            ).values(
                id=ids["doc"],
                study_id=ids["study"],
                name="T1",
                text="Hello there, supervision helps.",
                source_name="",
                source_format="txt",
                source_hash="",
                created_at=now,
            )
        )
        code_text = ("definition", "inclusion", "exclusion", "example", "colour")
        connection.execute(
            sa.insert(
                sa.table(
                    "codes",
                    *(sa.column(c, sa.Uuid()) for c in ("id", "study_id")),
                    *(sa.column(c) for c in ("name", *code_text)),
                    sa.column("position", sa.Integer()),
                )
            ).values(
                id=ids["code"],
                study_id=ids["study"],
                name="Support",
                position=0,
                **dict.fromkeys(code_text, ""),
            )
        )
        codings = sa.table(
            "codings",
            *(sa.column(c, sa.Uuid()) for c in ("id", "study_id", "document_id", "code_id")),
            sa.column("coder_id", sa.Uuid()),
            sa.column("start_offset", sa.Integer()),
            sa.column("end_offset", sa.Integer()),
            sa.column("created_at", sa.DateTime(timezone=True)),
            *(sa.column(c) for c in ("origin", "origin_detail", "memo", "selection_creator")),
        )
        for coder, origin in [("R", "human"), ("R", "imported"), ("C", "human"), ("N", "imported")]:
            connection.execute(
                sa.insert(codings).values(
                    id=uuid.uuid4(),
                    study_id=ids["study"],
                    document_id=ids["doc"],
                    code_id=ids["code"],
                    coder_id=ids[coder],
                    start_offset=0,
                    end_offset=5,
                    created_at=now,
                    origin=origin,
                    origin_detail="",
                    memo="",
                    selection_creator="",
                )
            )
        connection.execute(
            sa.insert(
                sa.table(
                    "rounds",
                    *(sa.column(c, sa.Uuid()) for c in ("id", "study_id")),
                    *(sa.column(c) for c in ("name", "unit", "sampling", "status")),
                    sa.column("blind", sa.Boolean()),
                    sa.column("created_at", sa.DateTime(timezone=True)),
                )
            ).values(
                id=ids["round"],
                study_id=ids["study"],
                name="R1",
                unit="turn",
                sampling="",
                status="closed",
                blind=True,
                created_at=now,
            )
        )
        members = [("round_coders", "coder_id", ids[k]) for k in ("R", "A")]
        for position, (name, column, member) in enumerate(
            [*members, ("round_documents", "document_id", ids["doc"])]
        ):
            connection.execute(
                sa.insert(
                    sa.table(
                        name,
                        sa.column("round_id", sa.Uuid()),
                        sa.column(column, sa.Uuid()),
                        sa.column("position", sa.Integer()),
                    )
                ).values(round_id=ids["round"], position=position, **{column: member})
            )
    old.dispose()

    upgrade_database(database_url)
    db = open_db(database_url)
    from thematica.storage import UnitOfWork

    with UnitOfWork(db) as uow:
        study = uow.studies.by_name("Old")
        assert study is not None
        kinds = {c.name: c.kind.value for c in uow.coders.all(study.id)}
        [round_] = uow.rounds.all(study.id)
        assert len(uow.codings.all(study.id)) == 4, "no coding lost on the way up"
        assert [d.name for d in uow.documents.all(study.id)] == ["T1"]
    db.dispose()
    assert kinds == {
        "Robin": "person",
        "Consensus (R1)": "consensus",
        "nvivo": "imported",
        "Alex": "person",
    }
    assert round_.consensus_coder_id == ids["C"]
