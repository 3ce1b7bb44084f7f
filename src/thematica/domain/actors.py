"""Who is acting, and with which role in a study.

The web workspace signs people in; the services they call receive an :class:`Actor` and check its
role themselves, so a route that forgets a check cannot let a viewer code. Later, the one service
context carries this value.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from thematica.errors import InvalidInputError, PermissionDeniedError

__all__ = ["Account", "Actor", "Role", "SignIn"]


class Role(enum.StrEnum):
    """A person's role in one study, from most to least allowed."""

    OWNER = "owner"
    CODER = "coder"
    VIEWER = "viewer"

    @classmethod
    def parse(cls, value: str) -> Role:
        try:
            return cls(value.strip().lower())
        except ValueError:
            allowed = ", ".join(r.value for r in cls)
            raise InvalidInputError(f"role must be one of {allowed}, not {value!r}") from None

    @property
    def rank(self) -> int:
        return {Role.VIEWER: 0, Role.CODER: 1, Role.OWNER: 2}[self]


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in person: their name (also their coder name) and their role in the study."""

    name: str
    role: Role

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidInputError("an actor needs a name")

    def allows(self, needed: Role) -> bool:
        return self.role.rank >= needed.rank

    def require(self, needed: Role, action: str) -> None:
        """Raise :class:`PermissionDeniedError` unless this actor's role reaches ``needed``."""
        if not self.allows(needed):
            raise PermissionDeniedError(
                f"{self.name!r} is a {self.role.value} in this study and may not {action}"
                f" (needs {needed.value})"
            )


@dataclass(frozen=True, slots=True)
class Account:
    """Someone who signs in to the workspace in team mode. Only an argon2 hash is kept."""

    name: str
    password_hash: str
    created_at: datetime
    disabled: bool = False

    def __post_init__(self) -> None:
        if not self.name.strip() or self.name != self.name.strip():
            raise InvalidInputError(f"an account name needs text, no outer spaces: {self.name!r}")


@dataclass(frozen=True, slots=True)
class SignIn:
    """One sign-in attempt, for the audit trail: ``outcome`` is ``ok``, ``wrong-password``,
    ``unknown``, ``disabled`` or ``throttled``."""

    at: datetime
    account: str
    client: str
    outcome: str
