"""Identity when projects come in: GUIDs other studies hold, the same person in two studies,
who coded (selection or coding), tools that are not people, and nothing lost on the way out.

Every project here is fictional and built by the tests (see ``tests.services.test_projects``).
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import both_backends
from tests.services.study_picture import picture
from tests.services.test_projects import _guid, _project, _report
from thematica.errors import ConflictError
from thematica.interchange.refi import RefiCode, RefiProject, RefiUser, read_qdpx
from thematica.services.projects import export_project
from thematica.services.projects_import import import_refi_project
from thematica.services.scope import study_scope
from thematica.storage import Database

NS = "{urn:QDA-XML:project:1.0}"


def _guids(path: Path) -> dict[str, set[str]]:
    """Every GUID the exported project.qde gives each kind of element."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    found: dict[str, set[str]] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.get("guid"):
            found.setdefault(el.tag.removeprefix(NS), set()).add(el.get("guid"))
    return found


def _ids(db: Database, study: str) -> dict[str, set[uuid.UUID]]:
    with study_scope(db, study) as (uow, found):
        return {
            "coders": {c.id for c in uow.coders.all(found.id)},
            "codes": {c.id for c in uow.codes.codebook(found.id)},
            "documents": {d.id for d in uow.documents.all(found.id)},
            "codings": {c.id for c in uow.codings.all(found.id)},
        }


@both_backends
def test_the_same_project_twice_is_two_studies_and_exports_the_same_guids(
    db: Database, tmp_path: Path
) -> None:
    project = _project()
    first = import_refi_project(db, project, _report(project), actor="tester")
    second = import_refi_project(db, project, _report(project), name="Copy", actor="tester")
    assert second.imported == first.imported
    assert picture(db, "Copy") == picture(db, first.study)
    # Nothing is shared between the studies: every entity has an id of its own here ...
    ours, theirs = _ids(db, first.study), _ids(db, "Copy")
    for kind in ours:
        assert ours[kind] and not ours[kind] & theirs[kind], kind
    notices = "\n".join(second.notices)
    assert "2 user(s), 2 code(s), 1 source(s), 2 coding(s)" in notices
    assert "the same user GUID is the same person: 'Robin', 'Sam'" in notices
    # ... and both export the tool's own GUIDs.
    export_project(db, tmp_path / "one.qdpx", study=first.study)
    export_project(db, tmp_path / "two.qdpx", study="Copy")
    assert _guids(tmp_path / "two.qdpx") == _guids(tmp_path / "one.qdpx")
    assert _guid(1) in _guids(tmp_path / "two.qdpx")["User"]
    assert _guid(42) in _guids(tmp_path / "two.qdpx")["Coding"]


def test_two_projects_from_one_tool_share_users_and_codes(db: Database, tmp_path: Path) -> None:
    one = _project()
    source = replace(one.sources[0], guid=_guid(140), name="Interview 2")
    two = replace(one, name="Second", sources=(source,), cases=(), sets=(), notes=())
    import_refi_project(db, one, _report(one), actor="tester")
    result = import_refi_project(db, two, _report(two), actor="tester")
    assert result.imported["codings"] == 2
    notices = "\n".join(result.notices)
    assert "2 user(s), 2 code(s), 2 coding(s) of this project" in notices
    export_project(db, tmp_path / "two.qdpx", study="Second")
    written = _guids(tmp_path / "two.qdpx")
    assert written["User"] == {_guid(1), _guid(2)}
    assert written["Code"] == {_guid(10), _guid(11)}
    assert written["TextSource"] == {_guid(140)}  # its own GUID: no other study had it


def test_a_study_name_clash_is_one_line_naming_the_file(db: Database) -> None:
    project = _project()
    import_refi_project(db, project, _report(project), actor="tester")
    with pytest.raises(ConflictError) as caught:
        import_refi_project(db, project, _report(project), actor="tester")
    message = str(caught.value)
    assert message.startswith("small.qdpx: a study named 'Small' already exists")
    assert "\n" not in message


