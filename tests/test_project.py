"""Project-wide promises: layers hold, each layer says its import rule, docs are current."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LAYERS = [
    "domain",
    "analysis",
    "interchange",
    "deid",
    "assist",
    "storage",
    "services",
    "reports",
    "web",
    "cli",
]


def test_import_contracts_hold() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is installed by `make test`"
    result = subprocess.run([lint], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Contracts: 3 kept, 0 broken" in result.stdout


@pytest.mark.parametrize("layer", LAYERS)
def test_every_layer_states_its_import_rule(layer: str) -> None:
    readme = REPO / "src" / "thematica" / layer / "README.md"
    assert readme.is_file(), f"{layer} needs a README saying what it may import"
    assert "May import" in readme.read_text(encoding="utf-8")


def test_cli_reference_is_current() -> None:
    from thematica.cli.reference import render

    current = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/cli.md is stale: python -m thematica.cli.reference > docs/cli.md"
    )


def test_errors_module_documents_every_error() -> None:
    import thematica.errors as errors

    doc = errors.__doc__ or ""
    for name in errors.__all__:
        assert name in doc, f"{name} is missing from the tree drawn in thematica.errors"


def test_domain_imports_only_the_standard_library() -> None:
    """Belt and braces beside import-linter: import the domain in a fresh interpreter and check
    that nothing third-party came along."""
    probe = (
        "import sys, thematica.domain.study, thematica.domain.codebook, thematica.domain.codings,"
        " thematica.domain.memos, thematica.domain.events, thematica.domain.text\n"
        "bad = [m for m in ('sqlalchemy', 'numpy', 'pandas', 'click', 'rich')\n"
        "       if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_packaging_promises() -> None:
    """The licence the metadata names is the file shipped; pandas and test-only libraries stay
    out of what a plain install pulls in; every runtime dependency stops before a major release."""
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    meta = project["project"]
    assert meta["license"] == "MIT" and meta["license-files"] == ["LICENSE"]
    assert (REPO / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert any(r.startswith("setuptools>=77") for r in project["build-system"]["requires"])
    names = [re.split(r"[<>=\[ ]", d)[0] for d in meta["dependencies"]]
    assert "pandas" not in names
    for dependency in meta["dependencies"]:
        assert "<" in dependency, f"{dependency} has no upper bound"
    test_only = {"python-docx", "odfpy", "reportlab", "pytest", "hypothesis"}
    extras = meta["optional-dependencies"]
    assert not {re.split(r"[<>=\[ ]", d)[0] for d in extras["docx"] + extras["pdf"]} & test_only
    assert extras["pandas"][0].startswith("pandas")
