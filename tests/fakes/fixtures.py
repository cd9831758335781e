"""Pytest fixtures for the fake messenger servers (registered in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo


@pytest.fixture
async def telegram_api() -> AsyncIterator[FakeTelegram]:
    """A running fake Telegram Bot API with the real limits; ``.base_url`` and ``.token``."""
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def zalo_api() -> AsyncIterator[FakeZalo]:
    """A running fake Zalo Bot API with its real limits; ``.base_url`` and ``.token``."""
    async with FakeZalo() as fake:
        yield fake
