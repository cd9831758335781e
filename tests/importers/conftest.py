from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import session_factory
from storage.models import Unit, UnitKind
from tests.factories import make_unit


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
async def ward(session: AsyncSession) -> Unit:
    """Phường Hoàn Kiếm (catalogue code 00070) under Hà Nội (01), committed."""
    hanoi = await make_unit(session, code="01", name="Thành phố Hà Nội", kind=UnitKind.CITY)
    ward = await make_unit(session, code="00070", parent=hanoi)
    await session.commit()
    return ward
