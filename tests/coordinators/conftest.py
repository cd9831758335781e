"""A small province for the coordinator tests, with its figures counted by hand, and the bot
against the fake Telegram Bot API with a dispatcher the tests run themselves.

Tỉnh Thử (P) has two communes. Xã An Bình (A):
  A1 Chủ tịch UBND, đại học, LLCT sơ cấp                          misses LLCT
  A2 Chủ tịch HĐND, đại học, LLCT trung cấp (class finished 01/03/2026)   meets all
  A3 Phó Chủ tịch UBND, cao đẳng, no LLCT                        misses both
  A4 Công chức Tư pháp - Hộ tịch, đại học Luật, LLCT sơ cấp      meets all (no LLCT standard)
  A5 Phó Chủ tịch UBND, đại học, LLCT sơ cấp, appointed 10/01/2026   misses LLCT
  A6 Học viên dự nguồn in programme DN-26 (never in the qualification figures)
Xã Bình Minh (B):
  B1 Chủ tịch UBND, đại học, LLCT sơ cấp                          misses LLCT
  B2 Bí thư Đảng ủy, đại học                                      meets all
The organisation board (BTC, a unit of its own): CA coordinates A, AD is an admin.

By hand, on 01/11/2026, Xã An Bình: 5 officials, 2/5 (40,0%) meet every qualification
standard; professional level met 4/5 (80,0%); the LLCT standard (A1, A2, A3, A5) met 1/4
(25,0%); LLCT levels: trung cấp 1, sơ cấp 3, chưa có 1. On 01/06/2025 A5 was not yet appointed
and A2 had sơ cấp: 1/4 (25,0%) meet every standard, professional level 3/4 (75,0%), LLCT 0/3.
Tỉnh Thử on 01/11/2026: 7 officials, 3/7 (42,9%); Xã Bình Minh 1/2 (50,0%).

Telegram chats: A1 101, A2 102, A4 104 (blocked the bot), A5 105, A6 106, B1 201, B2 202,
CA 900, AD 901; A3 has none.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import App, build_app
from bot.channels.telegram_delivery import TelegramSender
from bot.settings import Settings
from bot.webchat.delivery import web_outlet
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, DispatchReport, Outlet
from scheduler.limits import Limits, send_budget
from scheduler.timing import QuietWindow
from storage.db import session_factory
from storage.models import (
    Channel,
    ChatAccount,
    Course,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Official,
    Programme,
    ProgrammeMember,
    Role,
    RoleKind,
    Unit,
    UnitKind,
    planned_titles,
)
from storage.titles import get_or_create_title
from tests.factories import make_official, make_unit
from tests.fakes.service import without_reminders
from tests.fakes.telegram_api import FakeTelegram
from tests.scheduler.helpers import VirtualClock

ON = date(2026, 11, 1)
EARLIER = date(2025, 6, 1)
CHATS = {"A1": 101, "A2": 102, "A4": 104, "A5": 105, "A6": 106, "B1": 201, "B2": 202}
CA, AD = 900, 901
QUALIFIED = {
    "general_education": GeneralEducation.UPPER_SECONDARY,
    "professional_level": ProfessionalLevel.UNIVERSITY,
}


@dataclass
class Province:
    province: Unit
    a: Unit
    b: Unit
    board: Unit
    people: dict[str, Official]
    course: Course
    programme: Programme


async def build_province(session: AsyncSession) -> Province:
    province = await make_unit(session, "P", "Tỉnh Thử", UnitKind.PROVINCE)
    a = await make_unit(session, "A", "Xã An Bình", UnitKind.COMMUNE, parent=province)
    b = await make_unit(session, "B", "Xã Bình Minh", UnitKind.COMMUNE, parent=province)
    board = await make_unit(session, "BTC", "Ban Tổ chức Tỉnh ủy", UnitKind.OTHER)
    people: dict[str, Official] = {}

    async def person(code: str, unit: Unit, title: TitleKind, name: str, **fields: Any) -> None:
        values = {**QUALIFIED, "appointed_on": date(2021, 6, 1), **fields}
        people[code] = await make_official(
            session, code, unit=unit, title=title, full_name=name, **values
        )

    elementary = PoliticalTheory.ELEMENTARY
    await person("A1", a, TitleKind.COMMITTEE_CHAIR, "Nguyễn Văn An", political_theory=elementary)
    await person(
        "A2",
        a,
        TitleKind.COUNCIL_CHAIR,
        "Trần Thị Bình",
        political_theory=PoliticalTheory.INTERMEDIATE,
    )
    await person(
        "A3",
        a,
        TitleKind.COMMITTEE_VICE_CHAIR,
        "Lê Văn Cường",
        professional_level=ProfessionalLevel.COLLEGE,
        political_theory=PoliticalTheory.NONE,
    )
    await person(
        "A4",
        a,
        TitleKind.CIVIL_SERVANT,
        "Phạm Thị Dung",
        title_field="Tư pháp - Hộ tịch",
        major="Luật",
        political_theory=elementary,
    )
    await person(
        "A5",
        a,
        TitleKind.COMMITTEE_VICE_CHAIR,
        "Hoàng Văn Em",
        political_theory=elementary,
        appointed_on=date(2026, 1, 10),
    )
    await person("A6", a, TitleKind.SOURCE_TRAINEE, "Vũ Thị Giang")
    await person("B1", b, TitleKind.COMMITTEE_CHAIR, "Đỗ Văn Hải", political_theory=elementary)
    await person("B2", b, TitleKind.PARTY_SECRETARY, "Bùi Thị Lan")
    await person("CA", board, TitleKind.CIVIL_SERVANT, "Đinh Văn Khoa")
    await person("AD", board, TitleKind.CIVIL_SERVANT, "Ngô Thị Mai")
    vice_chair = await get_or_create_title(session, TitleKind.COMMITTEE_VICE_CHAIR)
    await session.execute(
        planned_titles.insert().values(official_id=people["A4"].id, title_id=vice_chair.id)
    )
    session.add_all(
        [
            Role(official=people["CA"], kind=RoleKind.COORDINATOR, unit=a),
            Role(official=people["AD"], kind=RoleKind.ADMIN),
        ]
    )
    llct = Course(
        code="LLCT-TC-2026",
        name="Trung cấp LLCT 2026",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 3, 1),
    )
    course = Course(
        code="LLCT-TC-2027",
        name="Trung cấp LLCT 2027",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 9, 1),
    )
    programme = Programme(code="DN-26", name="Dự nguồn 2026")
    session.add_all([llct, course, programme])
    await session.flush()
    session.add_all(
        [
            Enrollment(
                official=people["A2"],
                course=llct,
                status=EnrollmentStatus.COMPLETED,
                completed_on=date(2026, 3, 1),
            ),
            Enrollment(official=people["A1"], course=course, status=EnrollmentStatus.REGISTERED),
            ProgrammeMember(programme_id=programme.id, official_id=people["A6"].id),
        ]
    )
    chats = {**CHATS, "CA": CA, "AD": AD}
    for code, chat_id in chats.items():
        session.add(
            ChatAccount(
                channel=Channel.TELEGRAM,
                external_id=str(chat_id),
                official=people[code],
                muted_kinds=[],
                dialog_data={},
                unreachable_since=datetime(2026, 10, 1, tzinfo=UTC) if code == "A4" else None,
            )
        )
    await session.commit()
    return Province(province, a, b, board, people, course, programme)


@pytest.fixture
async def world(session) -> Province:
    return await build_province(session)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    """The fake with short per-chat bursts allowed, so a dialogue is not throttled."""
    async with FakeTelegram(chat_burst=100) as fake:
        fake.block(CHATS["A4"])
        yield fake


async def start_bot(fake: FakeTelegram, database_url: str) -> App:
    """The service as `canbo run` builds it, without its own reminder jobs: the tests run the
    dispatcher themselves, at the moments they choose."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        http_port=0,
        telegram_token=SecretStr(fake.token),
        telegram_api_url=fake.base_url,
    )
    app = await build_app(settings)
    without_reminders(app)
    await app.start()
    return app


@pytest.fixture
async def bot(fake, database_url, world) -> AsyncIterator[App]:
    app = await start_bot(fake, database_url)
    yield app
    await app.stop()


async def dispatch(engine: AsyncEngine, fake: FakeTelegram, at: datetime) -> DispatchReport:
    """Deliver what is due at ``at`` through the fake, once, as a fresh dispatcher would (no
    quiet hours, so the tests do not depend on the hour they run at)."""
    clock = VirtualClock(at)
    config = ReminderConfig(quiet_hours=QuietWindow(time(0), time(0)))
    sender = TelegramSender(fake.token, fake.base_url)
    outlets = {
        Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock)),
        Channel.WEB: web_outlet(session_factory(engine)),
    }
    dispatcher = Dispatcher(engine, outlets, config, clock=clock)
    try:
        report = await dispatcher.drain()
    finally:
        await dispatcher.close()
    assert report is not None, "another dispatcher holds the lock"
    return report


def soon() -> datetime:
    return datetime.now(UTC) + timedelta(minutes=1)
