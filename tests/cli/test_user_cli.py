"""``thematica users``: add, role, passwd, disable, list, through ``main`` as users run it."""

from __future__ import annotations

import io
import json

import pytest

from tests.cli.test_cli import dbfile, run  # noqa: F401  (dbfile is a fixture)
from thematica.services import accounts
from thematica.services.scope import open_db


def test_users_from_add_to_disable(
    dbfile: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a long passphrase\n"))
    code, out, err = run(
        capsys, "--db", dbfile, "--study", "CLI study", "users", "add", "cara", "--role",
        "coder", "--password-stdin",
    )  # fmt: skip
    assert code == 0, err
    assert "as coder of 'CLI study'" in out
    db = open_db(dbfile)
    assert accounts.sign_in(db, "cara", "a long passphrase", client="t", throttled=False)

    monkeypatch.setattr("sys.stdin", io.StringIO("another passphrase\n"))
    assert run(capsys, "--db", dbfile, "users", "passwd", "cara", "--password-stdin")[0] == 0
    assert accounts.sign_in(db, "cara", "another passphrase", client="t", throttled=False)

    code, out, _ = run(
        capsys, "--db", dbfile, "--study", "CLI study", "users", "role", "cara", "owner"
    )
    assert code == 0 and "now owner" in out
    assert run(capsys, "--db", dbfile, "users", "disable", "cara")[0] == 0
    code, out, _ = run(capsys, "--db", dbfile, "--json", "users", "list")
    assert json.loads(out) == [
        {
            "name": "cara",
            "disabled": True,
            "created_at": json.loads(out)[0]["created_at"],
            "studies": {"CLI study": "owner"},
        }
    ]


def test_a_short_password_is_one_clear_line(
    dbfile: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "--db", dbfile, "users", "add", "vi", "--password-stdin")
    assert code == 2 and err.strip() == "error: a password needs at least 12 characters"
    assert accounts.list_accounts(open_db(dbfile)) == []
