"""Alembic environment for Thematica's shipped migrations.

Run through ``thematica.storage.migrate`` (which passes an open connection), never with a
hand-edited alembic.ini: the package carries its own configuration.
"""

from __future__ import annotations

from alembic import context

from thematica.storage.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs `alembic` by hand
    raise RuntimeError("run migrations through `thematica db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
