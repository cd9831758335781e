"""Who an announcement reaches: the filters a coordinator combines, resolved inside their scope.

Filters of different kinds narrow each other (AND); values of one kind widen (OR): units
A and B, holding title X, planned for Y, without LLCT trung cấp. No filter at all means
everyone in the scope. A level gap ("without LLCT trung cấp") matches a *recorded* level below
it: an official whose record lacks the level is not counted, so nobody is told they lack what
they may hold. The gap ``standard`` asks the rules (rules.standards.evaluate): officials missing
a qualification requirement of their own titles on the day, under the standards in force that
day.

Whether a member can be reached is storage.reach's answer, the same the digest, the dispatcher
and the delivery report give.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from locales import N_
from rules.profiles import Profile
from rules.requirements import (
    GENERAL_EDUCATION,
    POLITICAL_THEORY,
    PROFESSIONAL_LEVEL,
    QUALIFICATION_KEYS,
    STATE_MANAGEMENT,
)
from rules.scales import (
    GeneralEducation,
    Level,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import TitleKind
from storage.access import OutOfScope, Refused, Scope, top_units
from storage.facts import evaluated
from storage.models import (
    Course,
    Enrollment,
    EnrollmentStatus,
    HeldTitle,
    Official,
    Programme,
    ProgrammeMember,
    Title,
    Unit,
    planned_titles,
)
from storage.reach import Reach, reach_of

# A level gap: the scale and the level the official has not reached.
GAPS: dict[str, tuple[str, Level]] = {
    "llct_intermediate": (POLITICAL_THEORY, PoliticalTheory.INTERMEDIATE),
    "llct_advanced": (POLITICAL_THEORY, PoliticalTheory.ADVANCED),
    "university": (PROFESSIONAL_LEVEL, ProfessionalLevel.UNIVERSITY),
    "upper_secondary": (GENERAL_EDUCATION, GeneralEducation.UPPER_SECONDARY),
    "state_management": (STATE_MANAGEMENT, StateManagement.SPECIALIST),
}
STANDARD_GAP = "standard"  # missing a qualification requirement of their title
GAP_KEYS = (*GAPS, STANDARD_GAP)

LEVEL_COLUMNS: dict[str, InstrumentedAttribute[Any]] = {
    GENERAL_EDUCATION: Official.general_education,
    PROFESSIONAL_LEVEL: Official.professional_level,
    POLITICAL_THEORY: Official.political_theory,
    STATE_MANAGEMENT: Official.state_management,
}
CHOICES = 12  # courses or programmes offered as buttons
ACTIVE = [status for status in EnrollmentStatus if status.is_active]  # "enrolled in a course"


@dataclass(frozen=True)
class Audience:
    """Codes, as a coordinator names things: unit codes, title kinds, gap keys (``GAP_KEYS``),
    course codes (an active enrollment), programme codes (the cohort)."""

    units: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    planned: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Audience:
        names = {f.name for f in fields(cls)}
        return cls(**{key: tuple(str(v) for v in data[key]) for key in names if key in data})

    def to_json(self) -> dict[str, list[str]]:
        return {f.name: list(getattr(self, f.name)) for f in fields(self) if getattr(self, f.name)}

    def toggled(self, kind: str, value: str) -> Audience:
        """With ``value`` of filter ``kind`` added, or removed when it was there."""
        current: tuple[str, ...] = getattr(self, kind)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return replace(self, **{kind: values})

    @property
    def is_everyone(self) -> bool:
        return not self.to_json()


@dataclass(frozen=True)
class Member:
    official_id: int
    reach: Reach


@dataclass(frozen=True)
class Headcount:
    total: int
    not_linked: int
    blocked: int
    on_visit: int  # reached only in the web chat, on their next visit

    @property
    def reachable(self) -> int:
        return self.total - self.not_linked - self.blocked

    @property
    def unreachable(self) -> int:
        return self.not_linked + self.blocked

    @classmethod
    def of(cls, members: Sequence[Member]) -> Headcount:
        return cls(
            total=len(members),
            not_linked=sum(m.reach is Reach.NOT_LINKED for m in members),
            blocked=sum(m.reach is Reach.BLOCKED for m in members),
            on_visit=sum(m.reach is Reach.ON_VISIT for m in members),
        )


async def check(session: AsyncSession, audience: Audience, scope: Scope) -> None:
    """Raise Refused naming the first filter value that is unknown or outside ``scope``."""
    for code in audience.units:
        path = await session.scalar(select(Unit.path).where(Unit.code == code))
        if path is None:
            raise Refused(N_("There is no unit with the code or name {unit}."), unit=code)
        if not scope.covers(path):
            raise OutOfScope(f"unit:{code}", N_("The unit {code} is not in your scope."), code=code)
    kinds = {kind.value for kind in TitleKind}
    for value in (*audience.titles, *audience.planned):
        if value not in kinds:
            raise Refused(N_("There is no title {code}."), code=value)
    for value in audience.gaps:
        if value not in GAP_KEYS:
            raise Refused(N_("There is no qualification gap {code}."), code=value)
    for code in audience.courses:
        if await session.scalar(select(Course.id).where(Course.code == code)) is None:
            raise Refused(N_("There is no course {code}."), code=code)
    for code in audience.programmes:
        if await session.scalar(select(Programme.id).where(Programme.code == code)) is None:
            raise Refused(N_("There is no programme {code}."), code=code)


async def resolve(
    session: AsyncSession, audience: Audience, scope: Scope, profile: Profile, on: date
) -> list[Member]:
    """The officials ``audience`` names inside ``scope``, by id, each with their reach.
    ``check`` it first: values it would refuse simply match nobody here."""
    ids = list(await session.scalars(_query(audience, scope).order_by(Official.id)))
    if STANDARD_GAP in audience.gaps:
        level_gaps = [key for key in audience.gaps if key in GAPS]
        by_level = set(
            await session.scalars(_query(replace(audience, gaps=tuple(level_gaps)), scope))
            if level_gaps
            else ()
        )
        unmet = await _missing_standards(session, ids, profile, on)
        ids = [i for i in ids if i in by_level or i in unmet]
    reach = await reach_of(session, ids)
    return [Member(official_id, reach[official_id]) for official_id in ids]


def _query(audience: Audience, scope: Scope) -> Select[int]:
    query = (
        select(Official.id).join(Unit, Official.unit_id == Unit.id).where(scope.clause(Unit.path))
    )
    if audience.units:
        chosen = aliased(Unit)
        query = query.where(
            exists(
                select(1).where(chosen.code.in_(audience.units), Unit.path.startswith(chosen.path))
            )
        )
    if audience.titles:  # one of the titles they hold
        held = aliased(Title)
        query = query.where(
            exists(
                select(1)
                .select_from(HeldTitle)
                .join(held, HeldTitle.title_id == held.id)
                .where(
                    HeldTitle.official_id == Official.id,
                    held.kind.in_([TitleKind(v) for v in audience.titles]),
                )
            )
        )
    if audience.planned:
        aim = aliased(Title)
        query = query.where(
            exists(
                select(1)
                .select_from(planned_titles.join(aim, planned_titles.c.title_id == aim.id))
                .where(
                    planned_titles.c.official_id == Official.id,
                    aim.kind.in_([TitleKind(v) for v in audience.planned]),
                )
            )
        )
    level_gaps = [key for key in audience.gaps if key in GAPS]
    if level_gaps and STANDARD_GAP not in audience.gaps:
        query = query.where(_below_any(level_gaps))
    if audience.courses:
        query = query.where(
            _linked(
                Enrollment.official_id,
                Enrollment.course_id,
                Course,
                audience.courses,
                Enrollment.status.in_(ACTIVE),
            )
        )
    if audience.programmes:
        query = query.where(
            _linked(
                ProgrammeMember.official_id,
                ProgrammeMember.programme_id,
                Programme,
                audience.programmes,
            )
        )
    return query


def _linked(
    official_id: InstrumentedAttribute[int],
    parent_id: InstrumentedAttribute[int],
    parent: type[Course] | type[Programme],
    codes: Sequence[str],
    *conditions: ColumnElement[bool],
) -> ColumnElement[bool]:
    """The official has a link row (an enrollment, a membership) to a ``parent`` whose code is
    one of ``codes``, and that also meets ``conditions``."""
    return exists(
        select(official_id)
        .join(parent, parent_id == parent.id)
        .where(official_id == Official.id, parent.code.in_(codes), *conditions)
    )


def _below_any(gaps: list[str]) -> ColumnElement[bool]:
    """The official's recorded level is below the level of one of ``gaps``."""
    clauses = []
    for key in gaps:
        scale, level = GAPS[key]
        below = [member for member in type(level) if member < level]
        clauses.append(LEVEL_COLUMNS[scale].in_(below))
    return or_(*clauses)


