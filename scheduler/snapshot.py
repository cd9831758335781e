"""The data the planner reads, loaded in bulk into plain values.

The reminder kinds are pure functions of these values and the day, so they are tested without
a database and the planner reads each table once per chunk of officials, not once per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.evaluation import Evaluation, RequirementResult
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import Profile, load_profile
from scheduler.config import ReminderConfig
from storage.facts import official_facts
from storage.models import (
    AnswerKind,
    Bond,
    ChatAccount,
    Course,
    Enrollment,
    EnrollmentStatus,
    Official,
    Programme,
    ProgrammeMember,
    ProgrammeStep,
    ReminderAnswer,
    Role,
    RoleKind,
    Title,
    Unit,
)

NOT_LINKED = "not_linked"
BLOCKED = "blocked"

Chain = tuple[int, str, str, str]  # recipient, kind, subject, cycle


@dataclass(frozen=True)
class CourseView:
    id: int
    name: str
    kind: str
    starts_on: date
    enroll_by: date | None
    hours: Decimal | None = None


@dataclass(frozen=True)
class EnrollmentView:
    course: CourseView
    status: EnrollmentStatus
    completed_on: date | None


@dataclass(frozen=True)
class BondView:
    id: int
    starts_on: date
    months: int


@dataclass(frozen=True)
class StepView:
    id: int
    programme: str
    kind: str
    starts_on: date


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    unit_name: str
    unit_path: str
    facts: OfficialFacts
    enrollments: tuple[EnrollmentView, ...]
    bonds: tuple[BondView, ...]
    steps: tuple[StepView, ...]
    reach: str | None  # None when a linked chat can receive; else NOT_LINKED or BLOCKED

    @property
    def booked_kinds(self) -> set[str]:
        """Kinds of the courses they are registered for or studying."""
        return {e.course.kind for e in self.enrollments if e.status.is_active}


@dataclass(frozen=True)
class Scope:
    """A coordinator and the unit subtree they look after."""

    official_id: int
    path: str
    unit_name: str


@dataclass(frozen=True)
class World:
    """What every official's reminders share on one day."""

    today: date
    profile: Profile
    open_courses: tuple[CourseView, ...]  # soonest start first
    scopes: tuple[Scope, ...]
    admins: tuple[int, ...]
    stopped: frozenset[Chain]

    def coordinators_of(self, person: Person) -> list[int]:
        return coordinators_of(self.scopes, self.admins, person.id, person.unit_path)

    def course_to_enrol(self, kinds: set[str]) -> CourseView | None:
        """The open course of one of ``kinds`` whose registration closes first."""
        closing = [c for c in self.open_courses if c.kind in kinds and c.enroll_by is not None]
        return min(closing, key=lambda c: (c.enroll_by, c.starts_on, c.id), default=None)

    def course_to_start(self, kinds: set[str]) -> CourseView | None:
        """The open course of one of ``kinds`` that starts first."""
        return next((c for c in self.open_courses if c.kind in kinds), None)


async def load_world(session: AsyncSession, today: date, config: ReminderConfig) -> World:
    courses = await session.scalars(
        select(Course)
        .where(Course.starts_on > today, or_(Course.enroll_by.is_(None), Course.enroll_by >= today))
        .order_by(Course.starts_on, Course.id)
    )
    scopes, admins = await load_scopes(session)
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
        profile=load_profile(config.profile, config.profile_override),
        open_courses=tuple(_course(c) for c in courses),
        scopes=scopes,
        admins=admins,
        stopped=frozenset((o, k, s, c) for o, k, s, c in stops.all()),
    )


async def load_scopes(session: AsyncSession) -> tuple[tuple[Scope, ...], tuple[int, ...]]:
    """Every coordinator's scope (a coordinator role without a unit covers everything), and
    the admins."""
    roles = (
        await session.execute(
            select(Role.official_id, Role.kind, Unit.path, Unit.name).outerjoin(
                Unit, Role.unit_id == Unit.id
            )
        )
    ).all()
    scopes = tuple(
        Scope(official_id, path or "/", name or "")
        for official_id, kind, path, name in roles
        if kind is RoleKind.COORDINATOR
    )
    return scopes, tuple(sorted({r.official_id for r in roles if r.kind is RoleKind.ADMIN}))


