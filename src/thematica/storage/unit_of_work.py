"""The unit of work: one transaction, with every repository bound to it.

Services open one per use case::

    with UnitOfWork(db) as uow:
        uow.codings.add_many(...)
        uow.events.append(...)
        uow.commit()

Leaving the block without ``commit()`` (or by an exception) rolls everything back, which is how
an import of ten files that fails on the seventh leaves the database exactly as it was.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from thematica.domain.ids import StudyId
from thematica.errors import ConflictError, StorageError
from thematica.storage.accounts_repository import AccountRepository
from thematica.storage.conflicts import busy_message, conflict_message, first_line, is_busy
from thematica.storage.deid_repository import DeidRepository
from thematica.storage.embedding_repository import EmbeddingRepository
from thematica.storage.engine import Database
from thematica.storage.events_repository import EventRepository
from thematica.storage.framework_repository import FrameworkRepository
from thematica.storage.identity_repository import IdentityRepository
from thematica.storage.repositories import (
    CodeRepository,
    CoderRepository,
    CodingRepository,
    DocumentRepository,
    MemoRepository,
    ParticipantRepository,
    SetRepository,
    StudyRepository,
    count_rows,
)
from thematica.storage.rights_repository import RightsRepository
from thematica.storage.rounds_repository import RoundRepository
from thematica.storage.suggestion_repository import SuggestionRepository

__all__ = ["UnitOfWork"]


class UnitOfWork:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._session: Session | None = None

    def __enter__(self) -> UnitOfWork:
        session = Session(self.db.engine, expire_on_commit=False, autoflush=False)
        self._session = session
        self.studies = StudyRepository(session)
        self.coders = CoderRepository(session)
        self.participants = ParticipantRepository(session)
        self.documents = DocumentRepository(session)
        self.codes = CodeRepository(session)
        self.codings = CodingRepository(session)
        self.memos = MemoRepository(session)
        self.events = EventRepository(session)
        self.rounds = RoundRepository(session)
        self.accounts = AccountRepository(session)
        self.sets = SetRepository(session)
        self.framework = FrameworkRepository(session)
        self.deid = DeidRepository(session)
        self.identities = IdentityRepository(session)
        self.rights = RightsRepository(session)
        self.embeddings = EmbeddingRepository(session)
        self.suggestions = SuggestionRepository(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None
        if isinstance(exc, IntegrityError):
            raise ConflictError(conflict_message(exc)) from exc
        if isinstance(exc, DBAPIError):
            if is_busy(exc):
                raise StorageError(busy_message(exc)) from exc
            raise StorageError(f"the database refused the change: {first_line(exc)}") from exc

    def commit(self) -> None:
        assert self._session is not None, "commit() outside a `with UnitOfWork(...)` block"
        try:
            self._session.commit()
        except IntegrityError as exc:
            raise ConflictError(conflict_message(exc)) from exc
        finally:
            self.events.transaction_ended()

    def counts(self, study_id: StudyId) -> dict[str, int]:
        assert self._session is not None
        return count_rows(self._session, study_id)
