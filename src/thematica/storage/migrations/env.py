"""Alembic environment for Thematica's shipped migrations.

Run through ``thematica.storage.migrate`` (which passes an open connection), never with a
hand-edited alembic.ini: the package carries its own configuration.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection, Mapping
from typing import Any

from alembic import context
from alembic.runtime.migration import MigrationContext, MigrationInfo

from thematica.storage.schema import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when someone runs `alembic` by hand
    raise RuntimeError("run migrations through `thematica db upgrade`")


def _pause_for_tests(
    ctx: MigrationContext, step: MigrationInfo, heads: Collection[Any], run_args: Mapping[str, Any]
) -> None:
    """Test hook (``THEMATICA_TEST_UPGRADE_PAUSE=SECONDS``): say each step applied, then wait,
    so a test can kill the process in the middle of an upgrade."""
    print(f"thematica-test: applied {step.up_revision_id}", file=sys.stderr, flush=True)
    time.sleep(float(os.environ["THEMATICA_TEST_UPGRADE_PAUSE"]))


context.configure(
    connection=connection,
    on_version_apply=(
        _pause_for_tests
        if os.environ.get("THEMATICA_TEST_UPGRADE_PAUSE") and not config.attributes.get("probe")
        else None
    ),
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
