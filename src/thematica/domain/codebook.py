"""Codes and the rules of the code tree.

Themes are codes with children. The tree must stay a tree (no cycles) and siblings must have
distinct names, so that a path such as ``Support > Peer supervision`` names exactly one code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from thematica.domain.ids import CodeId, StudyId
from thematica.domain.suggest import did_you_mean
from thematica.errors import ConflictError, InvalidInputError, NotFoundError

__all__ = ["PATH_SEPARATOR", "Code", "Codebook", "parse_path"]

#: How code paths are written: ``Theme > Sub-code``.
PATH_SEPARATOR = " > "
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


@dataclass(frozen=True, slots=True)
class Code:
    id: CodeId
    study_id: StudyId
    name: str
    parent_id: CodeId | None = None
    definition: str = ""
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    colour: str = ""
    position: int = 0

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("a code needs a name")
        if ">" in self.name:
            raise InvalidInputError(f"a code name cannot contain '>': {self.name!r}")
        if self.colour and not _COLOUR.match(self.colour):
            raise InvalidInputError(
                f"colour must look like #RRGGBB, not {self.colour!r}", element=self.name
            )


def parse_path(path: str) -> tuple[str, ...]:
    """Split a code path written with ``>`` (or ``/`` when there is no ``>``) into names."""
    separator = ">" if ">" in path else "/"
    parts = tuple(part.strip() for part in path.split(separator))
    if not parts or any(not part for part in parts):
        raise InvalidInputError(f"not a code path: {path!r}")
    return parts


class Codebook:
    """A read-only view of a study's codes that answers tree questions and checks changes."""

    def __init__(self, codes: Iterable[Code]) -> None:
        self._codes: dict[CodeId, Code] = {code.id: code for code in codes}
        self._children: dict[CodeId | None, list[Code]] = {}
        for code in self._codes.values():
            self._children.setdefault(code.parent_id, []).append(code)
        for siblings in self._children.values():
            siblings.sort(key=lambda c: (c.position, c.name.casefold()))

    def __len__(self) -> int:
        return len(self._codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._codes

    def __iter__(self) -> Iterator[Code]:
        """Codes depth-first, parents before children, siblings in order."""
        stack = list(reversed(self._children.get(None, [])))
        while stack:
            code = stack.pop()
            yield code
            stack.extend(reversed(self._children.get(code.id, [])))

    def get(self, code_id: CodeId) -> Code:
        try:
            return self._codes[code_id]
        except KeyError:
            raise NotFoundError(f"no code with id {code_id}") from None

    def children(self, code_id: CodeId | None) -> list[Code]:
        return list(self._children.get(code_id, []))

    def path(self, code_id: CodeId) -> tuple[str, ...]:
        names: list[str] = []
        current: CodeId | None = code_id
        while current is not None:
            code = self.get(current)
            names.append(code.name)
            current = code.parent_id
        return tuple(reversed(names))

    def path_text(self, code_id: CodeId) -> str:
        return PATH_SEPARATOR.join(self.path(code_id))

    def depth(self, code_id: CodeId) -> int:
        return len(self.path(code_id)) - 1

    def find(self, path: str | tuple[str, ...]) -> Code:
        """The code at ``path`` (``"Theme > Sub"`` or a tuple of names), case-insensitively."""
        names = parse_path(path) if isinstance(path, str) else path
        parent: CodeId | None = None
        found: Code | None = None
        for name in names:
            found = next(
                (c for c in self._children.get(parent, []) if c.name.casefold() == name.casefold()),
                None,
            )
            if found is None:
                raise NotFoundError(f"no code {PATH_SEPARATOR.join(names)!r} in the codebook")
            parent = found.id
        assert found is not None
        return found

    def lookup(self, path: str | tuple[str, ...]) -> Code:
        """The code a person names: its full path (as :meth:`find`) or, failing that, the end of
        its path when only one code's path ends that way (``Pay`` for ``Systemic > Pay``).

        Raises :class:`InvalidInputError` listing the candidates when several codes end that
        way, and :class:`NotFoundError` with the closest paths when none does.
        """
        names = parse_path(path) if isinstance(path, str) else path
        try:
            return self.find(names)
        except NotFoundError:
            pass
        folded = tuple(n.casefold() for n in names)
        candidates = [
            code
            for code in self
            if tuple(n.casefold() for n in self.path(code.id)[-len(folded) :]) == folded
        ]
        wanted = PATH_SEPARATOR.join(names)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listed = "; ".join(repr(self.path_text(c.id)) for c in candidates)
            raise InvalidInputError(f"code {wanted!r} is ambiguous: give the path of {listed}")
        known = [self.path_text(c.id) for c in self] + [c.name for c in self]
        raise NotFoundError(f"no code {wanted!r} in the codebook{did_you_mean(wanted, known)}")

    def descendants(self, code_id: CodeId) -> list[Code]:
        out: list[Code] = []
        stack = list(self._children.get(code_id, []))
        while stack:
            code = stack.pop()
            out.append(code)
            stack.extend(self._children.get(code.id, []))
        return out

    def check_new(self, code: Code) -> None:
        """Raise unless ``code`` can be added or updated without breaking the tree's rules."""
        if code.parent_id is not None and code.parent_id not in self._codes:
            raise NotFoundError(f"parent of code {code.name!r} does not exist")
        for sibling in self._children.get(code.parent_id, []):
            if sibling.id != code.id and sibling.name.casefold() == code.name.casefold():
                where = "at the top level" if code.parent_id is None else "under the same parent"
                raise ConflictError(f"a code named {code.name!r} already exists {where}")
        ancestor = code.parent_id
        while ancestor is not None:
            if ancestor == code.id:
                raise ConflictError(f"moving {code.name!r} there would put it inside itself")
            ancestor = self._codes[ancestor].parent_id

    def with_code(self, code: Code) -> Codebook:
        """A new codebook with ``code`` added or replaced, after checking the rules."""
        self.check_new(code)
        return Codebook([*(c for c in self._codes.values() if c.id != code.id), code])
