"""The Official Account's access token, refreshed by whichever worker finds it stale, once.

developers.zalo.me, "Official Account Access Token": ``POST oauth.zaloapp.com/v4/oa/access_token``
with the app's ``secret_key`` header and the form ``refresh_token, app_id,
grant_type=refresh_token`` answers a new access token (``expires_in`` 90000 s, 25 hours) and a
NEW refresh token; the old one is spent, and a refresh token is valid 3 months.

A spent refresh token cannot be used again, so two workers must not refresh together. The pair
lives in ``zns_oa_tokens``; a worker that finds the access token stale claims the refresh with a
compare-and-swap (``UPDATE … WHERE version = seen AND nobody is refreshing``; on PostgreSQL the
second UPDATE waits on the first one's row lock, then finds the row changed and claims nothing),
spends the refresh token, stores the new pair and bumps ``version``. The others wait for the new
version and use its token. A worker that dies mid-refresh holds its claim for ``lease`` only.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduler.clock import Clock, SystemClock
from storage.models import OaToken

log = logging.getLogger(__name__)

REFRESH_VALID = timedelta(days=90)  # "3 months" (documented)
ACCESS_MARGIN = timedelta(minutes=10)  # refreshed this long before its 25 hours are up
LEASE = timedelta(seconds=60)  # a refresh claim older than this is given up
WAIT_STEP = 0.2  # seconds between looks while another worker refreshes
TIMEOUT = 15.0  # seconds for the OAuth call


class TokenRefused(Exception):
    """No usable token: none was given, or Zalo refused the refresh token (spent, expired or
    revoked). The OA must be authorised again and CANBO_ZNS_REFRESH_TOKEN set anew."""


class TokenBusy(Exception):
    """Another worker's refresh did not finish in time: try again later."""


@dataclass(frozen=True)
class OaApp:
    """The Zalo app linked to the OA: what a refresh needs besides the token."""

    app_id: str
    secret_key: str
    oauth_url: str


