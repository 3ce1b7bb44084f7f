"""Who may reach which route: every route names one :class:`Rule`, and a route without one fails
the authorisation-matrix test (tests/web/test_access.py builds it from the route table).

Rules are checked here at the edge, and again by the services, which receive an ``Actor``.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from typing import Any, Protocol, TypeVar

from thematica.domain.actors import Role

__all__ = [
    "PUBLIC_PATHS",
    "Directory",
    "Members",
    "Rule",
    "SingleUser",
    "TeamAccounts",
    "rule",
    "rule_of",
]

F = TypeVar("F", bound=Callable[..., Any])


class Rule(enum.StrEnum):
    """What a request needs: nothing, a session, or a role in the study named in the path."""

    PUBLIC = "public"
    SIGNED_IN = "signed-in"
    VIEWER = "viewer"
    CODER = "coder"
    OWNER = "owner"

    @property
    def role(self) -> Role | None:
        return {Rule.VIEWER: Role.VIEWER, Rule.CODER: Role.CODER, Rule.OWNER: Role.OWNER}.get(self)


#: Routes the framework adds itself (no endpoint of ours to carry a rule).
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json", "/static"})


def rule(needed: Rule) -> Callable[[F], F]:
    """Mark an endpoint with the rule it needs (read back by :func:`rule_of`)."""

    def mark(endpoint: F) -> F:
        endpoint.__thematica_rule__ = needed  # type: ignore[attr-defined]
        return endpoint

    return mark


def rule_of(endpoint: Callable[..., Any]) -> Rule | None:
    found = getattr(endpoint, "__thematica_rule__", None)
    return found if isinstance(found, Rule) else None


class Directory(Protocol):
    """Answers which role a signed-in user holds in a study (``None``: not a member)."""

    def role(self, user: str, study: str) -> Role | None: ...


class SingleUser:
    """``thematica serve`` on one's own machine: the one local user owns every study."""

    def __init__(self, user: str) -> None:
        self.user = user

    def role(self, user: str, study: str) -> Role | None:
        return Role.OWNER if user == self.user else None


class Members:
    """Fixed memberships, ``{user: {study: role}}`` (a small team configured in code or tests;
    accounts kept in the database come with team mode)."""

    def __init__(self, members: Mapping[str, Mapping[str, Role]]) -> None:
        self.members = {user: dict(studies) for user, studies in members.items()}

    def role(self, user: str, study: str) -> Role | None:
        return self.members.get(user, {}).get(study)


class TeamAccounts:
    """Team mode: the accounts and memberships kept in the database (``thematica users``)."""

    def __init__(self, db: Any) -> None:
        self.db = db

    def role(self, user: str, study: str) -> Role | None:
        from thematica.services.accounts import role_in

        return role_in(self.db, user, study)