def _coders_of(db: Database, study: str) -> set[tuple[str, str]]:
    return {(c[3], c[4]) for c in picture(db, study)["codings"]}


def test_coder_from_the_coding_and_both_users_are_kept(db: Database, tmp_path: Path) -> None:
    project = _project()
    result = import_refi_project(db, project, _report(project), actor="t", coder_from="coding")
    assert ("Support > Peer supervision", "Robin") in _coders_of(db, "Small")
    assert any("the coder is the coding's user (--coder-from coding)" in n for n in result.notices)
    # Either way, an export writes the selection's user and the coding's user as they were.
    other = import_refi_project(db, project, _report(project), name="B", actor="t")
    assert ("Support > Peer supervision", "Sam") in _coders_of(db, "B")
    for study, out in (("Small", "a.qdpx"), ("B", "b.qdpx")):
        export_project(db, tmp_path / out, study=study)
        back, _ = read_qdpx(tmp_path / out)
        selection = next(x for x in back.sources[0].selections if x.guid == _guid(41))
        assert selection.creating_user == _guid(2)
        users = {c.guid: c.creating_user for c in selection.codings}
        assert users == {_guid(42): _guid(1), _guid(43): _guid(2)}, study
    assert other.imported["codings"] == 2


def test_the_tool_itself_is_not_a_coder(db: Database) -> None:
    tool = RefiUser(_guid(9), "NVivo")
    project = _project(origin="NVivo 12 (Windows)", users=(*_project().users, tool))
    source = project.sources[0]
    first = source.selections[0]
    codings = (first.codings[0], replace(first.codings[1], creating_user=_guid(2)))
    selection = replace(first, creating_user=_guid(9), codings=codings)
    project = replace(
        project, sources=(replace(source, selections=(selection, *source.selections[1:])),)
    )
    result = import_refi_project(db, project, _report(project), actor="tester")
    assert result.imported["coders"] == 2
    assert picture(db)["coders"] == ["Robin", "Sam"]
    # The selection's user is the tool: the coding's own user codes it.
    assert ("Support > Peer supervision", "Robin") in _coders_of(db, "Small")
    assert any("'NVivo' name the tool, not a person" in n for n in result.notices)


def test_nothing_refi_carries_is_lost_on_export(db: Database, tmp_path: Path) -> None:
    when = datetime(2025, 6, 16, 17, 13, 37, tzinfo=UTC)
    base = _project()
    source = base.sources[0]
    selection = replace(
        source.selections[0], name="Supervision quote", modifying_user=_guid(1), modified_date=when
    )
    project: RefiProject = replace(
        base,
        users=(RefiUser(_guid(1), "Robin", "RB"), RefiUser(_guid(2), "Sam", "SM")),
        sources=(
            replace(
                source,
                selections=(selection, *source.selections[1:]),
                modifying_user=_guid(2),
                modified_date=when,
            ),
        ),
    )
    assert not project.codes[0].is_codable and project.codes[0].children[0].is_codable
    import_refi_project(db, project, _report(project), actor="tester")
    out = tmp_path / "out.qdpx"
    export_project(db, out)
    back, _ = read_qdpx(out)
    assert {(u.guid, u.name, u.user_id) for u in back.users} == {
        (_guid(1), "Robin", "RB"),
        (_guid(2), "Sam", "SM"),
    }
    codes: list[RefiCode] = [c for c, _ in back.all_codes()]
    assert [(c.guid, c.is_codable) for c in codes] == [(_guid(10), False), (_guid(11), True)]
    got = next(x for x in back.sources[0].selections if x.guid == _guid(41))
    assert (got.name, got.modifying_user, got.modified_date) == (
        "Supervision quote",
        _guid(1),
        when,
    )
    assert (back.sources[0].modifying_user, back.sources[0].modified_date) == (_guid(2), when)
