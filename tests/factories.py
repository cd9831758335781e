"""Minimal records for tests. Each helper fills only what a test needs; the rest is typical."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from rules.scales import Gender
from rules.titles import TitleKind
from storage.models import Official, Unit, UnitKind
from storage.titles import get_or_create_title


async def make_unit(
    session: AsyncSession,
    code: str = "00070",
    name: str = "Phường Hoàn Kiếm",
    kind: UnitKind = UnitKind.WARD,
    parent: Unit | None = None,
    **fields: Any,
) -> Unit:
    unit = Unit(code=code, name=name, kind=kind, parent=parent, **fields)
    session.add(unit)
    await session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    await session.flush()
    return unit


async def make_official(
    session: AsyncSession,
    code: str = "CB001",
    *,
    unit: Unit | None = None,
    title: TitleKind = TitleKind.COMMITTEE_CHAIR,
    title_field: str = "",
    also: tuple[TitleKind, ...] = (),
    full_name: str = "Nguyễn Văn An",
    birth_date: date = date(1980, 5, 17),
    gender: Gender = Gender.MALE,
    **fields: Any,
) -> Official:
    if unit is None:
        unit = await make_unit(session, code=f"U-{code}", name=f"Xã {code}", kind=UnitKind.COMMUNE)
    official = Official(
        code=code,
        full_name=full_name,
        birth_date=birth_date,
        gender=gender,
        unit=unit,
        titles=[
            await get_or_create_title(session, title, title_field),
            *[await get_or_create_title(session, kind) for kind in also],
        ],
        **fields,
    )
    session.add(official)
    await session.flush()
    return official
