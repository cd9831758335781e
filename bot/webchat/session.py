"""The web chat's session cookie, and a cap on new sessions per client address.

The cookie holds a random session id (the web chat account's external id), when it was issued,
and an HMAC-SHA256 of both under the server's key: it cannot be forged or moved to another id,
and an old one stops working after ``MAX_AGE`` unless it was renewed by a visit. It is
HttpOnly, SameSite=Lax, and Secure when the page came over https.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections import deque
from datetime import datetime, timedelta

from aiohttp import web

COOKIE = "canbo_chat"
MAX_AGE = timedelta(days=30)
NEW_SESSIONS = 30  # per client address and window: a fresh session resets the wrong-code count
NEW_SESSION_WINDOW = timedelta(hours=1)


class SessionCookies:
    def __init__(self, key: bytes, max_age: timedelta = MAX_AGE) -> None:
        self._key = key
        self._max_age = max_age

    @staticmethod
    def new_id() -> str:
        return secrets.token_urlsafe(18)

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self._key, f"webchat:{payload}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def value(self, session_id: str, now: datetime) -> str:
        payload = f"{session_id}.{int(now.timestamp())}"
        return f"{payload}.{self._sign(payload)}"

    def read(self, value: str | None, now: datetime) -> str | None:
        """The session id in a cookie value, if it is ours and not too old."""
        if not value or value.count(".") != 2:
            return None
        payload, _sep, signature = value.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        session_id, _sep, issued = payload.partition(".")
        if not issued.isdigit() or now.timestamp() - int(issued) > self._max_age.total_seconds():
            return None
        return session_id

    def set(self, response: web.StreamResponse, request: web.Request, value: str) -> None:
        response.set_cookie(
            COOKIE,
            value,
            max_age=int(self._max_age.total_seconds()),
            path="/",
            httponly=True,
            samesite="Lax",
            secure=is_https(request),
        )


def is_https(request: web.Request) -> bool:
    """Over https, directly or behind a proxy that says so (only ever tightens the cookie)."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"


class NewSessionLimit:
    """At most ``limit`` new sessions per client address within ``window``: every session
    gets its own five wrong link codes an hour, so an unlimited supply would allow guessing.
    The address is the TCP peer (behind a proxy, the proxy's)."""

    def __init__(self, limit: int = NEW_SESSIONS, window: timedelta = NEW_SESSION_WINDOW) -> None:
        self._limit = limit
        self._window = window
        self._seen: dict[str, deque[datetime]] = {}

    def allow(self, address: str, now: datetime) -> bool:
        if len(self._seen) > 10_000:  # forget addresses whose window has passed
            self._seen = {a: q for a, q in self._seen.items() if q and now - q[-1] < self._window}
        times = self._seen.setdefault(address, deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        if len(times) >= self._limit:
            return False
        times.append(now)
        return True
