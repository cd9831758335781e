"""Writing the demo province: upserts on stable codes, so a second run on the same day changes
nothing, and a run on a later day moves the courses, steps and bonds along with today."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from rules.bonds import BondOutcome
from rules.scales import PoliticalTheory, ProfessionalLevel, StateManagement
from rules.titles import TitleKind
from storage.catalogue.national import load_catalogue, parse_province
from storage.demo import data
from storage.demo.calendar import add_months, monday, months_between, resolve
from storage.demo.people import DemoOfficial, draft
from storage.models import (
    Base,
    Bond,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Official,
    Programme,
    ProgrammeMember,
    ProgrammeStep,
    ProgrammeStepKind,
    Title,
    Unit,
)
from storage.titles import get_or_create_title

M = TypeVar("M", bound=Base)
DONE = EnrollmentStatus.COMPLETED
# Finishing these classes binds the graduate to serve (Nghị định 101/2017 Điều 5).
BONDED = {
    data.LLCT_BOND_NEAR_END.code,
    data.LLCT_BOND_SERVED.code,
    data.UNIVERSITY_BOND_HALFWAY.code,
    data.PROGRAMME_SCHOOL.code,
}


@dataclass(frozen=True)
class DemoSummary:
    province: str
    communes: int
    officials: int
    trainees: int
    courses: int
    enrollments: int
    bonds: int
    changed: int  # rows added or updated by this run: 0 when the demo was already in place


async def load_demo(session: AsyncSession, today: date) -> DemoSummary:
    """Create or refresh the demo province as of ``today``. The caller commits."""
    writer = _Writer(session)
    units = await _units(session, writer)
    people = draft(today)
    officials = await _officials(session, writer, people, units)
    courses = await _courses(session, writer, today)
    programme = await _programme(session, writer, today, officials, people)
    plan = _enrollments(people, today)
    await _enroll(session, writer, officials, courses, plan, today)
    bonds = [
        (person, code)
        for (person, code), outcome in plan.items()
        if code in BONDED and outcome is DONE
    ]
    await _bind(session, writer, officials, courses, programme, bonds, today)
    await session.flush()
    trainees = sum(person.title is TitleKind.SOURCE_TRAINEE for person in people)
    return DemoSummary(
        province=units[data.PROVINCE].name,
        communes=len(data.COMMUNES),
        officials=len(people) - trainees,
        trainees=trainees,
        courses=len(courses),
        enrollments=len(plan),
        bonds=len(bonds),
        changed=writer.changed,
    )


class _Writer:
    """Upserts that count what they change, so a second run can report that nothing did."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.changed = 0

    def put(self, row: M | None, model: type[M], **values: Any) -> M:
        if row is None:
            row = model(**values)
            self.session.add(row)
            self.changed += 1
            return row
        stale = {key: value for key, value in values.items() if not _same(getattr(row, key), value)}
        for key, value in stale.items():
            setattr(row, key, value)
        self.changed += bool(stale)
        return row


def _same(current: object, wanted: object) -> bool:
    """Equal values; for a collection (planned titles), the same rows in any order."""
    if isinstance(current, list) and isinstance(wanted, list):
        return {id(item) for item in current} == {id(item) for item in wanted}
    return current == wanted


async def _units(session: AsyncSession, writer: _Writer) -> dict[str, Unit]:
    """The province and the picked communes, loading the province's catalogue if needed."""
    codes = [data.PROVINCE, *(commune.code for commune in data.COMMUNES)]
    query = select(Unit).where(Unit.code.in_(codes))
    units = {unit.code: unit for unit in await session.scalars(query)}
    if len(units) < len(codes):
        await load_catalogue(session, parse_province(data.PROVINCE))
        units = {unit.code: unit for unit in await session.scalars(query)}
    for commune in data.COMMUNES:
        if commune.highland:
            writer.put(units[commune.code], Unit, difficult_area=True)
    return units


