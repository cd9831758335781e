"""The OA token pair: seeded once, refreshed when stale, and the single-use refresh token spent
once even when two workers find the token stale at the same moment."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select

from bot.channels.zns_tokens import TokenRefused
from storage.db import create_engine
from storage.models import OaToken
from tests.zns.conftest import oa_tokens


async def test_two_workers_refreshing_at_once_spend_the_refresh_token_once(
    zns_api, engine, database_url
):
    zns_api.refresh_delay = 0.3  # the first refresh is still out when the second worker looks
    first = zns_api.issue_refresh_token()
    other_engine = create_engine(database_url)  # a second worker: its own connections
    try:
        one, two = oa_tokens(zns_api, engine), oa_tokens(zns_api, other_engine)
        await one.seed(first)

        tokens = await asyncio.gather(one.access_token(), two.access_token())
    finally:
        await other_engine.dispose()
        await one.close()
        await two.close()

    assert zns_api.refreshes == [first]
    assert zns_api.refused_refreshes == []
    assert tokens[0] == tokens[1]


async def test_the_rotated_refresh_token_is_kept_and_the_setting_no_longer_counts(
    zns_api, engine, session
):
    tokens = oa_tokens(zns_api, engine)
    first = zns_api.issue_refresh_token()
    await tokens.seed(first)
    await tokens.access_token()

    seeded_again = await tokens.seed(first)  # a restart with the same setting
    zns_api.expire_access_tokens()
    stored = await session.scalar(select(OaToken))
    assert stored is not None
    await tokens.expire(stored.access_token or "")
    await tokens.access_token()
    await tokens.close()

    assert seeded_again is False
    assert len(zns_api.refreshes) == 2
    assert zns_api.refreshes[0] == first
    assert zns_api.refused_refreshes == []


async def test_a_refused_refresh_token_says_the_oa_must_be_authorised_again(zns_api, engine):
    tokens = oa_tokens(zns_api, engine)
    await tokens.seed("rt-never-issued")

    with pytest.raises(TokenRefused):
        await tokens.access_token()
    await tokens.close()


async def test_without_a_seeded_token_there_is_none(zns_api, engine):
    tokens = oa_tokens(zns_api, engine)

    with pytest.raises(TokenRefused):
        await tokens.access_token()
