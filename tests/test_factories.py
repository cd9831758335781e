"""The factories build valid, linked records on both backends."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from rules.titles import TitleKind
from tests.factories import make_official, make_unit


async def test_official_sits_in_its_unit_subtree(session: AsyncSession) -> None:
    province = await make_unit(session, code="01", name="Thành phố Hà Nội")
    ward = await make_unit(session, code="00070", name="Phường Hoàn Kiếm", parent=province)
    official = await make_official(
        session, unit=ward, title=TitleKind.CIVIL_SERVANT, title_field="Tư pháp - Hộ tịch"
    )
    await session.commit()
    assert ward.path.startswith(province.path)
    assert [title.name for title in official.titles] == ["Công chức Tư pháp - Hộ tịch"]