async def _officials(
    session: AsyncSession, writer: _Writer, people: list[DemoOfficial], units: dict[str, Unit]
) -> dict[str, Official]:
    titles: dict[tuple[TitleKind, str], Title] = {}
    for kind, field in {post for p in people for post in p.posts} | {
        (kind, "") for p in people for kind in p.planned
    }:
        titles[(kind, field)] = await get_or_create_title(session, kind, field)
    query = (
        select(Official)
        .where(Official.code.in_([p.code for p in people]))
        .options(selectinload(Official.planned))
    )
    stored = {official.code: official for official in await session.scalars(query)}
    officials = {
        p.code: writer.put(
            stored.get(p.code),
            Official,
            code=p.code,
            full_name=p.full_name,
            birth_date=p.birth_date,
            gender=p.gender,
            ethnicity=p.ethnicity,
            unit_id=units[p.commune].id,
            titles=[titles[post] for post in p.posts],
            appointed_on=p.appointed_on,
            general_education=p.general_education,
            professional_level=p.professional_level,
            major=p.major,
            political_theory=p.political_theory,
            state_management=p.state_management,
            party_member=p.party_member,
            party_joined_on=p.party_joined_on,
            phone=p.phone,
            planned=[titles[(kind, "")] for kind in p.planned],
        )
        for p in people
    }
    await session.flush()
    return officials


def _course_values(today: date) -> list[dict[str, Any]]:
    specs = (
        *data.CURRENT_CLASSES,
        data.LLCT_BOND_NEAR_END,
        data.LLCT_BOND_SERVED,
        data.UNIVERSITY_BOND_HALFWAY,
        data.PROGRAMME_SCHOOL,
    )
    rows = [
        {
            "code": spec.code,
            "name": spec.name,
            "kind": spec.kind,
            "provider": spec.provider,
            "starts_on": resolve(spec.starts, today),
            "ends_on": resolve(spec.ends, today),
            "enroll_by": resolve(spec.enroll_by, today) if spec.enroll_by else None,
            "capacity": spec.capacity,
            "hours": spec.hours,
            "cost_per_trainee": spec.cost,
        }
        for spec in specs
    ]
    return rows + [_refresher(year, number, start) for year, number, start in _sessions(today)]


def _sessions(today: date) -> list[tuple[int, int, date]]:
    """This year's two refresher sessions, one about ten weeks back and one six weeks ahead,
    kept inside the year; and next year's first, in March."""
    year = today.year
    second_january_monday = monday(date(year, 1, 14))
    first_december_monday = monday(date(year, 12, 7))
    return [
        (year, 1, max(second_january_monday, monday(today) - timedelta(weeks=10))),
        (year, 2, min(first_december_monday, monday(today) + timedelta(weeks=6))),
        (year + 1, 1, monday(date(year + 1, 3, 14))),
    ]


def _refresher(year: int, number: int, start: date) -> dict[str, Any]:
    return {
        "code": data.REFRESHER_CODE.format(year=year, round=number),
        "name": data.REFRESHER_NAME.format(year=year, round=number),
        "kind": CourseKind.REFRESHER,
        "provider": data.LLCT_CLASS.provider,
        "starts_on": start,
        "ends_on": start + timedelta(days=4),
        "enroll_by": start - timedelta(days=10),
        "capacity": 120,
        "hours": data.REFRESHER_HOURS,
        "cost_per_trainee": data.REFRESHER_COST,
    }


async def _courses(session: AsyncSession, writer: _Writer, today: date) -> dict[str, Course]:
    values = _course_values(today)
    query = select(Course).where(Course.code.in_([row["code"] for row in values]))
    stored = {course.code: course for course in await session.scalars(query)}
    courses = {row["code"]: writer.put(stored.get(row["code"]), Course, **row) for row in values}
    await session.flush()
    return courses


