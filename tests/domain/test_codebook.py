from __future__ import annotations

import uuid

import pytest

from thematica.domain.codebook import Code, Codebook, parse_path
from thematica.domain.ids import CodeId, StudyId
from thematica.errors import ConflictError, InvalidInputError, NotFoundError

STUDY = StudyId(uuid.uuid4())


def code(name: str, parent: Code | None = None, position: int = 0) -> Code:
    return Code(CodeId(uuid.uuid4()), STUDY, name, parent.id if parent else None, position=position)


@pytest.fixture
def tree() -> tuple[Codebook, Code, Code, Code]:
    theme = code("Support")
    sub = code("Peer supervision", theme)
    other = code("Funding", position=1)
    return Codebook([sub, other, theme]), theme, sub, other


def test_paths_find_and_iterate_parents_first(tree: tuple[Codebook, Code, Code, Code]) -> None:
    book, theme, sub, other = tree
    assert book.path_text(sub.id) == "Support > Peer supervision"
    assert book.find("support > peer SUPERVISION") == sub
    assert book.find(("Funding",)) == other
    assert [c.name for c in book] == ["Support", "Peer supervision", "Funding"]
    assert book.depth(sub.id) == 1
    assert book.descendants(theme.id) == [sub]


def test_missing_path_is_not_found(tree: tuple[Codebook, Code, Code, Code]) -> None:
    with pytest.raises(NotFoundError, match="Support > Training"):
        tree[0].find("Support > Training")


def test_sibling_names_must_differ_case_insensitively(
    tree: tuple[Codebook, Code, Code, Code],
) -> None:
    book, theme, _, _ = tree
    with pytest.raises(ConflictError, match="already exists under the same parent"):
        book.with_code(code("peer SUPERVISION", theme))
    book.with_code(code("Peer supervision"))  # same name elsewhere in the tree is fine


def test_no_cycles(tree: tuple[Codebook, Code, Code, Code]) -> None:
    book, theme, sub, _ = tree
    from dataclasses import replace

    with pytest.raises(ConflictError, match="inside itself"):
        book.with_code(replace(theme, parent_id=sub.id))
    with pytest.raises(ConflictError, match="inside itself"):
        book.with_code(replace(theme, parent_id=theme.id))


def test_parent_must_exist(tree: tuple[Codebook, Code, Code, Code]) -> None:
    with pytest.raises(NotFoundError):
        tree[0].with_code(Code(CodeId(uuid.uuid4()), STUDY, "X", CodeId(uuid.uuid4())))


def test_code_field_rules() -> None:
    with pytest.raises(InvalidInputError):
        code("  ")
    with pytest.raises(InvalidInputError, match="cannot contain '>'"):
        code("A > B")
    with pytest.raises(InvalidInputError, match="#RRGGBB"):
        Code(CodeId(uuid.uuid4()), STUDY, "A", colour="red")


def test_parse_path_separators() -> None:
    assert parse_path("A > B > C") == ("A", "B", "C")
    assert parse_path("A/B") == ("A", "B")
    with pytest.raises(InvalidInputError):
        parse_path("A >> ")
