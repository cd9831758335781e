"""A small province for conversation tests, and a chat that talks to the conversation.

The clock is fixed at NOW (10:00 on 02/06/2025 in Hà Nội). The official CB001 chairs a commune
People's Committee with elementary political theory, so intermediate is missing (deadline
01/08/2028); an intermediate political-theory course is open; a bond of 48 months that cost
60.000.000 ₫ has run 20 months, so leaving now repays 35.000.000 ₫.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from handlers.conversation import Conversation, ConversationConfig
from handlers.linking import issue_code
from handlers.messages import Contact, Incoming, Reply, parse_command
from rules.profiles import Standards
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from storage.db import session_factory
from storage.models import (
    Bond,
    Channel,
    Course,
    CourseKind,
    Official,
    Role,
    RoleKind,
    UnitKind,
)
from tests.factories import make_official, make_unit

NOW = datetime(2025, 6, 2, 3, 0, tzinfo=UTC)
TODAY = date(2025, 6, 2)
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass
class World:
    official: Official
    other: Official
    coordinator: Official
    llct: Course
    refresher: Course
    closed: Course


async def build_world(session: AsyncSession) -> World:
    province = await make_unit(session, code="01", name="Thành phố Hà Nội", kind=UnitKind.CITY)
    commune = await make_unit(
        session, code="00070", name="Phường Hoàn Kiếm", kind=UnitKind.WARD, parent=province
    )
    elsewhere = await make_unit(session, code="02", name="Tỉnh Hà Giang", kind=UnitKind.PROVINCE)
    official = await make_official(
        session,
        "CB001",
        unit=commune,
        full_name="Nguyễn Văn An",
        appointed_on=date(2021, 6, 1),
        general_education=GeneralEducation.UPPER_SECONDARY,
        professional_level=ProfessionalLevel.UNIVERSITY,
        political_theory=PoliticalTheory.ELEMENTARY,
        phone="+84912345678",
    )
    other = await make_official(
        session,
        "CB002",
        unit=commune,
        full_name="Trần Thị Bình",
        phone="+84987654321",
        political_theory=PoliticalTheory.INTERMEDIATE,
    )
    coordinator = await make_official(session, "BTC01", unit=province, full_name="Lê Văn Cường")
    outsider = await make_official(session, "BTC02", unit=elsewhere, full_name="Phạm Thị Dung")
    session.add_all(
        [
            Role(official=coordinator, kind=RoleKind.COORDINATOR, unit_id=province.id),
            Role(official=outsider, kind=RoleKind.COORDINATOR, unit_id=elsewhere.id),
        ]
    )
    llct = Course(
        code="LLCT-K12",
        name="Trung cấp LLCT khóa 12",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 6, 30),
        enroll_by=date(2025, 7, 15),
    )
    refresher = Course(
        code="CNKT-2025",
        name="Cập nhật kiến thức 2025",
        kind=CourseKind.REFRESHER,
        starts_on=date(2025, 10, 6),
        ends_on=date(2025, 10, 10),
    )
    closed = Course(
        code="LLCT-K11",
        name="Trung cấp LLCT khóa 11",
        kind=CourseKind.LLCT_INTERMEDIATE,
        starts_on=date(2025, 5, 1),
        ends_on=date(2026, 3, 1),
        enroll_by=date(2025, 4, 15),
    )
    session.add_all([llct, refresher, closed])
    session.add(
        Bond(
            official=official,
            starts_on=date(2023, 10, 2),
            months=48,
            cost=Decimal(60_000_000),
        )
    )
    await session.commit()
    return World(official, other, coordinator, llct, refresher, closed)


@pytest.fixture
async def world(session: AsyncSession) -> World:
    return await build_world(session)


@pytest.fixture
def conversation(engine: AsyncEngine) -> Conversation:
    config = ConversationConfig(standards=Standards(), zone=ZONE, bot_username="canbo_test_bot")
    return Conversation(session_factory(engine), config)


class Chat:
    """One user in a private chat (or a group), sending what a phone would send; on Telegram
    unless ``channel`` says otherwise (Zalo and the terminal get numbered options)."""

    def __init__(
        self,
        conversation: Conversation,
        chat_id: str = "1001",
        sender_id: str | None = None,
        is_group: bool = False,
        language_hint: str | None = None,
        channel: Channel = Channel.TELEGRAM,
    ) -> None:
        self.conversation = conversation
        self.chat_id = chat_id
        self.sender_id = sender_id or chat_id
        self.is_group = is_group
        self.language_hint = language_hint
        self.channel = channel

    async def _handle(self, now: datetime | None, **fields: object) -> list[Reply]:
        incoming = Incoming(
            channel=self.channel,
            chat_id=self.chat_id,
            sender_id=self.sender_id,
            is_group=self.is_group,
            language_hint=self.language_hint,
            **fields,  # type: ignore[arg-type]
        )
        return await self.conversation.handle(incoming, now=now or NOW)

    async def send(self, text: str, now: datetime | None = None) -> list[Reply]:
        command, args = parse_command(text)
        return await self._handle(now, text=text, command=command, args=args)

    async def say(self, text: str, now: datetime | None = None) -> str:
        """The text of the replies to ``text``."""
        return "\n".join(reply.text for reply in await self.send(text, now))

    async def press(self, data: str, now: datetime | None = None) -> list[Reply]:
        return await self._handle(now, callback_data=data)

    async def share(self, phone: str, user_id: str | None) -> list[Reply]:
        return await self._handle(None, contact=Contact(phone=phone, user_id=user_id))


async def new_code(
    engine: AsyncEngine, official: Official, now: datetime = NOW, days: int = 7
) -> str:
    async with session_factory(engine)() as session:
        code = await issue_code(session, official, now, days)
        await session.commit()
    return code


async def linked_chat(
    conversation: Conversation, engine: AsyncEngine, official: Official, chat_id: str = "1001"
) -> Chat:
    chat = Chat(conversation, chat_id)
    await chat.send(f"/start {await new_code(engine, official)}")
    return chat