async def _programme(
    session: AsyncSession,
    writer: _Writer,
    today: date,
    officials: dict[str, Official],
    people: list[DemoOfficial],
) -> Programme:
    """The source programme's cohort and its five steps (seed 000), with a 5-year bond (003)."""
    stored = await session.scalar(select(Programme).where(Programme.code == data.PROGRAMME_CODE))
    programme = writer.put(
        stored,
        Programme,
        code=data.PROGRAMME_CODE,
        name=data.PROGRAMME_NAME,
        min_bond_months=data.PROGRAMME_BOND_MONTHS,
    )
    await session.flush()
    steps = {
        step.kind: step
        for step in await session.scalars(
            select(ProgrammeStep).where(ProgrammeStep.programme_id == programme.id)
        )
    }
    for kind, starts, ends in data.PROGRAMME_STEPS:
        writer.put(
            steps.get(kind),
            ProgrammeStep,
            programme_id=programme.id,
            kind=kind,
            starts_on=resolve(starts, today),
            ends_on=resolve(ends, today),
        )
    members = set(
        await session.scalars(
            select(ProgrammeMember.official_id).where(ProgrammeMember.programme_id == programme.id)
        )
    )
    for person in people:
        if person.title is TitleKind.SOURCE_TRAINEE and officials[person.code].id not in members:
            writer.put(
                None,
                ProgrammeMember,
                programme_id=programme.id,
                official_id=officials[person.code].id,
            )
    return programme


def _enrollments(
    people: list[DemoOfficial], today: date
) -> dict[tuple[str, str], EnrollmentStatus]:
    """Who is or was in which class: (official code, course code) → how it went or will go.

    Of the key officials below LLCT trung cấp, a third study in the running class, a third are
    registered in the next one and a third are left for the bot to suggest it; half of those
    without a degree are registered for one.
    """
    rng = random.Random(f"{data.SEED}-enrollments")
    plan: dict[tuple[str, str], EnrollmentStatus] = {}
    staff = [p for p in people if p.title is not TitleKind.SOURCE_TRAINEE]
    key = [p for p in staff if p.title.is_key]
    below_llct = [
        p for p in key if p.political_theory and p.political_theory < PoliticalTheory.INTERMEDIATE
    ]
    for index, person in enumerate(below_llct):
        if index == 0:
            plan[(person.code, data.LLCT_BOND_NEAR_END.code)] = EnrollmentStatus.FAILED
        if index % 3 < 2:
            course = data.LLCT_CLASS if index % 3 == 0 else data.LLCT_CLASS_RUNNING
            plan[(person.code, course.code)] = EnrollmentStatus.REGISTERED
    below_degree = [
        p
        for p in staff
        if p.professional_level and p.professional_level < ProfessionalLevel.UNIVERSITY
    ]
    for index, person in enumerate(below_degree):
        if index == 0:
            plan[(person.code, data.UNIVERSITY_BOND_HALFWAY.code)] = EnrollmentStatus.DROPPED
        if index % 2 == 0:
            plan[(person.code, data.UNIVERSITY_CLASS.code)] = EnrollmentStatus.REGISTERED
    no_qlnn = [
        p
        for p in staff
        if p.title is TitleKind.CIVIL_SERVANT and p.state_management is StateManagement.NONE
    ]
    for person in no_qlnn[::3]:
        plan[(person.code, data.STATE_MANAGEMENT_CLASS.code)] = EnrollmentStatus.REGISTERED
    for person in staff:
        if person.planned:
            plan[(person.code, data.SOURCE_CLASS.code)] = EnrollmentStatus.REGISTERED
    llct = [p for p in key if p.political_theory is PoliticalTheory.INTERMEDIATE]
    graduates = data.GRADUATES_PER_PAST_CLASS
    for person in llct[:graduates]:
        plan[(person.code, data.LLCT_BOND_NEAR_END.code)] = DONE
    for person in llct[graduates : 2 * graduates]:
        plan[(person.code, data.LLCT_BOND_SERVED.code)] = DONE
    lawyers = [
        p
        for p in staff
        if p.major == data.PAST_UNIVERSITY_MAJOR
        and p.professional_level
        and p.professional_level >= ProfessionalLevel.UNIVERSITY
    ]
    for person in lawyers[:graduates]:
        plan[(person.code, data.UNIVERSITY_BOND_HALFWAY.code)] = DONE
    this_year = [data.REFRESHER_CODE.format(year=today.year, round=n) for n in (1, 2)]
    for person in key:
        if rng.random() < data.REFRESHER_DONE_SHARE:
            plan[(person.code, this_year[0])] = DONE
        elif rng.random() < 0.5:
            plan[(person.code, this_year[1])] = EnrollmentStatus.REGISTERED
    for person in people:
        if person.title is TitleKind.SOURCE_TRAINEE:
            plan[(person.code, data.PROGRAMME_SCHOOL.code)] = DONE
    return plan


