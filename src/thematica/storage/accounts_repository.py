"""Web accounts, their study memberships and the sign-in audit trail."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from thematica.domain.actors import Account, Role, SignIn
from thematica.domain.ids import StudyId
from thematica.storage.repositories import aware
from thematica.storage.schema import AccountRow, MembershipRow, SignInRow

__all__ = ["AccountRepository"]


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, name: str) -> Account | None:
        row = self.session.get(AccountRow, name)
        if row is None:
            return None
        return Account(row.name, row.password_hash, aware(row.created_at), row.disabled)

    def all(self) -> list[Account]:
        rows = self.session.scalars(select(AccountRow).order_by(AccountRow.name))
        return [Account(r.name, r.password_hash, aware(r.created_at), r.disabled) for r in rows]

    def save(self, account: Account) -> None:
        row = self.session.get(AccountRow, account.name)
        if row is None:
            row = AccountRow(name=account.name)
            self.session.add(row)
        row.password_hash = account.password_hash
        row.disabled = account.disabled
        row.created_at = account.created_at
        self.session.flush()

    def set_role(self, name: str, study: StudyId, role: Role | None) -> None:
        """Give ``name`` ``role`` in ``study``; ``None`` ends the membership."""
        self.session.execute(
            delete(MembershipRow).where(
                MembershipRow.account == name, MembershipRow.study_id == study
            )
        )
        if role is not None:
            self.session.add(MembershipRow(account=name, study_id=study, role=role.value))
        self.session.flush()

    def role(self, name: str, study: StudyId) -> Role | None:
        row = self.session.get(MembershipRow, (name, study))
        return Role(row.role) if row is not None else None

    def memberships(self, name: str) -> dict[StudyId, Role]:
        rows = self.session.scalars(select(MembershipRow).where(MembershipRow.account == name))
        return {StudyId(r.study_id): Role(r.role) for r in rows}

    def record_sign_in(self, attempt: SignIn) -> None:
        self.session.add(
            SignInRow(
                at=attempt.at,
                account=attempt.account[:200],
                client=attempt.client[:100],
                outcome=attempt.outcome,
            )
        )
        self.session.flush()

    def sign_ins(self, name: str | None = None) -> list[SignIn]:
        query = select(SignInRow).order_by(SignInRow.sequence)
        if name is not None:
            query = query.where(SignInRow.account == name)
        return [
            SignIn(aware(r.at), r.account, r.client, r.outcome) for r in self.session.scalars(query)
        ]
