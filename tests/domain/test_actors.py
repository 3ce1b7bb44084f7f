"""Actors and their roles."""

from __future__ import annotations

import pytest

from thematica.domain.actors import Actor, Role
from thematica.errors import InvalidInputError, PermissionDeniedError


def test_roles_order_owner_over_coder_over_viewer() -> None:
    assert Actor("o", Role.OWNER).allows(Role.CODER)
    assert Actor("c", Role.CODER).allows(Role.VIEWER)
    assert not Actor("c", Role.CODER).allows(Role.OWNER)
    assert not Actor("v", Role.VIEWER).allows(Role.CODER)


def test_require_names_the_actor_role_and_need() -> None:
    with pytest.raises(PermissionDeniedError, match=r"'vi' is a viewer .* \(needs coder\)"):
        Actor("vi", Role.VIEWER).require(Role.CODER, "code passages")


def test_parse_and_blank_names() -> None:
    assert Role.parse(" Coder ") is Role.CODER
    with pytest.raises(InvalidInputError, match="owner, coder, viewer"):
        Role.parse("admin")
    with pytest.raises(InvalidInputError):
        Actor("  ", Role.OWNER)