def _status(course: Course, outcome: EnrollmentStatus, today: date) -> EnrollmentStatus:
    """How a planned outcome reads on ``today``: a registration turns into studying when the
    class starts and completed when it is over; no class is completed before its end."""
    if outcome is EnrollmentStatus.DROPPED:
        return outcome
    if course.ends_on < today:
        return DONE if outcome is EnrollmentStatus.REGISTERED else outcome
    return EnrollmentStatus.STUDYING if course.starts_on <= today else EnrollmentStatus.REGISTERED


async def _enroll(
    session: AsyncSession,
    writer: _Writer,
    officials: dict[str, Official],
    courses: dict[str, Course],
    plan: dict[tuple[str, str], EnrollmentStatus],
    today: date,
) -> None:
    ids = [official.id for official in officials.values()]
    query = select(Enrollment).where(Enrollment.official_id.in_(ids))
    stored = {(e.official_id, e.course_id): e for e in await session.scalars(query)}
    for (person, code), outcome in plan.items():
        official, course = officials[person], courses[code]
        status = _status(course, outcome, today)
        writer.put(
            stored.get((official.id, course.id)),
            Enrollment,
            official_id=official.id,
            course_id=course.id,
            status=status,
            completed_on=course.ends_on if status is DONE else None,
        )


async def _bind(
    session: AsyncSession,
    writer: _Writer,
    officials: dict[str, Official],
    courses: dict[str, Course],
    programme: Programme,
    bonds: list[tuple[str, str]],
    today: date,
) -> None:
    """Write the bonds, (official code, course code): twice the training time from the end of
    the class; trainees serve at least the programme's minimum from the day they reach their
    commune. A bond whose term is over by today has been served."""
    ids = [official.id for official in officials.values()]
    query = select(Bond).where(Bond.official_id.in_(ids))
    stored = {(bond.official_id, bond.course_id): bond for bond in await session.scalars(query)}
    starts = {kind: when for kind, when, _ in data.PROGRAMME_STEPS}
    assignment = resolve(starts[ProgrammeStepKind.COMMUNE_ASSIGNMENT], today)
    for person, code in bonds:
        course, official = courses[code], officials[person]
        in_programme = code == data.PROGRAMME_SCHOOL.code
        months = data.BOND_MULTIPLIER * months_between(course.starts_on, course.ends_on)
        if in_programme:
            months = max(months, data.PROGRAMME_BOND_MONTHS)
        starts_on = assignment if in_programme else course.ends_on
        ends_on = add_months(starts_on, months)
        served = ends_on <= today
        writer.put(
            stored.get((official.id, course.id)),
            Bond,
            official_id=official.id,
            course_id=course.id,
            programme_id=programme.id if in_programme else None,
            starts_on=starts_on,
            sent_on=course.starts_on,
            months=months,
            cost=course.cost_per_trainee,
            ended_on=ends_on if served else None,
            end_reason=BondOutcome.SERVED if served else None,
        )
