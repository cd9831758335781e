"""The fake ZNS and OA servers, and our token store and sender pointed at them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.zns import ZnsClient, ZnsConfig, ZnsSender
from bot.channels.zns_tokens import OaApp, OaTokens
from scheduler.clock import Clock
from storage.db import session_factory
from tests.fakes.zns_api import FakeZns

STANDARDS_TEMPLATE = "312345"
TEMPLATES = {STANDARDS_TEMPLATE: {"ho_ten", "noi_dung"}}
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
async def zns_api() -> AsyncIterator[FakeZns]:
    async with FakeZns(templates=dict(TEMPLATES)) as fake:
        yield fake


def oa_tokens(fake: FakeZns, engine: AsyncEngine) -> OaTokens:
    """A worker's token store: one per engine, as one per process."""
    app = OaApp(fake.app_id, fake.secret_key, fake.oauth_url)
    return OaTokens(session_factory(engine), app)


def zns_sender(
    fake: FakeZns,
    engine: AsyncEngine,
    *,
    development: bool = False,
    clock: Clock | None = None,
    **templates: str,
) -> ZnsSender:
    config = ZnsConfig(templates or {"standards_deadline": STANDARDS_TEMPLATE}, development, ZONE)
    return ZnsSender(ZnsClient(fake.api_url, oa_tokens(fake, engine)), config, clock)
