"""``thematica users add|passwd|disable|list|role``: accounts for ``thematica serve --team``."""

from __future__ import annotations

import sys

import click

from thematica.cli.app import cli, common_options
from thematica.cli.output import Options, emit, table

_STDIN_HELP = "Read the password from the first line of standard input (for scripts)."


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    value: str = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return value


@cli.group()
def users() -> None:
    """Accounts that sign in to the team workspace (`thematica serve --team`)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["owner", "coder", "viewer"]), help="Role in --study.")
@click.option("--password-stdin", is_flag=True, help=_STDIN_HELP)
@common_options
@click.pass_obj
def add(options: Options, name: str, role: str | None, password_stdin: bool) -> None:
    """Add the account NAME (with --study and --role, a member of that study)."""
    from thematica.services.accounts import add_account
    from thematica.services.scope import open_db

    if (role is None) != (options.study is None):
        raise click.UsageError("give --study and --role together")
    account = add_account(
        open_db(options.db), name, _password(password_stdin), study=options.study, role=role
    )
    emit(
        options,
        {"name": account.name, "study": options.study, "role": role},
        lambda: click.echo(
            f"Added account {account.name!r}"
            + (f" as {role} of {options.study!r}." if role else ".")
        ),
    )


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help=_STDIN_HELP)
@common_options
@click.pass_obj
def passwd(options: Options, name: str, password_stdin: bool) -> None:
    """Set a new password for NAME."""
    from thematica.services.accounts import set_password
    from thematica.services.scope import open_db

    set_password(open_db(options.db), name, _password(password_stdin))
    emit(options, {"name": name}, lambda: click.echo(f"Changed the password of {name!r}."))


@users.command("disable")
@click.argument("name")
@common_options
@click.pass_obj
def disable(options: Options, name: str) -> None:
    """Stop NAME from signing in (their codings and history stay)."""
    from thematica.services.accounts import disable_account
    from thematica.services.scope import open_db

    disable_account(open_db(options.db), name)
    emit(options, {"name": name, "disabled": True}, lambda: click.echo(f"Disabled {name!r}."))


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["owner", "coder", "viewer", "none"]))
@common_options
@click.pass_obj
def role_command(options: Options, name: str, role: str) -> None:
    """Give NAME a ROLE in --study (none: remove them from it)."""
    from thematica.services.accounts import set_role
    from thematica.services.scope import open_db

    if options.study is None:
        raise click.UsageError("name the study with --study")
    set_role(open_db(options.db), name, options.study, None if role == "none" else role)
    emit(
        options,
        {"name": name, "study": options.study, "role": role},
        lambda: click.echo(f"{name!r} is now {role} in {options.study!r}."),
    )


@users.command("list")
@common_options
@click.pass_obj
def list_users(options: Options) -> None:
    """List the accounts, their studies and roles."""
    from thematica.services.accounts import list_accounts
    from thematica.services.scope import open_db

    found = list_accounts(open_db(options.db))
    emit(
        options,
        found,
        lambda: table(
            ["Account", "Disabled", "Studies"],
            [
                [
                    a["name"],
                    "yes" if a["disabled"] else "",
                    ", ".join(f"{s} ({r})" for s, r in dict(a["studies"]).items()),  # type: ignore[call-overload]
                ]
                for a in found
            ],
        ),
    )
