"""Sessions, one-time sign-in links, sign-in throttling, CSRF tokens and security headers.

Sessions live in the server process (a restart signs everyone out); the cookie holds only a random
id, HttpOnly and SameSite=Lax (Secure behind HTTPS). Signing in always starts a new session, so a
session id planted before sign-in is worth nothing after it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "COOKIE",
    "CSRF_HEADER",
    "SecurityHeaders",
    "Session",
    "SessionStore",
    "SignInLinks",
    "Throttle",
    "csrf_matches",
    "sign_in_form_token",
]

COOKIE = "thematica_session"
CSRF_HEADER = "x-csrf-token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

#: No inline script, no inline style sheet, nothing from elsewhere, no framing.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


@dataclass
class Session:
    user: str
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    expires: float = 0.0


class SessionStore:
    """Server-side sessions by random id."""

    def __init__(self, minutes: int) -> None:
        self.seconds = minutes * 60
        self._sessions: dict[str, Session] = {}
        self._lock = threading.Lock()

    def start(self, user: str, *, replacing: str | None = None) -> tuple[str, Session]:
        """A new session for ``user``; the one the request came with (if any) ends."""
        with self._lock:
            if replacing is not None:
                self._sessions.pop(replacing, None)
            sid = secrets.token_urlsafe(32)
            session = Session(user, expires=time.monotonic() + self.seconds)
            self._sessions[sid] = session
            return sid, session

    def get(self, sid: str | None) -> Session | None:
        if not sid:
            return None
        with self._lock:
            session = self._sessions.get(sid)
            if session is not None and session.expires < time.monotonic():
                del self._sessions[sid]
                return None
            return session

    def end(self, sid: str | None) -> None:
        with self._lock:
            self._sessions.pop(sid or "", None)


class SignInLinks:
    """One-time sign-in tokens: each signs one user in once, within its lifetime."""

    def __init__(self, minutes: int) -> None:
        self.seconds = minutes * 60
        self._tokens: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, user: str) -> str:
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._tokens[token] = (user, time.monotonic() + self.seconds)
        return token

    def redeem(self, token: str) -> str | None:
        """The user the token signs in, once; ``None`` for an unknown, used or stale token."""
        with self._lock:
            for known in list(self._tokens):
                if hmac.compare_digest(known.encode(), token.encode()):
                    user, expires = self._tokens.pop(known)
                    return user if expires >= time.monotonic() else None
        return None


class Throttle:
    """At most ``attempts`` failures per client in ``seconds``; then every attempt is refused
    until the window has passed."""

    def __init__(self, attempts: int, seconds: int) -> None:
        self.attempts, self.seconds = attempts, seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] < now - self.seconds:
            failures.popleft()
        return failures

    def blocked(self, client: str) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= self.attempts

    def failed(self, client: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent(client, now).append(now)


SIGN_IN_COOKIE = "thematica_signin"

#: Secrets nobody may run a team server with (and anything shorter than 32 characters).
DEFAULT_SECRETS = frozenset({"changeme", "change-me", "secret", "thematica", "password", "default"})


def sign_in_form_token(secret: str, nonce: str) -> str:
    """The sign-in form's CSRF token: bound to the browser's nonce cookie by the server secret
    (there is no session yet to hold a token)."""
    return hmac.new(secret.encode(), nonce.encode(), "sha256").hexdigest()


def csrf_matches(session: Session | None, given: str | None) -> bool:
    return (
        session is not None
        and given is not None
        and hmac.compare_digest(session.csrf.encode(), given.encode())
    )


class SecurityHeaders:
    """Adds the content security policy and its companions to every response."""

    HEADERS = (
        (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        # The sign-in link carries its token in the URL: never send it on as a referrer.
        (b"referrer-policy", b"no-referrer"),
        (b"cross-origin-opener-policy", b"same-origin"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name for name, _ in headers}
                headers += [(n, v) for n, v in self.HEADERS if n not in names]
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