class OaTokens:
    """The current access token of ``app``, shared by every worker through the database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        app: OaApp,
        *,
        clock: Clock | None = None,
        http: aiohttp.ClientSession | None = None,
    ) -> None:
        self._sessions = sessions
        self._app = app
        self._clock = clock or SystemClock()
        self._http = http
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"

    async def seed(self, refresh_token: str) -> bool:
        """Store the first refresh token unless a pair is stored already (the stored one is
        newer: the setting's was spent by the first refresh). True when stored."""
        now = self._clock.now()
        async with self._sessions() as session:
            if await session.get(OaToken, self._app.app_id) is not None:
                return False
            session.add(
                OaToken(
                    app_id=self._app.app_id,
                    refresh_token=refresh_token,
                    refresh_expires_at=now + REFRESH_VALID,
                    updated_at=now,
                )
            )
            await session.commit()
        return True

    async def replace(self, session: AsyncSession, refresh_token: str) -> None:
        """Store a refresh token from a new authorisation of the OA in place of the pair (the
        caller commits, with its audit entry). A refresh another worker has under way loses
        its claim: its answer is not stored."""
        now = self._clock.now()
        row = await session.get(OaToken, self._app.app_id, with_for_update=True)
        if row is None:
            row = OaToken(app_id=self._app.app_id, version=0)
            session.add(row)
        row.access_token = None
        row.access_expires_at = None
        row.refresh_token = refresh_token
        row.refresh_expires_at = now + REFRESH_VALID
        row.version = (row.version or 0) + 1
        row.refreshing_by = None
        row.refreshing_at = None
        row.updated_at = now

    async def access_token(self, *, wait: float = 30.0) -> str:
        """A valid access token: the stored one, or a new one from a refresh made by this
        worker or another. TokenRefused when none can be had; TokenBusy when another worker's
        refresh takes longer than ``wait`` seconds."""
        waited = 0.0
        while True:
            now = self._clock.now()
            row = await self._read()
            if row is None:
                raise TokenRefused("no OA token stored: set CANBO_ZNS_REFRESH_TOKEN")
            if row.access_token and row.access_expires_at and row.access_expires_at > now:
                return row.access_token
            if row.refresh_expires_at <= now:
                raise TokenRefused("the OA refresh token has expired (3 months)")
            if await self._claim(row.version, now):
                return await self._refresh(row.refresh_token)
            if waited >= wait:
                raise TokenBusy("another worker is refreshing the OA token")
            await self._clock.sleep(WAIT_STEP)
            waited += WAIT_STEP

    async def expire(self, token: str) -> None:
        """Zalo called ``token`` invalid (-124): the next caller refreshes, unless another
        worker already did."""
        async with self._sessions() as session:
            await session.execute(
                update(OaToken)
                .where(OaToken.app_id == self._app.app_id, OaToken.access_token == token)
                .values(access_expires_at=self._clock.now())
            )
            await session.commit()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()

    async def _read(self) -> OaToken | None:
        async with self._sessions() as session:
            row: OaToken | None = await session.scalar(
                select(OaToken).where(OaToken.app_id == self._app.app_id)
            )
        return row

    async def _claim(self, version: int, now: datetime) -> bool:
        """Take the refresh for this worker if nobody changed the pair since ``version`` and
        nobody else holds a live claim: the compare-and-swap."""
        async with self._sessions() as session:
            result = await session.execute(
                update(OaToken)
                .where(
                    OaToken.app_id == self._app.app_id,
                    OaToken.version == version,
                    or_(OaToken.refreshing_by.is_(None), OaToken.refreshing_at < now - LEASE),
                )
                .values(refreshing_by=self.worker, refreshing_at=now)
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _refresh(self, refresh_token: str) -> str:
        """Spend ``refresh_token`` (this worker holds the claim) and store the new pair."""
        try:
            answer = await self._post(refresh_token)
        except BaseException:
            await self._release()
            raise
        access, new_refresh = answer.get("access_token"), answer.get("refresh_token")
        if not isinstance(access, str) or not isinstance(new_refresh, str):
            await self._release()
            # the error's name only: the answer may echo the token
            raise TokenRefused(f"Zalo refused the OA refresh token ({answer.get('error')})")
        now = self._clock.now()
        seconds = _seconds(answer.get("expires_in"))
        async with self._sessions() as session:
            await session.execute(
                update(OaToken)
                .where(OaToken.app_id == self._app.app_id, OaToken.refreshing_by == self.worker)
                .values(
                    access_token=access,
                    access_expires_at=now + timedelta(seconds=seconds) - ACCESS_MARGIN,
                    refresh_token=new_refresh,
                    refresh_expires_at=now + REFRESH_VALID,
                    version=OaToken.version + 1,
                    refreshing_by=None,
                    refreshing_at=None,
                    updated_at=now,
                )
                .execution_options(synchronize_session=False)
            )
            await session.commit()
        log.info("OA access token refreshed")
        return access

    async def _post(self, refresh_token: str) -> dict[str, Any]:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession()
        form = {
            "refresh_token": refresh_token,
            "app_id": self._app.app_id,
            "grant_type": "refresh_token",
        }
        async with self._http.post(
            self._app.oauth_url,
            data=form,
            headers={"secret_key": self._app.secret_key},
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        ) as response:
            body = await response.json(content_type=None)
        return body if isinstance(body, dict) else {}

    async def _release(self) -> None:
        async with self._sessions() as session:
            await session.execute(
                update(OaToken)
                .where(OaToken.app_id == self._app.app_id, OaToken.refreshing_by == self.worker)
                .values(refreshing_by=None, refreshing_at=None)
                .execution_options(synchronize_session=False)
            )
            await session.commit()


def _seconds(value: object) -> int:
    """``expires_in``: Zalo sends it as a string of seconds; 25 hours when unreadable."""
    try:
        return int(str(value))
    except ValueError:
        return 90_000
