"""Officials as the rules see them, loaded in bulk for audiences and reports over many people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.facts import OfficialFacts, TrainingRecord
from storage.models import Course, Enrollment, EnrollmentStatus, Official, Title, Unit

CHUNK = 500  # ids per IN list


async def completed_trainings(
    session: AsyncSession, ids: Sequence[int]
) -> dict[int, tuple[TrainingRecord, ...]]:
    """Each official's completed courses (kind, date, hours)."""
    found: defaultdict[int, list[TrainingRecord]] = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        rows = await session.execute(
            select(Enrollment.official_id, Course.kind, Enrollment.completed_on, Course.hours)
            .join(Course, Enrollment.course_id == Course.id)
            .where(
                Enrollment.official_id.in_(ids[start : start + CHUNK]),
                Enrollment.status == EnrollmentStatus.COMPLETED,
            )
        )
        for official_id, kind, completed_on, hours in rows:
            if completed_on is not None:
                found[official_id].append(TrainingRecord(kind.value, completed_on, hours))
    return {official_id: tuple(records) for official_id, records in found.items()}


def official_facts(
    official: Official, unit: Unit, title: Title, trainings: tuple[TrainingRecord, ...] = ()
) -> OfficialFacts:
    return OfficialFacts(
        birth_date=official.birth_date,
        gender=official.gender,
        title=title.kind,
        title_field=title.field or None,
        appointed_on=official.appointed_on,
        general_education=official.general_education,
        professional_level=official.professional_level,
        major=official.major,
        political_theory=official.political_theory,
        state_management=official.state_management,
        party_member=official.party_member,
        difficult_area=unit.difficult_area,
        trainings=trainings,
    )
