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

    # A second import of the same project is a second study (its GUIDs kept for export); the
    # same name again is refused in one line naming the file.
    code, out, err = run(capsys, "--db", db, "project", "import", str(sample), "--name", "Again")
    assert code == 0 and "as study 'Again'" in out and "an export writes the original" in out
    code, _, err = run(capsys, "--db", db, "project", "import", str(sample), "--name", "Again")
    assert code == 4 and f"{sample}: a study named 'Again' already exists" in err


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
    code, out, err = run(
        capsys, "--db", db, "project", "import", str(renamed), "--from", "taguette", "--name", "B"
    )
    assert code == 0 and "(Taguette) as study 'B'" in out


def test_the_kinds_offered_are_the_kinds_the_service_reads() -> None:
    from thematica.cli.project_commands import project_export, project_import
    from thematica.services.projects import EXPORT_TARGETS, PROJECT_KINDS

    (option,) = [p for p in project_import.params if p.name == "kind"]
    assert tuple(option.type.choices) == PROJECT_KINDS  # type: ignore[attr-defined]
    (option,) = [p for p in project_export.params if p.name == "target"]
    assert tuple(option.type.choices) == tuple(EXPORT_TARGETS)  # type: ignore[attr-defined]


NVIVO = "refi-qda/nvivo12mac_OltasSzkepticizmus_17June.qdpx"


def test_who_coded_is_chosen_and_the_selection_creator_is_listed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.interchange.refi.builders import USER, guid, one_source_project, write_archive

    # A fictional project whose selection is Sam's and whose coding is Robin's.
    qde = (
        one_source_project(4, 7)
        .replace(
            f'startPosition="4" endPosition="7" creatingUser="{USER}"',
            f'startPosition="4" endPosition="7" creatingUser="{guid(99)}"',
        )
        .replace("</Users>", f'<User guid="{guid(99)}" name="Sam"/></Users>')
    )
    from tests.interchange.refi.builders import SOURCE

    path = write_archive(
        tmp_path / "two.qdpx", {"project.qde": qde, f"sources/{SOURCE}.txt": "The pay is poor."}
    )
    db = str(tmp_path / "w.db")
    code, out, err = run(capsys, "--db", db, "project", "import", str(path))
    assert code == 0, err
    assert "who coded: on 1 coding(s)" in out and "'Sam' on 1 (the coding says" in out
    code, out, err = run(capsys, "--db", db, "--json", "codings", "list")
    (row,) = json.loads(out)
    assert (row["coder"], row["selected_by"], row["text"]) == ("Sam", "Sam", "pay")
    code, out, err = run(
        capsys, "--db", db, "project", "import", str(path), "--name", "B", "--coder-from", "coding"
    )
    assert code == 0, err
    code, out, err = run(capsys, "--db", db, "--study", "B", "codings", "list")
    assert "selected by" in out
    (line,) = [x for x in out.splitlines() if "pay" in x]
    cells = [c.strip() for c in line.split("│") if c.strip()]
    assert cells[4:6] == ["Robin", "Sam"]  # after id, document, span, code: coder, selected by


def test_project_export_for_a_tool_and_import_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = require_shared() / NVIVO
    db = str(tmp_path / "n.db")
    code, out, err = run(
        capsys, "--db", db, "project", "import", str(sample), "--max-source-mb", "0.5"
    )
    assert code == 2 and "over the limit of 524,288 for one source" in err
    code, out, err = run(capsys, "--db", db, "project", "import", str(sample))
    assert code == 0 and "positions: read as UTF-16 code units" in out
    other = ["--db", str(tmp_path / "other.db"), "project", "import", str(sample)]
    code, out, err = run(capsys, *other, "--positions", "code-points")
    assert code == 0 and "positions: read as code points (given by the caller)" in out
    out_file = tmp_path / "q.qdpx"
    code, out, err = run(
        capsys, "--db", db, "project", "export", str(out_file), "--for", "qualcoder"
    )
    assert code == 0 and "positions in code points" in out
    code, out, err = run(capsys, "--db", db, "project", "export", str(out_file))
    assert code == 0 and "positions in UTF-16 units" in out and "--for qualcoder" in out


def test_codebook_import_from_a_spreadsheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Kód", "Leírás"], ["Támogatás > Társ", "Egy társ segít (fictional)"]):
        sheet.append(row)
    book.save(tmp_path / "codes.xlsx")
    db = str(tmp_path / "c.db")
    assert run(capsys, "--db", db, "init", "Study")[0] == 0
    args = ["--db", db, "codebook", "import", str(tmp_path / "codes.xlsx")]
    code, _, err = run(capsys, *args)
    assert code == 2 and "--path-column" in err
    code, out, err = run(capsys, *args, "--path-column", "Kód", "--description-column", "Leírás")
    assert code == 0, err
    assert "2 codes added" in out
