"""ZNS, the Zalo Notification Service: a paid template message to an official's phone number.

For officials no linked chat reaches (scheduler/fallback.py decides who and which kinds). The
ZNS API (zalo.cloud/zns, "Gửi ZNS"): ``POST {api}/message/template`` with the OA's
``access_token`` header and ``{"phone", "template_id", "template_data", "tracking_id"}``
(``"mode": "development"`` for test sends, which reach only the OA's administrators). It
answers ``{"error": 0, "data": {"msg_id", ...}}`` or an error code; the documented ones map to
``ZnsOutcome`` (``ERROR_OUTCOMES``; docs/ZALO.md has the table and its sources).

A template is approved by Zalo beforehand, one per reminder kind (CANBO_ZNS_TEMPLATES). Its
parameters, an *assumption* of this project (templates are registered so): ``ho_ten``, the
official's name, and ``noi_dung``, the reminder as the chat would show it, in Vietnamese.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.zns_tokens import OaApp, OaTokens, TokenBusy, TokenRefused
from bot.settings import Settings
from scheduler.clock import Clock, SystemClock
from scheduler.messages import Item, render
from storage.models import Official, OutboxMessage, ZnsOutcome, ZnsSend
from storage.phones import zns_number

log = logging.getLogger(__name__)

TIMEOUT = 15.0  # seconds for one send
NAME_LIMIT = 30  # characters of ``ho_ten`` (assumption: ZNS's limit for a name parameter)
CONTENT_LIMIT = 400  # characters of ``noi_dung`` (assumption, configurable here)
ACCESS_TOKEN_INVALID = -124


# zalo.cloud/zns/guidelines/handle-error-code (docs/ZALO.md: which numbers are assumptions)
ERROR_OUTCOMES: dict[int, ZnsOutcome] = {
    -100: ZnsOutcome.TRANSIENT,  # Unknown error
    -108: ZnsOutcome.INVALID_PHONE,  # Phone number invalid
    -109: ZnsOutcome.INVALID_TEMPLATE,  # Template ID invalid
    -111: ZnsOutcome.INVALID_TEMPLATE,  # Template data empty
    -112: ZnsOutcome.INVALID_TEMPLATE,  # Template data invalid
    -114: ZnsOutcome.INACTIVE_USER,  # User inactive, or refuses the message
    -115: ZnsOutcome.QUOTA,  # Out of quota
    -117: ZnsOutcome.INVALID_TEMPLATE,  # No permission for this template
    -118: ZnsOutcome.INVALID_PHONE,  # Zalo account not existed
    -124: ZnsOutcome.NO_TOKEN,  # Access token invalid (refreshed and tried once more first)
    -144: ZnsOutcome.QUOTA,  # OA over its daily quota
}


class ZnsError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.outcome = ERROR_OUTCOMES.get(code, ZnsOutcome.REJECTED)


class ZnsClient:
    """``POST /message/template`` with the OA's current access token."""

    def __init__(self, api_url: str, tokens: OaTokens) -> None:
        self._url = api_url.rstrip("/") + "/message/template"
        self.tokens = tokens
        self._http: aiohttp.ClientSession | None = None

    async def send_template(
        self,
        phone: str,
        template_id: str,
        data: dict[str, str],
        tracking_id: str,
        *,
        development: bool = False,
    ) -> str:
        """The message id; ZnsError for an error answer. A token Zalo calls invalid is
        refreshed and the send tried once more."""
        body: dict[str, Any] = {
            "phone": phone,
            "template_id": template_id,
            "template_data": data,
            "tracking_id": tracking_id,
        }
        if development:
            body["mode"] = "development"
        for last in (False, True):
            token = await self.tokens.access_token()
            answer = await self._post(token, body)
            code = answer.get("error")
            if code == 0:
                result = answer.get("data")
                return str(result.get("msg_id", "")) if isinstance(result, dict) else ""
            if code == ACCESS_TOKEN_INVALID and not last:
                await self.tokens.expire(token)
                continue
            raise ZnsError(code if isinstance(code, int) else -100, str(answer.get("message")))
        raise AssertionError("unreachable")

    async def _post(self, token: str, body: dict[str, Any]) -> dict[str, Any]:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        async with self._http.post(
            self._url,
            json=body,
            headers={"access_token": token},
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        ) as response:
            answer = await response.json(content_type=None)
        return answer if isinstance(answer, dict) else {}

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
        await self.tokens.close()


