"""A fake Zalo OA OAuth server and ZNS API, spoken to over real HTTP by our own aiohttp client.

Built from the documentation (docs/ZALO.md lists the pages), as strict as the real services
where they say how they behave:

- ``POST /v4/oa/access_token`` (form ``refresh_token``, ``app_id``,
  ``grant_type=refresh_token``; header ``secret_key``) answers a new pair: an access token
  valid ``expires_in`` = 90000 seconds (25 hours) and a new refresh token. A refresh token is
  good for ONE use and 3 months; a second use, an expired or unknown one is refused
  (``{"error": -14014, ...}``; the number is an assumption, only "refused" matters).
- ``POST /message/template`` (header ``access_token``; JSON ``phone``, ``template_id``,
  ``template_data``, ``tracking_id``, optional ``mode: "development"``) answers
  ``{"error": 0, "message": "Success", "data": {"msg_id", "sent_time", "quota"}}`` or one of the
  documented error codes: -124 access token invalid or expired, -108 phone invalid (not
  84xxxxxxxxx), -118 no Zalo account for the number, -114 user inactive or refusing, -109
  unknown template, -112 template data missing a parameter, -144 daily quota spent.
  Development mode sends only to the OA's administrators (``admins``) and spends no quota;
  to anyone else it answers -114 (an assumption: the documentation only says it is refused).

``FakeZns(app_id=..., secret_key=..., templates={id: {params}}, daily_quota=..., clock=...)``;
``issue_refresh_token()`` hands out a first refresh token; ``expire_access_tokens()`` ages every
access token past its 25 hours; ``no_zalo`` / ``inactive`` / ``admins`` are sets of phones.
Recorded: ``sent`` (``ZnsMessage``), ``refreshes`` (each refresh token spent, in order),
``refused_refreshes``.
"""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from tests.fakes.server import LoopbackServer

ACCESS_SECONDS = 90_000  # 25 hours
REFRESH_SECONDS = 90 * 24 * 3600  # 3 months
PHONE = re.compile(r"84\d{9}")


@dataclass(frozen=True)
class ZnsMessage:
    phone: str
    template_id: str
    template_data: dict[str, Any]
    tracking_id: str
    development: bool
    msg_id: str


class FakeZns(LoopbackServer):
    """See the module docstring."""

    def __init__(
        self,
        *,
        app_id: str = "4410559234537725871",
        secret_key: str = "fake-oa-app-s3cret",
        templates: dict[str, set[str]] | None = None,
        daily_quota: int = 500,
        clock: Callable[[], float] = time.time,
        refresh_delay: float = 0.0,
    ) -> None:
        self.app_id = app_id
        self.secret_key = secret_key
        self.templates = templates if templates is not None else {}
        self.daily_quota = daily_quota
        self.clock = clock
        self.refresh_delay = refresh_delay  # seconds a refresh takes: room for a race
        self.no_zalo: set[str] = set()
        self.inactive: set[str] = set()
        self.admins: set[str] = set()
        self.sent: list[ZnsMessage] = []
        self.refreshes: list[str] = []
        self.refused_refreshes: list[str] = []
        self._refresh_tokens: dict[str, float] = {}  # unspent token -> expiry
        self._access_tokens: dict[str, float] = {}
        self._ids = itertools.count(1)

    # --- serving ---------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v4/oa/access_token", self._refresh)
        app.router.add_post("/message/template", self._template)
        return app

    @property
    def oauth_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/v4/oa/access_token"

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    # --- test controls ---------------------------------------------------------------------

    def issue_refresh_token(self) -> str:
        """A refresh token as the OA's authorisation hands out, valid 3 months."""
        token = "rt-" + secrets.token_urlsafe(24)
        self._refresh_tokens[token] = self.clock() + REFRESH_SECONDS
        return token

    def expire_access_tokens(self) -> None:
        for token in self._access_tokens:
            self._access_tokens[token] = self.clock() - 1

    def paid(self) -> list[ZnsMessage]:
        return [message for message in self.sent if not message.development]

    # --- OAuth -----------------------------------------------------------------------------

    async def _refresh(self, request: web.Request) -> web.Response:
        form = await request.post()
        if request.headers.get("secret_key") != self.secret_key:
            return _oauth_error(-14001, "Invalid secret key")
        if form.get("app_id") != self.app_id or form.get("grant_type") != "refresh_token":
            return _oauth_error(-14002, "Invalid parameter")
        token = str(form.get("refresh_token") or "")
        expiry = self._refresh_tokens.pop(token, None)  # spent, whatever happens next
        if expiry is None or expiry < self.clock():
            self.refused_refreshes.append(token)
            return _oauth_error(-14014, "Invalid refresh token")
        self.refreshes.append(token)
        if self.refresh_delay:
            await asyncio.sleep(self.refresh_delay)
        access = "at-" + secrets.token_urlsafe(24)
        self._access_tokens[access] = self.clock() + ACCESS_SECONDS
        return web.json_response(
            {
                "access_token": access,
                "refresh_token": self.issue_refresh_token(),
                "expires_in": str(ACCESS_SECONDS),
            }
        )

    # --- ZNS -------------------------------------------------------------------------------

    async def _template(self, request: web.Request) -> web.Response:
        expiry = self._access_tokens.get(request.headers.get("access_token", ""))
        if expiry is None or expiry < self.clock():
            return _zns_error(-124, "Access token invalid")
        body = await request.json()
        phone, template_id = str(body.get("phone") or ""), str(body.get("template_id") or "")
        data, tracking_id = body.get("template_data"), str(body.get("tracking_id") or "")
        development = body.get("mode") == "development"
        if not PHONE.fullmatch(phone):
            return _zns_error(-108, "Phone number invalid")
        if template_id not in self.templates:
            return _zns_error(-109, "Template ID invalid")
        if not isinstance(data, dict) or not self.templates[template_id] <= data.keys():
            return _zns_error(-112, "Template data invalid")
        if not tracking_id or len(tracking_id) > 48:
            return _zns_error(-100, "tracking_id invalid")
        if phone in self.no_zalo:
            return _zns_error(-118, "Zalo account not existed")
        if phone in self.inactive or (development and phone not in self.admins):
            return _zns_error(-114, "User is inactive, or reject the message")
        if not development and len(self.paid()) >= self.daily_quota:
            return _zns_error(-144, "OA has exceeded the daily quota")
        message = ZnsMessage(phone, template_id, data, tracking_id, development, self._msg_id())
        self.sent.append(message)
        remaining = self.daily_quota - len(self.paid())
        return web.json_response(
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "msg_id": message.msg_id,
                    "sent_time": str(int(self.clock() * 1000)),
                    "quota": {
                        "dailyQuota": str(self.daily_quota),
                        "remainingQuota": str(remaining),
                    },
                },
            }
        )

    def _msg_id(self) -> str:
        return f"{next(self._ids):032x}"


def _oauth_error(code: int, name: str) -> web.Response:
    return web.json_response({"error": code, "error_name": name, "error_description": name})


def _zns_error(code: int, message: str) -> web.Response:
    return web.json_response({"error": code, "message": message})
