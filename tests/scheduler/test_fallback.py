"""Fallback per recipient through the real clients and the fake Telegram, Zalo and ZNS servers:
a blocked Telegram chat gives way to the official's Zalo chat, no chat at all to ZNS for an
important message, a spent ZNS quota to "not reachable"; each step recorded, nothing twice."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram_delivery import TelegramSender
from bot.channels.zalo import ZaloClient
from bot.channels.zalo_delivery import ZaloSender
from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.fallback import Fallback
from scheduler.limits import Limits, send_budget
from storage import broadcasts, reach
from storage.db import session_factory
from storage.models import (
    Channel,
    ChatAccount,
    DeliveryAttempt,
    OutboxMessage,
    OutboxStatus,
    ZnsSend,
)
from storage.outbox import Notice, enqueue
from tests.factories import make_official
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.fakes.zns_api import FakeZns
from tests.scheduler.helpers import VirtualClock, local
from tests.zns.conftest import STANDARDS_TEMPLATE, TEMPLATES, zns_sender

CONFIG = ReminderConfig()
MONDAY = datetime(2026, 11, 30).date()


class World:
    """The dispatcher and the fallback of one worker, and the fakes they talk to."""

    def __init__(self, engine, clock, telegram, zalo, zns) -> None:
        self.engine, self.clock = engine, clock
        self.telegram, self.zalo, self.zns = telegram, zalo, zns
        sessions = session_factory(engine)
        outlets = {
            Channel.TELEGRAM: Outlet(
                TelegramSender(telegram.token, telegram.base_url),
                send_budget(None, "telegram", Limits(), clock),
            ),
            Channel.ZALO: Outlet(
                ZaloSender(ZaloClient(zalo.token, zalo.base_url), sessions, "vi"),
                send_budget(None, "zalo", Limits(per_second=10, per_chat_second=10), clock),
            ),
        }
        self.dispatcher = Dispatcher(engine, outlets, CONFIG, clock=clock)
        self.fallback = self.new_fallback()

    def new_fallback(self) -> Fallback:
        sender = zns_sender(self.zns, self.engine, clock=self.clock, broadcast=STANDARDS_TEMPLATE)
        return Fallback(
            session_factory(self.engine),
            CONFIG,
            [Channel.TELEGRAM, Channel.ZALO],
            sender,
            self.clock,
        )

    async def deliver(self) -> None:
        """Dispatch and fall back until nothing moves."""
        for _ in range(5):
            sent = await self.dispatcher.run_once()
            moved = await self.fallback.run_once()
            if not sent.claimed and not moved.rerouted:
                return

    async def close(self) -> None:
        await self.dispatcher.close()
        await self.fallback.close()


@pytest.fixture
async def world(engine):
    clock = VirtualClock(local(MONDAY, time(9)))
    async with (
        FakeTelegram(clock=clock.monotonic) as telegram,
        FakeZalo() as zalo,
        FakeZns(templates=dict(TEMPLATES)) as zns,
    ):
        world = World(engine, clock, telegram, zalo, zns)
        await world.fallback.zns.client.tokens.seed(zns.issue_refresh_token())  # type: ignore[union-attr]
        yield world
        await world.close()


async def _official(
    session: AsyncSession, code: str, phone: str | None = None, **chats: str
) -> int:
    official = await make_official(session, code, phone=phone)
    for number, (channel, external_id) in enumerate(chats.items()):
        session.add(
            ChatAccount(
                channel=Channel(channel),
                external_id=external_id,
                official_id=official.id,
                preferred=number == 0,
            )
        )
    await session.commit()
    return official.id


async def _announce(session: AsyncSession, clock: VirtualClock, *officials: int, **row: Any):
    """An announcement (urgent, as every announcement is) to each official."""
    data = {"broadcast": 1, "text": "Họp giao ban lúc 14:00 thứ Ba.", "signature": "", "ack": False}
    notices = [
        Notice(
            kind=row.get("kind", broadcasts.KIND),
            payload=row.get("payload", data),
            not_before=clock.now(),
            official_id=official,
            subject="1",
            urgent=row.get("urgent", True),
        )
        for official in officials
    ]
    await enqueue(session, notices)
    await session.commit()


async def _row(session: AsyncSession, official: int) -> OutboxMessage:
    session.expire_all()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.official_id == official))
    assert row is not None
    return row


async def _steps(session: AsyncSession, row: OutboxMessage) -> list[tuple[str, str | None]]:
    found = await session.execute(
        select(DeliveryAttempt.outcome, DeliveryAttempt.detail)
        .where(DeliveryAttempt.outbox_id == row.id)
        .order_by(DeliveryAttempt.id)
    )
    return [(outcome, detail) for outcome, detail in found]


async def test_a_blocked_telegram_chat_gives_way_to_the_officials_zalo_chat(session, world):
    official = await _official(session, "CB1", "0912000001", telegram="101", zalo="zu-1")
    world.telegram.block(101)
    await _announce(session, world.clock, official)

    await world.deliver()

    row = await _row(session, official)
    assert row.status is OutboxStatus.SENT
    [message] = world.zalo.messages_to("zu-1")
    assert "Họp giao ban" in (message.text or "")
    assert world.telegram.sent == [] and world.zns.sent == []
    steps = await _steps(session, row)
    assert [outcome for outcome, _ in steps] == ["unreachable", "fallback", "sent"]
    assert steps[1][1] == "Forbidden: bot was blocked by the user; next: zalo"


async def test_a_chat_failing_for_days_yields_to_the_other_chat(session, world):
    official = await _official(session, "CB2", telegram="102", zalo="zu-2")
    failing = world.clock.now() - timedelta(days=reach.current().failing_days, hours=1)
    await session.execute(
        update(ChatAccount).where(ChatAccount.external_id == "102").values(failing_since=failing)
    )
    await _announce(session, world.clock, official)

    await world.deliver()

    assert len(world.zalo.messages_to("zu-2")) == 1
    assert world.telegram.calls == []


async def test_no_chat_goes_on_to_zns_by_phone_counted_for_the_unit(session, world):
    official = await _official(session, "CB3", "0912000003")
    await _announce(session, world.clock, official)

    await world.deliver()

    row = await _row(session, official)
    assert row.status is OutboxStatus.SENT
    [message] = world.zns.sent
    assert message.phone == "84912000003"
    assert "Họp giao ban" in message.template_data["noi_dung"]
    assert [outcome for outcome, _ in await _steps(session, row)] == ["unreachable", "zns"]
    record = await session.scalar(select(ZnsSend))
    assert record is not None
    assert (record.outcome, record.month, record.development) == ("sent", "2026-11", False)


async def test_a_spent_zns_quota_ends_in_not_reachable(session, world):
    world.zns.daily_quota = 1
    first, second, third = [await _official(session, f"CB4{n}", f"091200004{n}") for n in range(3)]
    await _announce(session, world.clock, first, second, third)

    await world.deliver()

    statuses = [(await _row(session, o)).status for o in (first, second, third)]
    assert statuses == [OutboxStatus.SENT, OutboxStatus.UNREACHABLE, OutboxStatus.UNREACHABLE]
    assert len(world.zns.sent) == 1
    assert (await _steps(session, await _row(session, second)))[-1] == (
        "not_reachable",
        "ZNS: quota",
    )
    # the OA said its quota is spent: the third is not even tried today
    assert (await _steps(session, await _row(session, third)))[-1] == (
        "not_reachable",
        "ZNS quota spent",
    )


async def test_a_message_that_is_not_important_is_not_worth_a_paid_zns(session, world):
    official = await _official(session, "CB5", "0912000005")
    await _announce(session, world.clock, official, urgent=False)

    await world.deliver()

    row = await _row(session, official)
    assert row.status is OutboxStatus.UNREACHABLE
    assert world.zns.sent == []
    assert (await _steps(session, row))[-1] == ("not_reachable", "not linked")


async def test_two_workers_send_each_message_by_zns_once(session, world):
    officials = [await _official(session, f"CB6{n}", f"091200006{n}") for n in range(6)]
    await _announce(session, world.clock, *officials)
    await world.dispatcher.run_once()
    other = world.new_fallback()

    try:
        await asyncio.gather(world.fallback.run_once(), other.run_once())
    finally:
        await other.close()

    assert sorted(m.phone for m in world.zns.sent) == [f"8491200006{n}" for n in range(6)]
    assert len(list(await session.scalars(select(ZnsSend)))) == 6


async def test_during_quiet_hours_zns_waits_for_the_morning(session, world):
    world.clock.set(datetime(2026, 11, 30, 15, 0, tzinfo=UTC))  # 22:00 in Hà Nội
    official = await _official(session, "CB7", "0912000007")
    await _announce(session, world.clock, official)

    await world.dispatcher.run_once()
    night = await world.fallback.run_once()
    world.clock.set(local(MONDAY + timedelta(days=1), time(7, 1)))
    morning = await world.fallback.run_once()

    assert (night.later, morning.zns_sent) == (1, 1)
    assert len(world.zns.sent) == 1


def test_important_kinds():
    from scheduler.fallback import important

    def row(kind: str, urgent: bool = False, **payload: str) -> OutboxMessage:
        return OutboxMessage(kind=kind, urgent=urgent, payload=payload)

    assert important(row(kinds.STANDARDS))
    assert important(row(kinds.BOND, step="end"))
    assert important(row(kinds.BOND, step="before_end"))
    assert not important(row(kinds.BOND, step="anniversary"))
    assert important(row(broadcasts.KIND, urgent=True))
    assert not important(row(broadcasts.KIND))
    assert not important(row(kinds.COURSE_START))


async def test_a_message_zns_could_not_carry_is_reported_in_the_coordinators_digest(session, world):
    from locales import translator
    from scheduler.messages import line
    from scheduler.planner import plan
    from storage.models import Role, RoleKind, UnitKind
    from tests.factories import make_unit
    from tests.scheduler.helpers import outbox

    reach.configure(reach.Setup.of(zns=True, failing_days=3))
    world.zns.daily_quota = 1
    province = await make_unit(session, "P", "Tỉnh Demo", UnitKind.PROVINCE)
    commune = await make_unit(session, "A", "Xã Bắc", UnitKind.COMMUNE, parent=province)
    coordinator = await make_official(session, "BTC", unit=province, full_name="Trần Điều Phối")
    session.add(Role(official_id=coordinator.id, kind=RoleKind.COORDINATOR, unit_id=province.id))
    session.add(
        ChatAccount(channel=Channel.TELEGRAM, external_id="900", official_id=coordinator.id)
    )
    first = await make_official(
        session, "Z1", unit=commune, full_name="Lý Một", phone="+84912000801"
    )
    second = await make_official(
        session, "Z2", unit=commune, full_name="Lý Hai", phone="+84912000802"
    )
    await session.commit()
    await _announce(session, world.clock, first.id, second.id)
    await world.deliver()

    await plan(session, world.clock.now(), CONFIG)

    (digest,) = await outbox(session, kind="digest")
    parts = line(translator("en"), digest.kind, digest.payload).split("\n\n")
    assert parts[1] == (
        "Reach of the 3 officials: Telegram 1 · ZNS by phone (important messages only) 2"
    )
    assert parts[-1] == (
        "Cannot be reached (1):\n• Lý Hai (Xã Bắc): a message this week reached them by no channel"
    )


async def test_every_chat_refusing_ends_with_zns_each_step_recorded_once(session, world):
    official = await _official(session, "CB8", "0912000008", telegram="108", zalo="zu-8")
    world.telegram.block(108)
    world.zalo.block("zu-8")
    await _announce(session, world.clock, official)

    await world.deliver()

    row = await _row(session, official)
    assert row.status is OutboxStatus.SENT
    assert [outcome for outcome, _ in await _steps(session, row)] == [
        "unreachable",
        "fallback",
        "unreachable",
        "zns",
    ]
    assert world.telegram.sent == [] and world.zalo.sent == []
    assert [m.phone for m in world.zns.sent] == ["84912000008"]
