"""A course the reminders offer to close a gap ends before the gap's deadline and is meant for
the official's group; when none is, no course is named and the board reads it in its digest."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from locales import translator
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from scheduler.config import ReminderConfig
from scheduler.messages import line
from scheduler.planner import plan
from storage.models import Course, CourseKind, Role, RoleKind, UnitKind
from tests.factories import make_official, make_unit
from tests.scheduler.helpers import link, local, outbox

CONFIG = ReminderConfig()
MONDAY = date(2027, 11, 1)
KEY_REFRESHER = "Bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã năm 2027"
NEXT_YEAR = "Bồi dưỡng cập nhật kiến thức năm 2028, đợt 1"
QUALIFIED: dict[str, Any] = {
    "general_education": GeneralEducation.UPPER_SECONDARY,
    "professional_level": ProfessionalLevel.UNIVERSITY,
    "political_theory": PoliticalTheory.INTERMEDIATE,
    "major": "Luật",
}


async def _province(session: AsyncSession) -> tuple[int, int, int]:
    province = await make_unit(session, "P", "Tỉnh Demo", UnitKind.PROVINCE)
    commune = await make_unit(session, "A", "Xã Bắc", UnitKind.COMMUNE, parent=province)
    board = await make_official(
        session, "BTC", unit=province, full_name="Trần Điều Phối", **QUALIFIED
    )
    session.add(Role(official_id=board.id, kind=RoleKind.COORDINATOR, unit_id=province.id))
    chair = await make_official(session, "KEY", unit=commune, full_name="Lê Chủ Tịch", **QUALIFIED)
    clerk = await make_official(
        session,
        "CIV",
        unit=commune,
        full_name="Ngô Tư Pháp",
        title=TitleKind.CIVIL_SERVANT,
        title_field="Tư pháp - Hộ tịch",
        **QUALIFIED,
    )
    for official in (board, chair, clerk):
        await link(session, official.id, f"9{official.id}")
    session.add_all(
        [
            _refresher("CNKT-CBCC-2027", KEY_REFRESHER, MONDAY + timedelta(days=20)),
            _refresher("CNKT-2028-1", NEXT_YEAR, date(2028, 3, 6)),
        ]
    )
    await session.commit()
    return board.id, chair.id, clerk.id


def _refresher(code: str, name: str, starts_on: date) -> Course:
    return Course(
        code=code,
        name=name,
        kind=CourseKind.REFRESHER,
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=4),
        enroll_by=MONDAY + timedelta(days=10),
        hours=40,
    )


async def test_only_a_course_for_the_officials_group_and_in_time_is_offered(session):
    board, chair, _clerk = await _province(session)

    await plan(session, local(MONDAY + timedelta(days=-3)), CONFIG)  # 14 days before enrol-by

    offered = {
        (row.official_id, row.payload["course"]) for row in await outbox(session, kind="enrol_by")
    }
    # neither class fits the civil servant's 2027: one is for key officials, one is in 2028
    assert offered == {(board, KEY_REFRESHER), (chair, KEY_REFRESHER)}

    (digest,) = await outbox(session, kind="digest")
    assert digest.official_id == board
    text = line(translator("vi"), digest.kind, digest.payload)
    section = text.split("Không có lớp đang mở phù hợp (1):\n")[1].split("\n\n")[0]
    assert section == "• Ngô Tư Pháp (Xã Bắc): bồi dưỡng cập nhật kiến thức hằng năm"