async def _missing_standards(
    session: AsyncSession, ids: Sequence[int], profile: Profile, on: date
) -> set[int]:
    """Those of ``ids`` missing a qualification requirement of their title on ``on``."""
    missing: set[int] = set()
    async for official, _unit, evaluation in evaluated(session, ids, profile, on):
        if any(r.key in QUALIFICATION_KEYS for r in evaluation.missing):
            missing.add(official.id)
    return missing


@dataclass(frozen=True)
class Choice:
    """Something a filter can name: its id for a button, its code for the filter."""

    id: int
    code: str
    name: str


async def course_choices(session: AsyncSession, scope: Scope) -> list[Choice]:
    """Courses someone in ``scope`` is registered for or studying, soonest start first."""
    rows = await session.execute(
        select(Course.id, Course.code, Course.name)
        .join(Enrollment, Enrollment.course_id == Course.id)
        .join(Official, Enrollment.official_id == Official.id)
        .join(Unit, Official.unit_id == Unit.id)
        .where(
            scope.clause(Unit.path),
            Enrollment.status.in_(ACTIVE),
        )
        .group_by(Course.id, Course.code, Course.name, Course.starts_on)
        .order_by(Course.starts_on, Course.code)
        .limit(CHOICES)
    )
    return [Choice(*row) for row in rows]


