"""`thematica project import|export` and the codebook's exchange formats, through ``main``."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
import xmlschema

from tests.cli.test_cli import run
from tests.conftest import require_shared
from tests.interchange.refi.builders import codebook_xsd, project_xsd

QC = "refi-qda/qc132_demo_interview_and_board_meeting.qdpx"


def test_project_import_then_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "new.db")  # does not exist yet: import creates it
    sample = require_shared() / QC
    code, out, err = run(capsys, "--db", db, "--json", "project", "import", str(sample))
    assert code == 0, err
    summary = json.loads(out)
    assert summary["study"] == "qc project"
    assert summary["imported"]["codings"] == 205 and summary["imported"]["codes"] == 262
    assert summary["complete"] is True
    assert any("without creatingUser" in n for n in summary["notices"])

    code, out, err = run(capsys, "--db", db, "project", "export", str(tmp_path / "out.qdpx"))
    assert code == 0, err
    assert "205 codings" in out
    with zipfile.ZipFile(tmp_path / "out.qdpx") as zf:
        xmlschema.XMLSchema(project_xsd()).validate(zf.read("project.qde").decode("utf-8"))

    # A second import of the same project into the same database is refused, and says why.
    code, _, err = run(capsys, "--db", db, "project", "import", str(sample), "--name", "Again")
    assert code == 4 and "already in the database" in err


def test_project_import_prints_what_was_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = require_shared() / "refi-qda/nvivo12mac_OltasSzkepticizmus_17June.qdpx"
    db = str(tmp_path / "n.db")
    code, out, err = run(capsys, "--db", db, "project", "import", str(sample), "--name", "NV")
    assert code == 0, err
    assert "as study 'NV'" in out
    assert "not imported: 1 archive member, 2 richTextPath" in out


def test_project_import_refuses_what_it_cannot_recognise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "project.zip"
    other.write_bytes(b"not a project")
    code, _, err = run(capsys, "--db", str(tmp_path / "x.db"), "project", "import", str(other))
    assert code == 2 and "--from" in err
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"not a zip")
    code, _, err = run(capsys, "--db", str(tmp_path / "x.db"), "project", "import", str(broken))
    assert code == 2 and "broken.qdpx" in err


def test_a_failed_import_into_a_new_database_leaves_no_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"not a zip")
    target = tmp_path / "new.db"
    code, _, err = run(capsys, "--db", str(target), "project", "import", str(broken))
    assert code == 2 and "broken.qdpx" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.qdpx"]


def test_a_failed_import_into_an_existing_database_keeps_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "kept.db"
    code, _, err = run(capsys, "--db", str(target), "init", "Kept study")
    assert code == 0, err
    broken = tmp_path / "broken.qdpx"
    broken.write_bytes(b"not a zip")
    code, _, err = run(capsys, "--db", str(target), "project", "import", str(broken))
    assert code == 2
    code, out, err = run(capsys, "--db", str(target), "--json", "stats")
    assert code == 0, err
    assert json.loads(out)["study"] == "Kept study"


@pytest.mark.parametrize("suffix", [".qdc", ".txt", ".csv"])
def test_codebook_export_and_import_in_each_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    source, target = str(tmp_path / "a.db"), str(tmp_path / "b.db")
    assert run(capsys, "--db", source, "init", "A", "--template", "peer-support")[0] == 0
    assert run(capsys, "--db", target, "init", "B")[0] == 0
    out = tmp_path / f"codes{suffix}"
    code, printed, err = run(capsys, "--db", source, "codebook", "export", str(out))
    assert code == 0, err
    if suffix == ".qdc":
        xmlschema.XMLSchema(codebook_xsd()).validate(out.read_text(encoding="utf-8"))
    code, printed, err = run(capsys, "--db", target, "--json", "codebook", "import", str(out))
    assert code == 0, err
    assert json.loads(printed)["added"] == 15
    _, first, _ = run(capsys, "--db", source, "--json", "codebook", "list")
    _, second, _ = run(capsys, "--db", target, "--json", "codebook", "list")
    paths = [c["path"] for c in json.loads(first)]
    assert [c["path"] for c in json.loads(second)] == paths
    if suffix != ".txt":  # the plain list carries definitions, not colours
        assert json.loads(second) == json.loads(first)


def test_peer_projects_are_recognised_by_their_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.interchange.peer_databases import qualcoder_project, taguette_database

    db = str(tmp_path / "peers.db")
    folder = qualcoder_project(tmp_path / "peer.qda")
    code, out, err = run(capsys, "--db", db, "--json", "project", "import", str(folder))
    assert code == 0, err
    assert json.loads(out)["kind"] == "qualcoder"
    taguette = taguette_database(tmp_path / "taguette.sqlite3")
    code, out, err = run(
        capsys, "--db", db, "project", "import", str(taguette), "--project", "Peer study"
    )
    assert code == 0, err
    assert "(Taguette) as study 'Peer study'" in out
    # Named explicitly, a file with another name is read as that kind.
    renamed = tmp_path / "backup.bin"
    renamed.write_bytes(taguette.read_bytes())
    code, _, err = run(
        capsys, "--db", db, "project", "import", str(renamed), "--from", "taguette", "--name", "B"
    )
    assert code == 4 and "already in the database" in err


def test_the_kinds_offered_are_the_kinds_the_service_reads() -> None:
    from thematica.cli.project_commands import project_import
    from thematica.services.projects import PROJECT_KINDS

    (option,) = [p for p in project_import.params if p.name == "kind"]
    assert tuple(option.type.choices) == PROJECT_KINDS  # type: ignore[attr-defined]
