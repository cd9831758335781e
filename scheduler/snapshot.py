"""The data the planner reads, loaded in bulk into plain values.

The reminder kinds are pure functions of these values and the day, so they are tested without
a database. The planner reads the province a chunk of officials at a time: one query per table
per chunk, selecting plain columns (no ORM objects), each course read once per run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from rules import course_fit
from rules.evaluation import Evaluation, RequirementResult
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import Profile
from rules.titles import Post, TitleKind
from scheduler.config import ReminderConfig
from storage.facts import FACT_COLUMNS, facts_from_row, held_posts
from storage.models import (
    AnswerKind,
    Bond,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    HeldTitle,
    Official,
    Programme,
    ProgrammeMember,
    ProgrammeStep,
    ReminderAnswer,
    Role,
    RoleKind,
    Unit,
)
from storage.reach import Officials, Reach, among, reach, routes_where

IN_LIST = 5000  # ids per IN list, under both databases' limits on bound parameters

Chain = tuple[int, str, str, str]  # recipient, kind, subject, cycle
# What a reminder needs of an official and their unit: who, where, then the facts.
OFFICIAL_COLUMNS = (
    Official.id,
    Official.full_name,
    Unit.name,
    Unit.path,
    *FACT_COLUMNS.values(),
)
COURSE_COLUMNS = (
    Course.id,
    Course.name,
    Course.kind,
    Course.starts_on,
    Course.enroll_by,
    Course.hours,
    Course.ends_on,
)
ACTIVE = frozenset(status for status in EnrollmentStatus if status.is_active)


@dataclass(frozen=True, slots=True)
class CourseView:
    id: int
    name: str
    kind: str
    starts_on: date
    enroll_by: date | None
    hours: Decimal | None = None
    ends_on: date = date.max


@dataclass(frozen=True, slots=True)
class EnrollmentView:
    course: CourseView
    status: EnrollmentStatus
    completed_on: date | None


@dataclass(frozen=True, slots=True)
class BondView:
    id: int
    starts_on: date
    months: int


@dataclass(frozen=True, slots=True)
class StepView:
    id: int
    programme: str
    kind: str
    starts_on: date


@dataclass(frozen=True, slots=True)
class OfficialView:
    """An official with everything their reminders depend on."""

    id: int
    name: str
    unit_name: str
    unit_path: str
    facts: OfficialFacts
    enrollments: tuple[EnrollmentView, ...]
    bonds: tuple[BondView, ...]
    steps: tuple[StepView, ...]
    reach: Reach
    channels: tuple[str, ...] = ()  # those with an open route to them (the digest counts them)

    @property
    def titles(self) -> tuple[TitleKind, ...]:
        return tuple(post.kind for post in self.facts.posts)

    @property
    def booked_kinds(self) -> set[str]:
        """Kinds of the courses they are registered for or studying."""
        return {e.course.kind for e in self.enrollments if e.status in ACTIVE}


@dataclass(frozen=True)
class Coverage:
    """A coordinator and the unit subtree they look after."""

    official_id: int
    path: str
    unit_name: str


@dataclass(frozen=True)
class World:
    """What every official's reminders share on one day. The lookups every official makes
    (the course closing a gap, the coordinators of a unit) are answered once per run."""

    today: date
    profile: Profile  # the one in force on ``today``
    open_courses: tuple[CourseView, ...]  # soonest start first
    coverage: tuple[Coverage, ...]
    admins: tuple[int, ...]
    stopped: frozenset[Chain]
    _covered: dict[str, list[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _fitting: dict[tuple[object, ...], tuple[CourseView, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def covering(self, unit_path: str) -> list[int]:
        """The coordinators whose scope includes the unit at ``unit_path``, sorted."""
        found = self._covered.get(unit_path)
        if found is None:
            found = self._covered[unit_path] = _covering(self._by_path, unit_path)
        return found

    def coordinators_of(self, person: OfficialView) -> list[int]:
        return _hearing(self.covering(person.unit_path), self.admins, person.id)

    def course_to_enrol(
        self, result: RequirementResult, titles: tuple[TitleKind, ...]
    ) -> CourseView | None:
        """The open course closing ``result`` (rules.course_fit) whose registration closes
        first, among those with a last day to enrol."""
        closing = [course for course in self.closing(result, titles) if course.enroll_by]
        return min(closing, key=_closing_order, default=None)

    def course_to_start(
        self, result: RequirementResult, titles: tuple[TitleKind, ...]
    ) -> CourseView | None:
        """The open course closing ``result`` that starts first."""
        return next(iter(self.closing(result, titles)), None)

    def closing(
        self, result: RequirementResult, titles: tuple[TitleKind, ...]
    ) -> tuple[CourseView, ...]:
        """The open courses that would close ``result`` in time for someone holding
        ``titles``, soonest first. Officials share a handful of gaps: each is looked at once."""
        key = (result.key, result.required, result.deadline, titles)
        found = self._fitting.get(key)
        if found is None:
            found = self._fitting[key] = tuple(
                course
                for course in self.open_courses
                if course_fit.closes(
                    result, course.kind, course.name, course.ends_on, titles, self.today
                )
            )
        return found

    @cached_property
    def stopping(self) -> frozenset[int]:
        """Who has stopped a chain: only their candidates need looking up in ``stopped``."""
        return frozenset(recipient for recipient, _, _, _ in self.stopped)

    @cached_property
    def _by_path(self) -> dict[str, set[int]]:
        return _by_path(self.coverage)


def _closing_order(course: CourseView) -> tuple[date, date, int]:
    assert course.enroll_by is not None
    return course.enroll_by, course.starts_on, course.id


async def load_world(session: AsyncSession, today: date, config: ReminderConfig) -> World:
    courses = await session.execute(
        select(*COURSE_COLUMNS)
        .where(Course.starts_on > today, or_(Course.enroll_by.is_(None), Course.enroll_by >= today))
        .order_by(Course.starts_on, Course.id)
    )
    coverage, admins = await load_coverage(session)
    stops = await session.execute(
        select(
            ReminderAnswer.official_id,
            ReminderAnswer.kind,
            ReminderAnswer.subject,
            ReminderAnswer.cycle,
        ).where(ReminderAnswer.answer.in_([AnswerKind.DONE, AnswerKind.DECLINE]))
    )
    return World(
        today=today,
        profile=config.standards.on(today),
        open_courses=tuple(_course(*row) for row in courses),
        coverage=coverage,
        admins=admins,
        stopped=frozenset((o, k, s, c) for o, k, s, c in stops.all()),
    )


async def load_coverage(session: AsyncSession) -> tuple[tuple[Coverage, ...], tuple[int, ...]]:
    """What every coordinator covers (a coordinator role without a unit covers everything),
    and the admins."""
    roles = (
        await session.execute(
            select(Role.official_id, Role.kind, Unit.path, Unit.name).outerjoin(
                Unit, Role.unit_id == Unit.id
            )
        )
    ).all()
    coverage = tuple(
        Coverage(official_id, path or "/", name or "")
        for official_id, kind, path, name in roles
        if kind is RoleKind.COORDINATOR
    )
    return coverage, tuple(sorted({r.official_id for r in roles if r.kind is RoleKind.ADMIN}))


def _by_path(coverage: Iterable[Coverage]) -> dict[str, set[int]]:
    """The coordinators by the path of the unit subtree they look after."""
    found: defaultdict[str, set[int]] = defaultdict(set)
    for covered in coverage:
        found[covered.path].add(covered.official_id)
    return found


def _covering(by_path: Mapping[str, set[int]], unit_path: str) -> list[int]:
    """The coordinators (``_by_path``) whose path begins ``unit_path``, that is whose subtree
    holds the unit, sorted. Looks up each beginning of the path rather than testing each
    coordinator: a country has as many as communes."""
    beginnings = (unit_path[:end] for end in range(len(unit_path) + 1))
    return sorted({c for path in beginnings for c in by_path.get(path, ())})


def coordinators_of(
    coverage: Sequence[Coverage], admins: Sequence[int], official_id: int, unit_path: str
) -> list[int]:
    """Who hears about an official: the coordinators of a unit above or at theirs; the admins
    when no coordinator covers it, so an escalation never goes nowhere."""
    return _hearing(_covering(_by_path(coverage), unit_path), admins, official_id)


def _hearing(covering: list[int], admins: Sequence[int], official_id: int) -> list[int]:
    found = [coordinator for coordinator in covering if coordinator != official_id]
    return found or [admin for admin in admins if admin != official_id]


async def province(session: AsyncSession, size: int) -> AsyncIterator[list[OfficialView]]:
    """Every official, ``size`` at a time in id order. Each chunk is read by a range of ids
    (an index range scan whatever the database's statistics), so the caller may commit
    between chunks."""
    courses: dict[int, CourseView] = {}
    last = 0
    while True:
        ids = list(
            await session.scalars(
                select(Official.id).where(Official.id > last).order_by(Official.id).limit(size)
            )
        )
        if not ids:
            return
        last = ids[-1]
        yield await _people(session, _between(ids[0], last), courses)


async def load_people(session: AsyncSession, ids: Sequence[int]) -> list[OfficialView]:
    """The officials ``ids`` with everything their reminders depend on."""
    people: list[OfficialView] = []
    courses: dict[int, CourseView] = {}
    for start in range(0, len(ids), IN_LIST):
        people += await _people(session, among(ids[start : start + IN_LIST]), courses)
    return people


def _between(first: int, last: int) -> Officials:
    return lambda column: column.between(first, last)


async def _people(
    session: AsyncSession, officials: Officials, courses: dict[int, CourseView]
) -> list[OfficialView]:
    """The ``officials``, reading each course once into ``courses``, shared across calls."""
    connection = await session.connection()  # rows as they come: no ORM result handling
    enrollments = await _enrollments(connection, officials, courses)
    bonds: defaultdict[int, list[BondView]] = defaultdict(list)
    for official_id, bond_id, starts_on, months in await connection.execute(
        select(Bond.official_id, Bond.id, Bond.starts_on, Bond.months).where(
            officials(Bond.official_id), Bond.ended_on.is_(None)
        )
    ):
        bonds[official_id].append(BondView(bond_id, starts_on, months))
    steps: defaultdict[int, list[StepView]] = defaultdict(list)
    for member_id, step_id, programme, kind, starts_on in await connection.execute(
        select(
            ProgrammeMember.official_id,
            ProgrammeStep.id,
            Programme.name,
            ProgrammeStep.kind,
            ProgrammeStep.starts_on,
        )
        .join(Programme, Programme.id == ProgrammeMember.programme_id)
        .join(ProgrammeStep, ProgrammeStep.programme_id == Programme.id)
        .where(officials(ProgrammeMember.official_id))
    ):
        steps[member_id].append(StepView(step_id, programme, kind.value, starts_on))
    routes = await routes_where(connection, officials)
    posts = await held_posts(connection, officials(HeldTitle.official_id))
    people = []
    for row in await connection.execute(
        select(*OFFICIAL_COLUMNS)
        .join(Unit, Official.unit_id == Unit.id)
        .where(officials(Official.id))
        .order_by(Official.id)
    ):
        official_id, name, unit_name, unit_path = row[:4]
        mine = tuple(enrollments.get(official_id, ()))
        ways = routes.get(official_id, ())
        people.append(
            OfficialView(
                id=official_id,
                name=name,
                unit_name=unit_name,
                unit_path=unit_path,
                facts=_facts(row[4:], posts.get(official_id, ()), mine),
                enrollments=mine,
                bonds=tuple(bonds.get(official_id, ())),
                steps=tuple(steps.get(official_id, ())),
                reach=reach(ways),
                channels=tuple(sorted({way.channel.value for way in ways if way.open})),
            )
        )
    return people


async def _enrollments(
    connection: AsyncConnection, officials: Officials, courses: dict[int, CourseView]
) -> dict[int, list[EnrollmentView]]:
    rows = (
        await connection.execute(
            select(
                Enrollment.official_id,
                Enrollment.course_id,
                Enrollment.status,
                Enrollment.completed_on,
            )
            .where(officials(Enrollment.official_id))
            .order_by(Enrollment.id)
        )
    ).all()
    unknown = sorted({course_id for _, course_id, _, _ in rows} - courses.keys())
    for start in range(0, len(unknown), IN_LIST):
        chunk = unknown[start : start + IN_LIST]
        for row in await connection.execute(select(*COURSE_COLUMNS).where(Course.id.in_(chunk))):
            courses[row.id] = _course(*row)
    found: defaultdict[int, list[EnrollmentView]] = defaultdict(list)
    for official_id, course_id, status, completed_on in rows:
        found[official_id].append(EnrollmentView(courses[course_id], status, completed_on))
    return found


def _course(
    course_id: int,
    name: str,
    kind: CourseKind,
    starts_on: date,
    enroll_by: date | None,
    hours: Decimal | None,
    ends_on: date,
) -> CourseView:
    return CourseView(course_id, name, kind.value, starts_on, enroll_by, hours, ends_on)


def _facts(
    columns: Sequence[Any], posts: tuple[Post, ...], enrollments: tuple[EnrollmentView, ...]
) -> OfficialFacts:
    """``OFFICIAL_COLUMNS`` from the birth date on, with the titles and completed courses."""
    trainings = tuple(
        TrainingRecord(e.course.kind, e.completed_on, e.course.hours)
        for e in enrollments
        if e.status is EnrollmentStatus.COMPLETED and e.completed_on is not None
    )
    return facts_from_row(columns, posts, trainings)


Schedule = tuple[tuple[str, date], ...]  # a chain's (milestone, due day), in order


@dataclass(frozen=True, slots=True)
class Case:
    """One official on one day, as every reminder kind reads them.

    ``horizon`` is the last target day the caller reads (the weekly digest lists what falls
    due up to it). A candidate not due by today whose target lies beyond matches nothing: a
    reminder is queued once due, so no queued one has its key, and the digest does not list
    it. The kinds leave such candidates out (``in_sight``): half of a province's, most days.
    """

    person: OfficialView
    evaluation: Evaluation
    world: World
    config: ReminderConfig
    horizon: date = date.max

    @property
    def today(self) -> date:
        return self.world.today

    def result(self, key: str) -> RequirementResult | None:
        return next((r for r in self.evaluation.results if r.key == key), None)

    def in_sight(
        self, schedule: Sequence[tuple[str, date]], target: date | None
    ) -> Sequence[tuple[str, date]]:
        """The milestones of a chain about ``target`` that the caller can use."""
        if target is not None and target <= self.horizon:
            return schedule
        today = self.world.today
        return tuple(milestone for milestone in schedule if milestone[1] <= today)
