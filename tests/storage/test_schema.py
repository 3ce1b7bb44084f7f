"""The shipped migrations must build exactly the tables the code declares, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.conftest import both_backends
from thematica.storage import Database
from thematica.storage.schema import Base


@both_backends
def test_migrations_match_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


@both_backends
def test_sqlite_pragmas_or_postgres_constraints_hold(db: Database) -> None:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        if db.is_sqlite:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        else:
            names = set(
                connection.execute(
                    text("SELECT conname FROM pg_constraint WHERE conname LIKE 'ck_codings_%'")
                ).scalars()
            )
            assert {"ck_codings_span", "ck_codings_origin", "ck_codings_valence"} <= names
