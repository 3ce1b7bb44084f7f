"""The CLI reference (docs/cli.md), generated from the commands' own ``--help``.

``python -m thematica.cli.reference > docs/cli.md`` writes it; a test fails when the file and the
commands disagree, so the reference cannot go stale.
"""

from __future__ import annotations

import click

from thematica.cli.app import cli


def _walk(
    command: click.Command, context: click.Context
) -> list[tuple[click.Context, click.Command]]:
    """Every command with a context chained to its parents', as a real invocation has, so that
    settings such as ``-h`` for help are inherited exactly as users see them."""
    found = [(context, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            child = command.commands[name]
            found += _walk(child, click.Context(child, info_name=name, parent=context))
    return found


def render() -> str:
    from thematica.cli import commands  # noqa: F401  (registers the commands)

    parts = [
        "# `thematica` command reference",
        "",
        "Generated from the commands' `--help` by `python -m thematica.cli.reference`; "
        "`make test` checks that it is current.",
        "",
    ]
    root = click.Context(cli, info_name="thematica", terminal_width=100, **cli.context_settings)
    for context, command in _walk(cli, root):
        help_text = command.get_help(context).rstrip()
        parts += [f"## `{context.command_path}`", "", "```", help_text, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
