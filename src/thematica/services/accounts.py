"""Accounts for the team workspace: add, change password, disable, list, give roles, sign in.

Passwords are kept only as argon2id hashes (argon2-cffi, the ``web`` extra). Every sign-in attempt,
good or bad, goes to the audit trail (``sign_ins``), which has no update or delete.
"""

from __future__ import annotations

from dataclasses import replace

from thematica.domain.actors import Account, Role, SignIn
from thematica.domain.events import utcnow
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services.scope import find_study
from thematica.storage import Database, UnitOfWork

__all__ = [
    "MIN_PASSWORD",
    "add_account",
    "disable_account",
    "list_accounts",
    "role_in",
    "set_password",
    "set_role",
    "sign_in",
    "sign_ins",
]

MIN_PASSWORD = 12


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"a password needs at least {MIN_PASSWORD} characters")
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def _account(uow: UnitOfWork, name: str) -> Account:
    account = uow.accounts.get(name)
    if account is None:
        raise NotFoundError(f"no account named {name!r}")
    return account


def add_account(
    db: Database, name: str, password: str, *, study: str | None = None, role: str | None = None
) -> Account:
    """Add an account; with ``study`` and ``role``, make it a member of that study."""
    with UnitOfWork(db) as uow:
        if uow.accounts.get(name.strip()) is not None:
            raise ConflictError(f"an account named {name.strip()!r} already exists")
        account = Account(name.strip(), _hash(password), utcnow())
        uow.accounts.save(account)
        if study is not None:
            uow.accounts.set_role(account.name, find_study(uow, study).id, Role.parse(role or ""))
        uow.commit()
    return account


def set_password(db: Database, name: str, password: str) -> None:
    with UnitOfWork(db) as uow:
        uow.accounts.save(replace(_account(uow, name), password_hash=_hash(password)))
        uow.commit()


def disable_account(db: Database, name: str) -> None:
    """Disable an account: it can no longer sign in (its history stays)."""
    with UnitOfWork(db) as uow:
        uow.accounts.save(replace(_account(uow, name), disabled=True))
        uow.commit()


def set_role(db: Database, name: str, study: str, role: str | None) -> None:
    """Give an account a role in a study (``None``: remove it from the study)."""
    with UnitOfWork(db) as uow:
        _account(uow, name)
        parsed = Role.parse(role) if role else None
        uow.accounts.set_role(name, find_study(uow, study).id, parsed)
        uow.commit()


def list_accounts(db: Database) -> list[dict[str, object]]:
    with UnitOfWork(db) as uow:
        names = {s.id: s.name for s in uow.studies.all()}
        return [
            {
                "name": a.name,
                "disabled": a.disabled,
                "created_at": a.created_at.isoformat(),
                "studies": {
                    names[study]: role.value
                    for study, role in uow.accounts.memberships(a.name).items()
                },
            }
            for a in uow.accounts.all()
        ]


def role_in(db: Database, name: str, study: str) -> Role | None:
    """The account's role in the study; ``None`` for a non-member, a disabled account or an
    unknown study."""
    with UnitOfWork(db) as uow:
        account = uow.accounts.get(name)
        found = uow.studies.by_name(study)
        if account is None or account.disabled or found is None:
            return None
        return uow.accounts.role(name, found.id)


def sign_in(db: Database, name: str, password: str, *, client: str, throttled: bool) -> bool:
    """Check a password; record the attempt (``throttled``: refused before any check)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    with UnitOfWork(db) as uow:
        account = uow.accounts.get(name)
        if throttled:
            outcome = "throttled"
        elif account is None:
            PasswordHasher().hash(password)  # the same work as a real check: no timing oracle
            outcome = "unknown"
        elif account.disabled:
            outcome = "disabled"
        else:
            try:
                PasswordHasher().verify(account.password_hash, password)
                outcome = "ok"
            except (VerificationError, InvalidHashError):
                outcome = "wrong-password"
        uow.accounts.record_sign_in(SignIn(utcnow(), name, client, outcome))
        uow.commit()
    return outcome == "ok"


def sign_ins(db: Database, name: str | None = None) -> list[SignIn]:
    with UnitOfWork(db) as uow:
        return uow.accounts.sign_ins(name)
