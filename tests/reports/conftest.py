"""The known study built once per module, its report gathered and written in every format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reports.known_study import build
from thematica.reports.data import ReportData
from thematica.services.report import FORMATS, gather_report, write_report
from thematica.services.scope import open_db
from thematica.storage import Database


@pytest.fixture(scope="module")
def known_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = open_db(str(tmp_path_factory.mktemp("known") / "known.db"), create=True)
    build(db)
    yield db
    db.dispose()


@pytest.fixture(scope="module")
def report(known_db: Database) -> ReportData:
    return gather_report(known_db)


@pytest.fixture(scope="module")
def written(known_db: Database, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every format of the known study's report, by format name."""
    out = tmp_path_factory.mktemp("report")
    paths = write_report(known_db, out, list(FORMATS))
    return dict(zip(FORMATS, paths, strict=True))
