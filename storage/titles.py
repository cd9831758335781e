"""The title catalogue: one row per title kind (and field, for civil servants and department
heads)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.titles import DEPARTMENT_HEADS, TitleKind
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
    TitleKind.YOUTH_UNION_SECRETARY: "Bí thư Đoàn TNCS Hồ Chí Minh",
    TitleKind.WOMEN_UNION_CHAIR: "Chủ tịch Hội Liên hiệp Phụ nữ",
    TitleKind.FARMERS_UNION_CHAIR: "Chủ tịch Hội Nông dân",
    TitleKind.VETERANS_CHAIR: "Chủ tịch Hội Cựu chiến binh",
    TitleKind.MILITARY_COMMANDER: "Chỉ huy trưởng Ban Chỉ huy Quân sự",
    TitleKind.DEPARTMENT_HEAD: "Trưởng phòng",
    TitleKind.DEPUTY_DEPARTMENT_HEAD: "Phó Trưởng phòng",
    TitleKind.CIVIL_SERVANT: "Công chức",
    TitleKind.SOURCE_TRAINEE: "Học viên dự nguồn",
}


def title_name(kind: TitleKind, field: str = "") -> str:
    """ "Công chức Tư pháp - Hộ tịch"; a department head's field is the whole title as written
    ("Chánh Văn phòng HĐND và UBND", "Trưởng phòng Kinh tế")."""
    if kind in DEPARTMENT_HEADS and field:
        return field
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
