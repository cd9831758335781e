"""A year of a small province, day by day: the planner at 07:30, the dispatcher whenever
something is due. Every kind fires on its dates, nothing twice, nothing in quiet hours, nothing
on a weekend or public holiday unless it would otherwise come too late."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.limits import Limits, send_budget
from scheduler.planner import plan
from scheduler.timing import QuietWindow, is_working_day
from storage.models import (
    Bond,
    Channel,
    Course,
    CourseKind,
    DeliveryAttempt,
    EnrollmentStatus,
    Official,
    OutboxStatus,
    Programme,
    ProgrammeMember,
    ProgrammeStep,
    ProgrammeStepKind,
    Role,
    RoleKind,
    Unit,
    UnitKind,
)
from tests.factories import make_official, make_unit
from tests.scheduler.helpers import (
    ZONE,
    RecordingSender,
    VirtualClock,
    course,
    enrol,
    link,
    local,
    next_due,
    outbox,
)

FIRST, LAST = date(2027, 6, 1), date(2028, 5, 31)


class Person(NamedTuple):
    id: int
    name: str


QUALIFIED: dict[str, Any] = {
    "general_education": GeneralEducation.UPPER_SECONDARY,
    "professional_level": ProfessionalLevel.UNIVERSITY,
    "political_theory": PoliticalTheory.INTERMEDIATE,
}


async def _province(session: AsyncSession) -> tuple[dict[str, Person], int, int]:
    """Seven officials in a province of two communes, each with something to be reminded of."""
    province = await make_unit(session, "P", "Tỉnh Demo", UnitKind.PROVINCE)
    north = await make_unit(session, "A", "Xã Bắc", UnitKind.COMMUNE, parent=province)
    south = await make_unit(session, "B", "Xã Nam", UnitKind.COMMUNE, parent=province)
    refresher = await course(
        session, "R27", CourseKind.REFRESHER, date(2027, 3, 1), hours=Decimal(40)
    )
    c1 = await course(session, "C1", CourseKind.OTHER, date(2027, 10, 4))
    c2 = await course(
        session, "C2", CourseKind.LLCT_INTERMEDIATE, date(2027, 10, 4), date(2027, 9, 15)
    )
    people = {}

    async def official(
        code: str, unit: Unit, title: TitleKind, *, refreshed: bool = True, **fields: Any
    ) -> Official:
        values = QUALIFIED | fields
        person = await make_official(session, code, unit=unit, title=title, **values)
        if refreshed:
            await enrol(
                session, person.id, refresher.id, EnrollmentStatus.COMPLETED, date(2027, 3, 10)
            )
        people[code] = Person(person.id, person.full_name)
        return person

    an = await official(
        "AN",
        north,
        TitleKind.COMMITTEE_CHAIR,
        refreshed=False,
        political_theory=PoliticalTheory.ELEMENTARY,
    )
    binh = await official("BINH", north, TitleKind.COMMITTEE_VICE_CHAIR)
    cuong = await official(
        "CUONG", south, TitleKind.COUNCIL_CHAIR, political_theory=PoliticalTheory.NONE
    )
    dung = await official(
        "DUNG", south, TitleKind.CIVIL_SERVANT, title_field="Tư pháp - Hộ tịch", major="Luật"
    )
    em = await official("EM", north, TitleKind.SOURCE_TRAINEE, refreshed=False)
    giang = await official("GIANG", province, TitleKind.PARTY_SECRETARY)
    ha = await official(
        "HA", north, TitleKind.CIVIL_SERVANT, title_field="Tư pháp - Hộ tịch", major="Luật"
    )
    session.add(Role(official_id=giang.id, kind=RoleKind.COORDINATOR, unit_id=province.id))
    await enrol(session, binh.id, c1.id)
    await enrol(session, ha.id, c1.id)
    session.add_all(
        [
            Bond(official_id=dung.id, starts_on=date(2025, 9, 15), months=24),
            Bond(official_id=dung.id, starts_on=date(2026, 6, 10), months=36),
            Bond(official_id=em.id, starts_on=date(2027, 7, 1), months=60),
        ]
    )
    programme = Programme(code="DN-27", name="Dự nguồn 2027")
    session.add(programme)
    await session.flush()
    steps = {
        ProgrammeStepKind.SELECTION: date(2027, 7, 5),
        ProgrammeStepKind.SCHOOL: date(2027, 8, 2),
        ProgrammeStepKind.DISTRICT_PLACEMENT: date(2028, 2, 7),
        ProgrammeStepKind.COMMUNE_ASSIGNMENT: date(2028, 5, 8),
        ProgrammeStepKind.PROBATION: date(2028, 8, 7),
    }
    session.add_all(
        ProgrammeStep(programme_id=programme.id, kind=kind, starts_on=on)
        for kind, on in steps.items()
    )
    session.add(ProgrammeMember(programme_id=programme.id, official_id=em.id))
    for number, person in enumerate([an, binh, cuong, dung, em, giang], start=1):
        fields = {"language": "en"} if person is cuong else {}
        if person is dung:
            fields["quiet_hours"] = "20:00-09:00"
        await link(session, person.id, str(1000 + number), **fields)
    await session.commit()
    return people, c1.id, c2.id


async def _simulate(
    session: AsyncSession, engine: AsyncEngine, c1: int, c2: int, people: dict[str, Person]
) -> RecordingSender:
    clock = VirtualClock(local(FIRST, time(0)))
    sender = RecordingSender(clock)
    config = ReminderConfig()
    dispatcher = Dispatcher(
        engine,
        {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock))},
        config,
        clock=clock,
    )

    async def advance(until: datetime) -> None:
        while (due := await next_due(session)) is not None and due <= until:
            clock.set(due)
            await dispatcher.run_once()
        clock.set(until)

    day = FIRST
    while day <= LAST:
        if day == date(2027, 9, 10):  # Cường registers for the course that closes his gap
            await enrol(session, people["CUONG"].id, c2)
            await session.commit()
        if day == date(2027, 9, 25):  # course C1 moves a week later
            await session.execute(
                update(Course).where(Course.id == c1).values(starts_on=date(2027, 10, 11))
            )
            await session.commit()
        await advance(local(day, time(7, 30)))
        await plan(session, clock.now(), config)
        await advance(local(day + timedelta(days=1), time(0)))
        day += timedelta(days=1)
    return sender


async def test_a_year_of_reminders(session, engine):
    people, c1, c2 = await _province(session)
    chats = {str(1000 + n): code for n, code in enumerate(people, start=1)}
    sender = await _simulate(session, engine, c1, c2, people)

    rows = await outbox(session)
    by_id = {row.id: row for row in rows}
    sent = [row for row in rows if row.status is OutboxStatus.SENT]
    attempts = list(await session.scalars(select(DeliveryAttempt)))
    when: dict[tuple[str, str, str], list[datetime]] = defaultdict(list)
    for attempt in attempts:
        if attempt.outcome == "sent":
            row = by_id[attempt.outbox_id]
            moment, chat_id, _ = sender.sent[int(attempt.detail) - 1]
            step = row.milestone or row.cycle
            when[(chats[chat_id], row.kind, step)].append(moment.astimezone(ZONE))

    # every reminder went out once, and every attempt is on record
    assert all(len(moments) == 1 for moments in when.values())
    assert len(sent) == len(when)
    decided = [r.id for r in rows if r.status in (OutboxStatus.SENT, OutboxStatus.UNREACHABLE)]
    assert sorted(a.outbox_id for a in attempts) == sorted(decided)

    def at(code: str, kind: str, milestone: str) -> tuple[date, time]:
        (moment,) = when[(code, kind, milestone)]
        return moment.date(), moment.time().replace(second=0, microsecond=0)  # paced by ms

    morning, early, late = time(7, 30), time(7, 0), time(9, 0)
    expected = {
        # standards: 12, 6 and 3 months before 01/08/2028; 01/08/2027 is a Sunday, 01/05/2028
        # and 02/05/2028 are public holidays
        ("AN", "standards_deadline", "m12@2028-08-01"): (date(2027, 8, 2), early),
        ("AN", "standards_deadline", "m6@2028-08-01"): (date(2028, 2, 1), morning),
        ("AN", "standards_deadline", "m3@2028-08-01"): (date(2028, 5, 3), early),
        ("CUONG", "standards_deadline", "m6@2028-08-01"): (date(2028, 2, 1), morning),
        # enrolment for C2 closes 15/09/2027; the 3-day reminder falls on a Sunday
        ("AN", "enrol_by", "d14@2027-09-15"): (date(2027, 9, 1), morning),
        ("AN", "enrol_by", "d3@2027-09-15"): (date(2027, 9, 13), early),
        ("CUONG", "enrol_by", "d14@2027-09-15"): (date(2027, 9, 1), morning),
        # the yearly refresher, not done by Ân
        ("AN", "refresher", "2027-09-01"): (date(2027, 9, 1), morning),
        ("AN", "refresher", "2027-11-01"): (date(2027, 11, 1), morning),
        ("AN", "refresher", "2027-12-01"): (date(2027, 12, 1), morning),
        # course starts: C1 moved from 04/10 to 11/10 after the 14-day reminder; the 1-day
        # reminders fall on Sundays and go out anyway, or they would come too late
        ("BINH", "course_start", "d14@2027-10-04"): (date(2027, 9, 20), morning),
        ("BINH", "course_start", "d14@2027-10-11"): (date(2027, 9, 27), morning),
        ("BINH", "course_start", "d3@2027-10-11"): (date(2027, 10, 8), morning),
        ("BINH", "course_start", "d1@2027-10-11"): (date(2027, 10, 10), morning),
        ("CUONG", "course_start", "d14@2027-10-04"): (date(2027, 9, 20), morning),
        ("CUONG", "course_start", "d3@2027-10-04"): (date(2027, 10, 1), morning),
        ("CUONG", "course_start", "d1@2027-10-04"): (date(2027, 10, 3), morning),
        # bonds; Dung's own quiet hours end at 09:00
        ("DUNG", "bond_milestone", "anniversary_1@2027-06-10"): (date(2027, 6, 10), late),
        ("DUNG", "bond_milestone", "ends_in_90_days@2027-06-17"): (date(2027, 6, 17), late),
        ("DUNG", "bond_milestone", "ends_in_30_days@2027-08-16"): (date(2027, 8, 16), late),
        ("DUNG", "bond_milestone", "end@2027-09-15"): (date(2027, 9, 15), late),
        ("EM", "bond_milestone", "start@2027-07-01"): (date(2027, 7, 1), morning),
        # programme steps, 7 and 1 days before; 01/05/2028 is a holiday
        ("EM", "programme_step", "d7@2027-07-05"): (date(2027, 6, 28), morning),
        ("EM", "programme_step", "d1@2027-07-05"): (date(2027, 7, 4), morning),
        ("EM", "programme_step", "d7@2027-08-02"): (date(2027, 7, 26), morning),
        ("EM", "programme_step", "d1@2027-08-02"): (date(2027, 8, 1), morning),
        ("EM", "programme_step", "d7@2028-02-07"): (date(2028, 1, 31), morning),
        ("EM", "programme_step", "d1@2028-02-07"): (date(2028, 2, 6), morning),
        ("EM", "programme_step", "d7@2028-05-08"): (date(2028, 5, 3), early),
        ("EM", "programme_step", "d1@2028-05-08"): (date(2028, 5, 7), morning),
        # escalations to the coordinator
        ("GIANG", "escalate_refresher", "late"): (date(2027, 12, 1), morning),
        ("GIANG", "escalate_standards", "m6@2028-08-01"): (date(2028, 2, 1), morning),
    }
    assert {key: at(*key) for key in expected} == expected

    # what must not happen: the old date's reminders, Cường's enrol-by after he enrolled,
    # an escalation about Cường, who booked the course
    assert ("BINH", "course_start", "d3@2027-10-04") not in when
    assert ("CUONG", "enrol_by", "d3@2027-09-15") not in when
    escalations = [row for row in sent if row.kind == "escalate_standards"]
    assert [row.payload["official"] for row in escalations] == [people["AN"].name]

    # one digest a week for the coordinator: on Monday, or the first working day after
    digests = {
        row.cycle: when[("GIANG", "digest", row.cycle)] for row in sent if row.kind == "digest"
    }
    weeks = {f"{d.isocalendar().year}-W{d.isocalendar().week:02d}" for d in _days(FIRST, LAST)}
    assert set(digests) == weeks
    for (moment,) in digests.values():
        monday = moment.date() - timedelta(days=moment.weekday())
        first = max(monday, FIRST)
        while not is_working_day(first):
            first += timedelta(days=1)
        assert moment.date() in (first, first + timedelta(days=7))

    # Hà has no linked chat: his reminders are marked unreachable, and the digest says so
    assert {row.status for row in rows if row.official_id == people["HA"].id} == {
        OutboxStatus.UNREACHABLE
    }
    assert all(row.last_error == "not linked" for row in rows if row.official_id == people["HA"].id)
    last_digest = [row for row in sent if row.kind == "digest"][-1]
    assert [e["official"] for e in last_digest.payload["unreachable"]["items"]] == [
        people["HA"].name
    ]

    # nothing in quiet hours, nothing on a day off unless urgent
    quiet = QuietWindow(time(21), time(7))
    own = QuietWindow(time(20), time(9))
    for moment, chat_id, _ in sender.sent:
        moment = moment.astimezone(ZONE)
        assert not quiet.contains(moment.time())
        if chats[chat_id] == "DUNG":
            assert not own.contains(moment.time())
    for row in sent:
        (moment,) = when[(_code(people, row.official_id), row.kind, row.milestone or row.cycle)]
        assert row.urgent or is_working_day(moment.date()), (row.kind, row.milestone, moment)

    # several reminders on one day are one message: Ân on 01/09/2027
    (message,) = [
        m
        for t, chat, m in sender.sent
        if chats[chat] == "AN" and t.astimezone(ZONE).date() == date(2027, 9, 1)
    ]
    assert message.text.startswith("Anh/chị có 2 lời nhắc") and len(message.buttons) == 2
    # Cường reads English
    english = [m.text for _, chat, m in sender.sent if chats[chat] == "CUONG"]
    assert any(text.startswith("Enrolment for Lớp C2") for text in english)


def _code(people: dict[str, Person], official_id: int | None) -> str:
    return next(code for code, person in people.items() if person.id == official_id)


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
