"""Officials as the rules see them, loaded in bulk for audiences and reports over many people."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

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


# What the rules read of an official, their title and their unit, by OfficialFacts field: the
# columns to select where officials are read as plain rows (the planner), in this order.
FACT_COLUMNS: dict[str, QueryableAttribute[Any]] = {
    "birth_date": Official.birth_date,
    "gender": Official.gender,
    "title": Title.kind,
    "title_field": Title.field,
    "appointed_on": Official.appointed_on,
    "general_education": Official.general_education,
    "professional_level": Official.professional_level,
    "major": Official.major,
    "political_theory": Official.political_theory,
    "state_management": Official.state_management,
    "party_member": Official.party_member,
    "difficult_area": Unit.difficult_area,
}


def facts_from_row(values: Sequence[Any], trainings: tuple[TrainingRecord, ...]) -> OfficialFacts:
    """The facts from the values of ``FACT_COLUMNS``, in order."""
    fields = dict(zip(FACT_COLUMNS, values, strict=True))
    fields["title_field"] = fields["title_field"] or None  # no field: "", as stored
    return OfficialFacts(**fields, trainings=trainings)


def official_facts(
    official: Official, unit: Unit, title: Title, trainings: tuple[TrainingRecord, ...] = ()
) -> OfficialFacts:
    rows: dict[object, object] = {Official: official, Unit: unit, Title: title}
    values = [getattr(rows[column.class_], column.key) for column in FACT_COLUMNS.values()]
    return facts_from_row(values, trainings)
