"""The shared vocabularies: one definition that every layer reads, so none can drift."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from thematica.domain import vocab
from thematica.domain.codings import Valence


def test_every_layer_offers_exactly_the_vocabulary() -> None:
    from thematica.analysis._coincidence import LEVELS
    from thematica.analysis.unitised import KEEP_CHOICES, UNCODED_CHOICES
    from thematica.interchange.reliability_csv import LAYOUTS
    from thematica.reports.formats import FORMATS
    from thematica.services.agreement import BY_CHOICES, STATISTICS
    from thematica.services.codebook import TEMPLATES
    from thematica.services.projects import EXPORT_TARGETS, PROJECT_KINDS

    assert tuple(STATISTICS) == vocab.STATISTICS
    assert BY_CHOICES == vocab.BYS
    assert LEVELS == vocab.LEVELS
    assert KEEP_CHOICES == vocab.DOCUMENTS
    assert UNCODED_CHOICES == vocab.UNCODED
    assert LAYOUTS == vocab.LAYOUTS
    assert tuple(FORMATS) == vocab.REPORT_FORMATS
    assert TEMPLATES == vocab.TEMPLATES
    assert PROJECT_KINDS == vocab.PROJECT_KINDS
    assert tuple(EXPORT_TARGETS) == vocab.EXPORT_TARGETS
    assert tuple(v.value for v in Valence) == vocab.VALENCES


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        ("statistic", vocab.STATISTICS),
        ("unit", vocab.UNITS),
        ("level", vocab.LEVELS),
        ("by", vocab.BYS),
        ("documents", vocab.DOCUMENTS),
        ("uncoded", vocab.UNCODED),
        ("layout", vocab.LAYOUTS),
    ],
)
def test_the_agreement_command_offers_the_vocabulary_case_insensitively(
    option: str, expected: tuple[str, ...]
) -> None:
    from thematica.cli import commands  # noqa: F401  (registers the commands)
    from thematica.cli.app import cli

    command = cli.commands["agreement"]
    param = next(p for p in command.params if p.name == option)
    assert isinstance(param.type, click.Choice)
    assert tuple(param.type.choices) == expected
    assert param.type.case_sensitive is False


def test_the_vocabulary_is_standard_library_only() -> None:
    code = (
        "import sys, thematica.domain.vocab; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'click', 'rich', 'sqlalchemy', 'numpy', 'pandas'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
