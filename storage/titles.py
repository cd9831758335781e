"""The title catalogue: one row per title kind (and field, for civil servants)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.titles import TitleKind
from storage.models import Title

# Official Vietnamese names, as rosters and reports print them.
TITLE_NAMES: dict[TitleKind, str] = {
    TitleKind.PARTY_SECRETARY: "Bí thư Đảng ủy",
    TitleKind.DEPUTY_PARTY_SECRETARY: "Phó Bí thư Đảng ủy",
    TitleKind.COUNCIL_CHAIR: "Chủ tịch HĐND",
    TitleKind.COUNCIL_VICE_CHAIR: "Phó Chủ tịch HĐND",
    TitleKind.COMMITTEE_CHAIR: "Chủ tịch UBND",
    TitleKind.COMMITTEE_VICE_CHAIR: "Phó Chủ tịch UBND",
    TitleKind.FRONT_CHAIR: "Chủ tịch UB MTTQ",
    TitleKind.CIVIL_SERVANT: "Công chức",
    TitleKind.SOURCE_TRAINEE: "Học viên dự nguồn",
}


def title_name(kind: TitleKind, field: str = "") -> str:
    base = TITLE_NAMES[kind]
    return f"{base} {field}" if field else base


async def get_or_create_title(session: AsyncSession, kind: TitleKind, field: str = "") -> Title:
    """The catalogue row for ``kind`` and ``field``, created on first use (the caller commits)."""
    field = field.strip()
    title = await session.scalar(select(Title).where(Title.kind == kind, Title.field == field))
    if title is None:
        title = Title(kind=kind, field=field, name=title_name(kind, field))
        session.add(title)
        await session.flush()
    return title