def coordinators_of(
    scopes: Sequence[Scope], admins: Sequence[int], official_id: int, unit_path: str
) -> list[int]:
    """Who hears about an official: the coordinators of a unit above or at theirs; the admins
    when no coordinator covers it, so an escalation never goes nowhere."""
    found = sorted({s.official_id for s in scopes if unit_path.startswith(s.path)} - {official_id})
    return found or [admin for admin in admins if admin != official_id]


async def official_ids(session: AsyncSession) -> list[int]:
    return list(await session.scalars(select(Official.id).order_by(Official.id)))


async def load_people(session: AsyncSession, ids: Sequence[int]) -> list[Person]:
    """The officials ``ids`` with everything their reminders depend on."""
    if not ids:
        return []
    enrollments: defaultdict[int, list[EnrollmentView]] = defaultdict(list)
    for enrollment, course in await session.execute(
        select(Enrollment, Course).join(Course).where(Enrollment.official_id.in_(ids))
    ):
        enrollments[enrollment.official_id].append(
            EnrollmentView(_course(course), enrollment.status, enrollment.completed_on)
        )
    bonds: defaultdict[int, list[BondView]] = defaultdict(list)
    for bond in await session.scalars(
        select(Bond).where(Bond.official_id.in_(ids), Bond.ended_on.is_(None))
    ):
        bonds[bond.official_id].append(BondView(bond.id, bond.starts_on, bond.months))
    steps: defaultdict[int, list[StepView]] = defaultdict(list)
    for member_id, step, programme in await session.execute(
        select(ProgrammeMember.official_id, ProgrammeStep, Programme.name)
        .join(Programme, Programme.id == ProgrammeMember.programme_id)
        .join(ProgrammeStep, ProgrammeStep.programme_id == Programme.id)
        .where(ProgrammeMember.official_id.in_(ids))
    ):
        steps[member_id].append(StepView(step.id, programme, step.kind.value, step.starts_on))
    chats: defaultdict[int, list[ChatAccount]] = defaultdict(list)
    for chat in await session.scalars(
        select(ChatAccount).where(ChatAccount.official_id.in_(ids), ChatAccount.is_group.is_(False))
    ):
        assert chat.official_id is not None
        chats[chat.official_id].append(chat)
    people = []
    for official, unit, title in await session.execute(
        select(Official, Unit, Title)
        .join(Unit, Official.unit_id == Unit.id)
        .join(Title, Official.title_id == Title.id)
        .where(Official.id.in_(ids))
        .order_by(Official.id)
    ):
        mine = tuple(enrollments[official.id])
        people.append(
            Person(
                id=official.id,
                name=official.full_name,
                unit_name=unit.name,
                unit_path=unit.path,
                facts=_facts(official, unit, title, mine),
                enrollments=mine,
                bonds=tuple(bonds[official.id]),
                steps=tuple(steps[official.id]),
                reach=_reach(chats[official.id]),
            )
        )
    return people


def _course(course: Course) -> CourseView:
    return CourseView(
        course.id, course.name, course.kind.value, course.starts_on, course.enroll_by, course.hours
    )


def _facts(
    official: Official, unit: Unit, title: Title, enrollments: tuple[EnrollmentView, ...]
) -> OfficialFacts:
    trainings = tuple(
        TrainingRecord(e.course.kind, e.completed_on, e.course.hours)
        for e in enrollments
        if e.status is EnrollmentStatus.COMPLETED and e.completed_on is not None
    )
    return official_facts(official, unit, title, trainings)


def _reach(chats: list[ChatAccount]) -> str | None:
    if not chats:
        return NOT_LINKED
    if all(chat.unreachable_since is not None for chat in chats):
        return BLOCKED
    return None


@dataclass(frozen=True)
class Case:
    """One official on one day, as every reminder kind reads them."""

    person: Person
    evaluation: Evaluation
    world: World
    config: ReminderConfig

    @property
    def today(self) -> date:
        return self.world.today

    def result(self, key: str) -> RequirementResult | None:
        return next((r for r in self.evaluation.results if r.key == key), None)
