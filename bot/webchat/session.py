"""The web chat's session cookie.

The cookie holds a random session id (the web chat account's external id), when it was issued,
and an HMAC-SHA256 of both under the server's key: it cannot be forged or moved to another id,
and an old one stops working after ``MAX_AGE`` unless it was renewed by a visit. The id is
replaced whenever the chat links or unlinks (routes.py), so an id someone planted or saw before
opens nothing afterwards. The cookie is HttpOnly, SameSite=Lax, and Secure whenever the service
is public over https (CANBO_PUBLIC_URL) or the page came over https.

Opening a session costs nothing and is not limited: what a session could be abused for, trying
link codes, is limited per client address as well as per chat (handlers/linking.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from aiohttp import web

COOKIE = "canbo_chat"
MAX_AGE = timedelta(days=30)


class SessionCookies:
    def __init__(self, key: bytes, max_age: timedelta = MAX_AGE, *, secure: bool = False) -> None:
        self._key = key
        self._max_age = max_age
        self._secure = secure  # always Secure: the service is public over https

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
            secure=self._secure or is_https(request),
        )


def is_https(request: web.Request) -> bool:
    """Over https, directly or behind a proxy that says so (only ever tightens the cookie)."""
    return request.secure or request.headers.get("X-Forwarded-Proto", "").lower() == "https"
