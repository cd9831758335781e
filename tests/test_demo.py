"""`canbo demo`: a demo province with gaps to close, open classes, deadlines and bonds to show,
the same on every run."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from rules.scales import PoliticalTheory, ProfessionalLevel
from rules.titles import KEY_TITLES, TitleKind
from storage import migrate
from storage.catalogue.national import load_catalogue, parse_province
from storage.demo.calendar import add_months
from storage.demo.load import load_demo
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
    Unit,
)

TODAY = date(2026, 3, 18)


async def _everything(session: AsyncSession) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, timestamps included: what "nothing changed" means."""
    session.expunge_all()
    snapshot = {}
    for table in Base.metadata.sorted_tables:
        rows = await session.execute(select(table).order_by(*table.primary_key.columns))
        snapshot[table.name] = [tuple(row) for row in rows]
    return snapshot


async def _officials(session: AsyncSession) -> list[Official]:
    query = select(Official).where(Official.code.like("DEMO-%"))
    return list(await session.scalars(query))


async def test_the_demo_fills_ten_communes_of_bac_ninh_and_loads_its_catalogue(session):
    summary = await load_demo(session, TODAY)
    await session.commit()

    officials = await _officials(session)
    units = {unit.id: unit for unit in await session.scalars(select(Unit))}
    assert (summary.province, summary.communes) == ("Bắc Ninh", 10)
    assert (summary.officials, summary.trainees) == (140, 15)
    assert len(officials) == 155
    assert len(units) == 1 + 99  # the province's catalogue was loaded first
    communes = {official.unit_id for official in officials}
    assert len(communes) == 10
    assert {units[unit].parent.code for unit in communes} == {"24"}
    for commune in communes:
        posts = Counter(p.kind for o in officials if o.unit_id == commune for p in o.posts)
        assert {kind for kind in posts if kind.is_key} == KEY_TITLES
        assert posts[TitleKind.CIVIL_SERVANT] >= 5
    ethnicities = Counter(official.ethnicity for official in officials)
    assert ethnicities["Kinh"] > 100 and ethnicities["Tày"] and ethnicities["Khmer"]
    genders = Counter(official.gender for official in officials)
    assert min(genders.values()) > 30
    assert all(o.phone.startswith("+849") for o in officials if o.phone)


async def test_a_second_run_changes_no_row(session):
    await load_demo(session, TODAY)
    await session.commit()
    before = await _everything(session)

    summary = await load_demo(session, TODAY)
    await session.commit()

    assert summary.changed == 0
    assert await _everything(session) == before


async def test_an_existing_catalogue_is_used_not_duplicated(session):
    await load_catalogue(session, parse_province("24"))
    await session.commit()

    await load_demo(session, TODAY)
    await session.commit()

    assert await session.scalar(select(func.count()).select_from(Unit)) == 100


async def test_some_key_officials_miss_a_standard_and_some_records_are_incomplete(session):
    await load_demo(session, TODAY)
    await session.commit()

    key = [o for o in await _officials(session) if o.posts[0].kind.is_key]
    below_degree = [
        o
        for o in key
        if o.professional_level and o.professional_level < ProfessionalLevel.UNIVERSITY
    ]
    below_llct = [
        o for o in key if o.political_theory and o.political_theory < PoliticalTheory.INTERMEDIATE
    ]
    unknown = [o for o in key if o.professional_level is None or o.political_theory is None]
    assert below_degree and below_llct and unknown
    assert len(below_degree) + len(below_llct) < len(key) / 3  # most meet them (seed 004)
    planned = await session.scalar(
        select(func.count()).select_from(Official).where(Official.planned.any())
    )
    assert planned and planned > 20


async def test_classes_open_after_today_and_refreshers_show_who_is_done(session):
    await load_demo(session, TODAY)
    await session.commit()

    courses = list(await session.scalars(select(Course)))
    upcoming = [c for c in courses if c.starts_on > TODAY]
    assert {c.kind for c in upcoming} >= {
        CourseKind.LLCT_INTERMEDIATE,
        CourseKind.SOURCE,
        CourseKind.UNIVERSITY,
        CourseKind.STATE_MANAGEMENT,
        CourseKind.REFRESHER,
    }
    assert all(c.enroll_by and TODAY <= c.enroll_by < c.starts_on for c in upcoming)
    refreshers = {c.starts_on.year for c in courses if c.kind is CourseKind.REFRESHER}
    assert refreshers == {TODAY.year, TODAY.year + 1}
    enrollments = list(await session.scalars(select(Enrollment).join(Course)))
    statuses = Counter(e.status for e in enrollments)
    assert statuses[EnrollmentStatus.REGISTERED] and statuses[EnrollmentStatus.STUDYING]
    assert statuses[EnrollmentStatus.FAILED] and statuses[EnrollmentStatus.DROPPED]
    done_this_year = {
        e.official_id
        for e in enrollments
        if e.course.kind is CourseKind.REFRESHER
        and e.status is EnrollmentStatus.COMPLETED
        and e.completed_on
        and e.completed_on.year == TODAY.year
    }
    key = {o.id for o in await _officials(session) if o.posts[0].kind.is_key}
    assert 0 < len(done_this_year & key) < len(key)


