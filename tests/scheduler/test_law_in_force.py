"""The planner evaluates with the standards in force on the day it plans (issue 15)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.profiles import Standards
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from scheduler.config import ReminderConfig
from scheduler.planner import plan
from scheduler.snapshot import load_world
from storage.models import UnitKind
from tests.factories import make_official, make_unit
from tests.scheduler.helpers import local, outbox

CONFIG = ReminderConfig()
# Twelve months before Nghị định 33/2023 Điều 38's deadline (01/08/2028): the first
# standards reminder for whoever it still covers.
YEAR_BEFORE = date(2027, 8, 2)  # a Monday


async def test_the_world_holds_the_profile_in_force_that_day(session):
    assert (await load_world(session, date(2025, 6, 30), CONFIG)).profile.name == "nd33-2023"
    assert (await load_world(session, date(2025, 7, 1), CONFIG)).profile.name == "reform-2025"
    pinned = ReminderConfig(standards=Standards("nd33-2023"))
    assert (await load_world(session, date(2027, 8, 2), pinned)).profile.name == "nd33-2023"


async def test_the_transition_deadline_reminds_only_those_it_still_covers(session):
    """After the reform, Điều 38 covers the elected posts, no longer civil servants."""
    qualified: dict[str, Any] = {
        "general_education": GeneralEducation.UPPER_SECONDARY,
        "political_theory": PoliticalTheory.INTERMEDIATE,
        "professional_level": ProfessionalLevel.COLLEGE,
        "major": "Văn thư lưu trữ",
    }
    commune = await make_unit(session, code="00070", kind=UnitKind.COMMUNE)
    chair = await make_official(
        session, "CT1", unit=commune, title=TitleKind.COMMITTEE_CHAIR, **qualified
    )
    await make_official(
        session,
        "CC1",
        unit=commune,
        title=TitleKind.CIVIL_SERVANT,
        title_field="Văn phòng - Thống kê",
        **qualified,
    )
    await session.commit()
    chair_id = chair.id
    await plan(session, local(YEAR_BEFORE), CONFIG)
    reminded = {row.official_id for row in await outbox(session, kind="standards_deadline")}
    assert reminded == {chair_id}

    pinned = ReminderConfig(standards=Standards("nd33-2023"))  # a deployment that pins it
    await plan(session, local(YEAR_BEFORE), pinned)
    assert len({row.official_id for row in await outbox(session, kind="standards_deadline")}) == 2
