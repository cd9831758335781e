"""A linkable official with something to show for every topic: gaps in the standards, an open
course that closes one, a bond in progress and a coordinator to tell about registrations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.linking import issue_code
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from storage.models import Bond, Course, CourseKind, Official, Role, RoleKind
from tests.factories import make_official, make_unit

PHONE = "+84912345678"


@dataclass(frozen=True)
class Record:
    official: Official
    course: Course
    bond: Bond


def now() -> datetime:
    return datetime.now(UTC)


async def make_record(session: AsyncSession) -> Record:
    today = date.today()
    unit = await make_unit(session, code="01234", name="Xã Tân Lập")
    official = await make_official(
        session,
        "CB100",
        unit=unit,
        full_name="Trần Thị Bình",
        phone=PHONE,
        general_education=GeneralEducation.UPPER_SECONDARY,
        professional_level=ProfessionalLevel.COLLEGE,
        political_theory=PoliticalTheory.ELEMENTARY,
        appointed_on=date(2021, 6, 1),
    )
    coordinator = await make_official(session, "CB900", unit=unit, full_name="Lê Văn Cường")
    session.add(Role(official=coordinator, kind=RoleKind.COORDINATOR, unit=unit))
    course = Course(
        code="LLCT-TC-01",
        name="Trung cấp lý luận chính trị khóa 12",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=today + timedelta(days=40),
        ends_on=today + timedelta(days=200),
        enroll_by=today + timedelta(days=20),
    )
    bond = Bond(
        official=official,
        starts_on=date(2023, 1, 1),
        months=60,
        cost=Decimal("35000000"),
    )
    session.add_all([course, bond])
    await session.commit()
    return Record(official, course, bond)


async def new_code(
    session: AsyncSession, official: Official, issued: datetime | None = None
) -> str:
    code = await issue_code(session, official, issued or now(), days=7)
    await session.commit()
    return code
