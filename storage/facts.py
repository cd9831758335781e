"""Officials as the rules see them, loaded in bulk for audiences, reports and the planner."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import QueryableAttribute

from rules.evaluation import Evaluation
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import Profile
from rules.standards import evaluate
from rules.titles import Post
from storage.models import Course, Enrollment, EnrollmentStatus, HeldTitle, Official, Title, Unit

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


async def held_posts(
    connection: AsyncConnection, which: ColumnElement[bool]
) -> dict[int, tuple[Post, ...]]:
    """The titles the officials ``which`` selects (a condition on ``HeldTitle.official_id``)
    hold, main first, as plain values."""
    found: defaultdict[int, list[Post]] = defaultdict(list)
    for official_id, kind, field in await connection.execute(
        select(HeldTitle.official_id, Title.kind, Title.field)
        .join(Title, HeldTitle.title_id == Title.id)
        .where(which)
        .order_by(HeldTitle.official_id, HeldTitle.position)
    ):
        found[official_id].append(Post(kind, field))
    return {official_id: tuple(posts) for official_id, posts in found.items()}


# What the rules read of an official and their unit, by OfficialFacts field: the columns to
# select where officials are read as plain rows (the planner), in this order.
FACT_COLUMNS: dict[str, QueryableAttribute[Any]] = {
    "birth_date": Official.birth_date,
    "gender": Official.gender,
    "appointed_on": Official.appointed_on,
    "general_education": Official.general_education,
    "professional_level": Official.professional_level,
    "major": Official.major,
    "political_theory": Official.political_theory,
    "state_management": Official.state_management,
    "party_member": Official.party_member,
    "difficult_area": Unit.difficult_area,
}


def facts_from_row(
    values: Sequence[Any], posts: tuple[Post, ...], trainings: tuple[TrainingRecord, ...]
) -> OfficialFacts:
    """The facts from the values of ``FACT_COLUMNS``, in order."""
    fields = dict(zip(FACT_COLUMNS, values, strict=True))
    return OfficialFacts(**fields, posts=posts, trainings=trainings)


def official_facts(
    official: Official, unit: Unit, trainings: tuple[TrainingRecord, ...] = ()
) -> OfficialFacts:
    """The facts of an ORM official (their titles are loaded with them)."""
    rows: dict[object, object] = {Official: official, Unit: unit}
    values = [getattr(rows[column.class_], column.key) for column in FACT_COLUMNS.values()]
    return facts_from_row(values, official.posts, trainings)


async def evaluated(
    session: AsyncSession, ids: Sequence[int], profile: Profile, on: date
) -> AsyncIterator[tuple[Official, Unit, Evaluation]]:
    """Each of ``ids`` with their unit, evaluated against ``profile`` on ``on`` (without term
    age and re-election, which are information only), ``CHUNK`` officials at a time."""
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        trainings = await completed_trainings(session, chunk)
        rows = await session.execute(
            select(Official, Unit)
            .join(Unit, Official.unit_id == Unit.id)
            .where(Official.id.in_(chunk))
        )
        for official, unit in rows:
            facts = official_facts(official, unit, trainings.get(official.id, ()))
            yield official, unit, evaluate(facts, profile, on, terms=False)