@dataclass(frozen=True)
class ZnsConfig:
    templates: dict[str, str]  # reminder kind -> template id
    development: bool
    zone: ZoneInfo


class ZnsSender:
    """Sends one outbox row to its official's phone by ZNS and says how it went, as a
    ``ZnsSend`` record for the caller to store (no transaction is held while sending: the
    token store writes on its own)."""

    def __init__(
        self,
        client: ZnsClient,
        config: ZnsConfig,
        clock: Clock | None = None,
        *,
        first_refresh_token: str | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.clock = clock or SystemClock()
        self._first = first_refresh_token

    async def start(self) -> None:
        """Store the first refresh token (CANBO_ZNS_REFRESH_TOKEN) unless one is stored."""
        if self._first:
            await self.client.tokens.seed(self._first)

    def template_for(self, kind: str) -> str | None:
        return self.config.templates.get(kind)

    async def send(self, row: OutboxMessage, official: Official) -> ZnsSend:
        template_id = self.template_for(row.kind) or ""
        now = self.clock.now()
        record = ZnsSend(
            outbox_id=row.id,
            official_id=official.id,
            unit_id=official.unit_id,
            kind=row.kind,
            template_id=template_id,
            tracking_id=f"canbo-{row.id}",
            month=month(now, self.config.zone),
            development=self.config.development,
            at=now,
        )
        phone = zns_number(official.phone)
        if phone is None:
            record.outcome = ZnsOutcome.INVALID_PHONE
        elif not template_id:
            record.outcome = ZnsOutcome.INVALID_TEMPLATE
        else:
            await self._send(record, phone, row, official)
        return record

    async def _send(
        self, record: ZnsSend, phone: str, row: OutboxMessage, official: Official
    ) -> None:
        try:
            data = template_data(row, official)
        except (KeyError, ValueError, TypeError) as error:
            record.outcome = ZnsOutcome.REJECTED
            log.error("outbox row %d cannot be rendered for ZNS: %r", row.id, error)
            return
        try:
            record.message_id = await self.client.send_template(
                phone, record.template_id, data, record.tracking_id, development=record.development
            )
        except ZnsError as error:
            record.outcome, record.error_code = error.outcome, error.code
            log.warning("ZNS refused outbox row %d: %s", row.id, error)
        except (TokenRefused, TokenBusy) as error:
            record.outcome = ZnsOutcome.NO_TOKEN
            log.error("ZNS has no OA token: %s", error)
        except (aiohttp.ClientError, TimeoutError) as error:
            record.outcome = ZnsOutcome.TRANSIENT
            log.warning("ZNS unreachable: %s", type(error).__name__)
        else:
            record.outcome = ZnsOutcome.SENT

    async def close(self) -> None:
        await self.client.close()


def template_data(row: OutboxMessage, official: Official) -> dict[str, str]:
    """The template's parameters (see the module docstring): Vietnamese, as the chat shows it."""
    text = render([Item(row.id, row.kind, row.payload)], "vi").text
    return {"ho_ten": official.full_name[:NAME_LIMIT], "noi_dung": text[:CONTENT_LIMIT]}


def month(at: datetime, zone: ZoneInfo) -> str:
    """The billing month of a send, yyyy-mm in local time."""
    return at.astimezone(zone).strftime("%Y-%m")


def zns_sender(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    clock: Clock | None = None,
) -> ZnsSender | None:
    """The ZNS sender as configured, or None without an OA app id and secret key."""
    if settings.zns_app_id is None or settings.zns_secret_key is None:  # not zns_ready, for mypy
        return None
    app = OaApp(
        settings.zns_app_id, settings.zns_secret_key.get_secret_value(), settings.zns_oauth_url
    )
    tokens = OaTokens(sessions, app, clock=clock)
    config = ZnsConfig(dict(settings.zns_templates), settings.zns_development, settings.zone)
    first = settings.zns_refresh_token
    return ZnsSender(
        ZnsClient(settings.zns_api_url, tokens),
        config,
        clock,
        first_refresh_token=first.get_secret_value() if first else None,
    )