async def test_bonds_are_at_every_stage_and_the_cohort_is_mid_programme(session):
    await load_demo(session, TODAY)
    await session.commit()

    bonds = list(await session.scalars(select(Bond)))
    ends = {bond.id: add_months(bond.starts_on, bond.months) for bond in bonds}
    running = [b for b in bonds if b.ended_on is None]
    assert any(TODAY < ends[b.id] <= TODAY + timedelta(days=62) for b in running)  # near the end
    year = timedelta(days=365)
    assert any(
        b.starts_on <= TODAY - year and TODAY + year < ends[b.id] for b in running
    )  # mid-way
    assert any(b.ended_on and b.ended_on <= TODAY for b in bonds)  # served
    just_started = [b for b in running if TODAY - timedelta(days=62) <= b.starts_on <= TODAY]
    assert len(just_started) == 15
    assert {(b.months, b.programme_id is not None) for b in just_started} == {(60, True)}
    assert all(b.cost and b.cost > 0 for b in bonds)

    programme = await session.scalar(select(Programme))
    steps = list(await session.scalars(select(ProgrammeStep)))
    assert programme.min_bond_months == 60 and len(steps) == 5
    assert sum(s.starts_on <= TODAY <= s.ends_on for s in steps) == 1
    members = list(await session.scalars(select(ProgrammeMember.official_id)))
    trainees = [o for o in await _officials(session) if o.id in members]
    assert len(trainees) == 15
    assert {o.posts[0].kind for o in trainees} == {TitleKind.SOURCE_TRAINEE}


async def test_a_later_day_moves_the_dates_without_adding_rows(session):
    await load_demo(session, TODAY)
    await session.commit()
    counts = {name: len(rows) for name, rows in (await _everything(session)).items()}
    query = select(Course.starts_on).where(Course.code == "DEMO-LOP-TCLLCT-01")
    first = await session.scalar(query)

    summary = await load_demo(session, TODAY + timedelta(weeks=5))
    await session.commit()

    assert summary.changed > 0
    assert {name: len(rows) for name, rows in (await _everything(session)).items()} == counts
    assert await session.scalar(query) == first + timedelta(weeks=5)


def test_the_demo_command_prints_a_summary(tmp_path, monkeypatch, capsys):
    url = f"sqlite+aiosqlite:///{tmp_path / 'canbo.db'}"
    migrate.upgrade(url)
    monkeypatch.setenv("CANBO_DATABASE_URL", url)
    monkeypatch.delenv("CANBO_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)

    assert main(["demo"]) == 0
    assert main(["demo"]) == 0

    first, second = capsys.readouterr().out.splitlines()
    assert first.startswith("Đã tạo tỉnh mẫu Bắc Ninh: 10 xã, phường, 140 cán bộ, 15 học viên")
    assert second.endswith("Số bản ghi thêm mới hoặc thay đổi: 0.")


async def test_in_some_communes_the_secretary_chairs_the_council_too(session):
    """Kiêm nhiệm (Chỉ thị 45-CT/TW): the Bí thư chairs the council, which has two vice chairs."""
    await load_demo(session, TODAY)
    await session.commit()
    officials = await _officials(session)
    joined = [o for o in officials if len(o.posts) > 1]
    assert len(joined) == 2
    for secretary in joined:
        assert [p.kind for p in secretary.posts] == [
            TitleKind.PARTY_SECRETARY,
            TitleKind.COUNCIL_CHAIR,
        ]
        council = Counter(
            p.kind for o in officials if o.unit_id == secretary.unit_id for p in o.posts
        )
        assert (council[TitleKind.COUNCIL_CHAIR], council[TitleKind.COUNCIL_VICE_CHAIR]) == (1, 2)
