"""What every service shares: opening the database, finding the study, recording events."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from thematica.domain.events import EventKind, make_event
from thematica.domain.study import Study
from thematica.errors import NotFoundError
from thematica.storage import Database, UnitOfWork
from thematica.storage.migrate import open_database

__all__ = ["NO_PROGRESS", "Progress", "default_actor", "open_db", "record", "study_scope"]


#: What long work reports to, as ``progress(done, total, label)``: the CLI passes a progress
#: bar, tests a list's ``append``-like recorder.
Progress = Callable[[int, int, str], None]


def _no_progress(done: int, total: int, label: str) -> None:
    return None


NO_PROGRESS: Progress = _no_progress


def default_actor() -> str:
    """Who is acting, for the audit trail: ``THEMATICA_USER``, else the login name."""
    import getpass  # here, not at the top: a command that never records an event skips it

    try:
        return os.environ.get("THEMATICA_USER") or getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return "unknown"


def open_db(url_or_path: str | None = None, *, create: bool = False) -> Database:
    """Open the study database (see :func:`thematica.storage.migrate.open_database`)."""
    return open_database(url_or_path, create=create)


@contextmanager
def database_for_new_study(url_or_path: str | None = None) -> Iterator[Database]:
    """Open (creating if need be) a database for a command that makes a study from a file; if
    that fails on a database this call created, the new file is removed rather than left empty.
    """
    db = open_db(url_or_path, create=True)
    try:
        yield db
    except BaseException:
        db.discard_if_created()
        raise


def find_study(uow: UnitOfWork, name: str | None) -> Study:
    """The study called ``name``; with no name, the only study in the database."""
    if name is not None:
        study = uow.studies.by_name(name)
        if study is None:
            known = ", ".join(s.name for s in uow.studies.all()) or "none"
            raise NotFoundError(f"no study named {name!r} (studies here: {known})")
        return study
    studies = uow.studies.all()
    if not studies:
        raise NotFoundError("the database holds no study yet; run `thematica init NAME`")
    if len(studies) > 1:
        names = ", ".join(repr(s.name) for s in studies)
        raise NotFoundError(f"the database holds several studies ({names}); pick one with --study")
    return studies[0]


@contextmanager
def study_scope(db: Database, study: str | None) -> Iterator[tuple[UnitOfWork, Study]]:
    """One unit of work with the study resolved. The caller commits."""
    with UnitOfWork(db) as uow:
        yield uow, find_study(uow, study)


def record(
    uow: UnitOfWork,
    study: Study,
    actor: str,
    kind: EventKind,
    entity_id: uuid.UUID | None,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    uow.events.append([make_event(study.id, actor, kind, entity_id, before=before, after=after)])