async def programme_choices(session: AsyncSession, scope: Scope) -> list[Choice]:
    """Programmes with members in ``scope``."""
    rows = await session.execute(
        select(Programme.id, Programme.code, Programme.name)
        .join(ProgrammeMember, ProgrammeMember.programme_id == Programme.id)
        .join(Official, ProgrammeMember.official_id == Official.id)
        .join(Unit, Official.unit_id == Unit.id)
        .where(scope.clause(Unit.path))
        .group_by(Programme.id, Programme.code, Programme.name)
        .order_by(Programme.code)
        .limit(CHOICES)
    )
    return [Choice(*row) for row in rows]


async def unit_choices(session: AsyncSession, scope: Scope, limit: int) -> list[Choice]:
    """The units at the top of ``scope``, then the units right under them that hold officials
    somewhere below, by name; at most ``limit``."""
    tops = await top_units(session, scope)
    held = aliased(Unit)
    staffed = exists(
        select(1)
        .select_from(Official)
        .join(held, Official.unit_id == held.id)
        .where(held.path.startswith(Unit.path))
    )
    children = await session.scalars(
        select(Unit)
        .where(Unit.parent_id.in_([unit.id for unit in tops]), staffed)
        .order_by(Unit.name, Unit.code)
        .limit(max(0, limit - len(tops)))
    )
    return [Choice(unit.id, unit.code, unit.name) for unit in [*tops, *children]][:limit]


async def find_unit(session: AsyncSession, scope: Scope, text: str) -> list[Choice]:
    """Units in ``scope`` whose code is ``text`` or whose name contains it (case and accents
    as typed), by name; at most ``CHOICES``."""
    typed = text.strip()
    rows = await session.scalars(
        select(Unit)
        .where(scope.clause(Unit.path))
        .where(or_(Unit.code == typed, Unit.name.icontains(typed, autoescape=True)))
        .order_by(Unit.name, Unit.code)
        .limit(CHOICES)
    )
    return [Choice(unit.id, unit.code, unit.name) for unit in rows]
