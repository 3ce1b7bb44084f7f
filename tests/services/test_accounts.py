"""Team accounts: argon2 hashes, roles per study, disabling, and the sign-in audit trail."""

from __future__ import annotations

import pytest

from tests.conftest import both_backends
from thematica.domain.actors import Role
from thematica.errors import ConflictError, InvalidInputError, NotFoundError
from thematica.services import accounts
from thematica.storage import Database

PASSWORD = "correct horse battery"


@both_backends
def test_add_sign_in_and_the_audit_trail(db: Database, study: str) -> None:
    account = accounts.add_account(db, "cara", PASSWORD, study=study, role="coder")
    assert account.password_hash.startswith("$argon2id$") and PASSWORD not in account.password_hash
    assert accounts.role_in(db, "cara", study) is Role.CODER
    assert accounts.sign_in(db, "cara", PASSWORD, client="10.0.0.1", throttled=False)
    assert not accounts.sign_in(db, "cara", "wrong password!!", client="10.0.0.1", throttled=False)
    assert not accounts.sign_in(db, "nobody", PASSWORD, client="10.0.0.2", throttled=False)
    assert not accounts.sign_in(db, "cara", PASSWORD, client="10.0.0.3", throttled=True)
    trail = [(s.account, s.client, s.outcome) for s in accounts.sign_ins(db)]
    assert trail == [
        ("cara", "10.0.0.1", "ok"),
        ("cara", "10.0.0.1", "wrong-password"),
        ("nobody", "10.0.0.2", "unknown"),
        ("cara", "10.0.0.3", "throttled"),
    ]


def test_passwords_change_and_disabled_accounts_cannot_sign_in(db: Database, study: str) -> None:
    accounts.add_account(db, "olu", PASSWORD, study=study, role="owner")
    accounts.set_password(db, "olu", "a brand new passphrase")
    assert not accounts.sign_in(db, "olu", PASSWORD, client="c", throttled=False)
    assert accounts.sign_in(db, "olu", "a brand new passphrase", client="c", throttled=False)
    accounts.disable_account(db, "olu")
    assert not accounts.sign_in(db, "olu", "a brand new passphrase", client="c", throttled=False)
    assert accounts.role_in(db, "olu", study) is None
    assert accounts.sign_ins(db, "olu")[-1].outcome == "disabled"
    [listed] = accounts.list_accounts(db)
    assert listed["disabled"] is True and listed["studies"] == {study: "owner"}


def test_bad_input_is_refused_and_changes_nothing(db: Database, study: str) -> None:
    with pytest.raises(InvalidInputError, match="at least 12 characters"):
        accounts.add_account(db, "vi", "short")
    with pytest.raises(InvalidInputError, match="role must be one of"):
        accounts.add_account(db, "vi", PASSWORD, study=study, role="admin")
    assert accounts.list_accounts(db) == []  # the failed add left no account behind
    accounts.add_account(db, "vi", PASSWORD)
    with pytest.raises(ConflictError):
        accounts.add_account(db, "vi", PASSWORD)
    with pytest.raises(NotFoundError):
        accounts.set_role(db, "ghost", study, "viewer")
    accounts.set_role(db, "vi", study, "viewer")
    assert accounts.role_in(db, "vi", study) is Role.VIEWER
    accounts.set_role(db, "vi", study, None)
    assert accounts.role_in(db, "vi", study) is None
