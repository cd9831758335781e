"""The coordinators' weekly digest: who misses what, whose gap no open course fits, what falls
due within 30 days, who cannot be reached; once a week, made up later in the week if the Monday
run was missed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from locales import translator
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from scheduler.config import ReminderConfig
from scheduler.messages import line
from scheduler.planner import plan
from storage.models import CourseKind, Role, RoleKind, UnitKind
from tests.factories import make_official, make_unit
from tests.scheduler.helpers import course, enrol, link, local, outbox

CONFIG = ReminderConfig()
MONDAY = date(2027, 3, 1)
QUALIFIED: dict[str, Any] = {
    "general_education": GeneralEducation.UPPER_SECONDARY,
    "professional_level": ProfessionalLevel.UNIVERSITY,
    "political_theory": PoliticalTheory.INTERMEDIATE,
}


async def _province(session: AsyncSession) -> int:
    province = await make_unit(session, "P", "Tỉnh Demo", UnitKind.PROVINCE)
    north = await make_unit(session, "A", "Xã Bắc", UnitKind.COMMUNE, parent=province)
    elsewhere = await make_unit(session, "Q", "Tỉnh Khác", UnitKind.PROVINCE)
    coordinator = await make_official(session, "BTC", unit=province, full_name="Trần Điều Phối")
    session.add(Role(official_id=coordinator.id, kind=RoleKind.COORDINATOR, unit_id=province.id))
    gap = await make_official(
        session,
        "GAP",
        unit=north,
        full_name="Phạm Thiếu",
        **QUALIFIED | {"political_theory": PoliticalTheory.ELEMENTARY},
    )
    student = await make_official(session, "STU", unit=north, full_name="Đỗ Học", **QUALIFIED)
    blocked = await make_official(session, "BLK", unit=north, full_name="Vũ Chặn", **QUALIFIED)
    await make_official(session, "OUT", unit=elsewhere, full_name="Ngoài Phạm Vi")
    for official in (coordinator, gap, student):
        await link(session, official.id, f"9{official.id}")
    await link(session, blocked.id, "999", unreachable_since=local(MONDAY) - timedelta(days=9))
    starting = await course(session, "LL1", CourseKind.OTHER, MONDAY + timedelta(days=20))
    await enrol(session, student.id, starting.id)
    await session.commit()
    return coordinator.id


async def test_a_weekly_digest_for_the_coordinators_units(session):
    coordinator_id = await _province(session)
    await plan(session, local(MONDAY), CONFIG)

    (digest,) = await outbox(session, kind="digest")
    assert (digest.official_id, digest.cycle) == (coordinator_id, "2027-W09")
    text = line(translator("vi"), digest.kind, digest.payload)
    assert text.split("\n\n") == [
        "Tổng hợp hằng tuần cho Tỉnh Demo",
        "Kênh liên lạc với 4 cán bộ: Telegram 3",
        "Chưa đạt chuẩn (4):\n"
        "• Trần Điều Phối (Tỉnh Demo): bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Phạm Thiếu (Xã Bắc): lý luận chính trị, bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Vũ Chặn (Xã Bắc): bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Đỗ Học (Xã Bắc): bồi dưỡng cập nhật kiến thức hằng năm",
        "Không có lớp đang mở phù hợp (4):\n"
        "• Trần Điều Phối (Tỉnh Demo): bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Phạm Thiếu (Xã Bắc): lý luận chính trị, bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Vũ Chặn (Xã Bắc): bồi dưỡng cập nhật kiến thức hằng năm\n"
        "• Đỗ Học (Xã Bắc): bồi dưỡng cập nhật kiến thức hằng năm",
        "Đến hạn trong 30 ngày tới (1):\n• 21/03/2027: Đỗ Học (Xã Bắc): khóa Lớp LL1 khai giảng",
        "Không liên lạc được (1):\n• Vũ Chặn (Xã Bắc): đã chặn bot",
    ]


async def test_one_digest_a_week_even_when_monday_was_missed(session):
    await _province(session)
    wednesday = MONDAY + timedelta(days=2)
    await plan(session, local(wednesday), CONFIG)
    await plan(session, local(wednesday + timedelta(days=1)), CONFIG)
    (digest,) = await outbox(session, kind="digest")
    assert digest.not_before == local(wednesday)
    await plan(session, local(MONDAY + timedelta(days=7)), CONFIG)
    assert [d.cycle for d in await outbox(session, kind="digest")] == ["2027-W09", "2027-W10"]


def test_a_quiet_week():
    payload = {
        "units": ["Xã Bắc"],
        "horizon_days": 30,
        **{key: {"total": 0, "items": []} for key in ("missing", "due", "unreachable")},
    }
    assert line(translator("en"), "digest", payload) == (
        "Weekly summary for Xã Bắc\n\nNothing to report this week."
    )


def test_long_lists_are_cut_with_a_count():
    items = [{"official": f"Người {n}", "unit": "Xã", "reason": "not_linked"} for n in range(10)]
    payload = {
        "units": ["Xã"],
        "horizon_days": 30,
        "missing": {"total": 0, "items": []},
        "due": {"total": 0, "items": []},
        "unreachable": {"total": 25, "items": items},
    }
    text = line(translator("vi"), "digest", payload)
    assert text.endswith("• Người 9 (Xã): chưa liên kết tài khoản\n… và 15 người khác")
