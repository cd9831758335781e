"""The coordinators' weekly digest counts what each channel reaches, ZNS among them once it is
set up, and lists as not reachable only those no channel reaches."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import translator
from scheduler.messages import line
from scheduler.planner import plan
from storage import reach
from storage.models import Unit
from tests.factories import make_official
from tests.scheduler.helpers import local, outbox
from tests.scheduler.test_digest import CONFIG, MONDAY, _province


async def _with_and_without_phone(session: AsyncSession) -> None:
    """The province of the digest tests, and two officials of Xã Bắc with no chat: one with a
    mobile number on the roster, one without."""
    await _province(session)
    north = await session.scalar(select(Unit).where(Unit.code == "A"))
    await make_official(session, "PHN", unit=north, full_name="Lý Có Số", phone="+84912000111")
    await make_official(session, "NOP", unit=north, full_name="Mai Không Số")
    await session.commit()


async def _digest(session: AsyncSession) -> list[str]:
    await plan(session, local(MONDAY), CONFIG)
    (digest,) = await outbox(session, kind="digest")
    return line(translator("en"), digest.kind, digest.payload).split("\n\n")


async def test_zns_is_counted_and_whom_it_reaches_is_not_listed_unreachable(session):
    await _with_and_without_phone(session)
    reach.configure(reach.Setup.of(zns=True, failing_days=3))

    parts = await _digest(session)

    assert parts[1] == (
        "Reach of the 6 officials: Telegram 3 · ZNS by phone (important messages only) 1"
    )
    assert parts[-1] == (
        "Cannot be reached (2):\n"
        "• Mai Không Số (Xã Bắc): not linked\n"
        "• Vũ Chặn (Xã Bắc): blocked the bot"
    )


async def test_without_zns_a_phone_reaches_nobody(session):
    await _with_and_without_phone(session)

    parts = await _digest(session)

    assert parts[1] == "Reach of the 6 officials: Telegram 3"
    assert parts[-1] == (
        "Cannot be reached (3):\n"
        "• Lý Có Số (Xã Bắc): not linked\n"
        "• Mai Không Số (Xã Bắc): not linked\n"
        "• Vũ Chặn (Xã Bắc): blocked the bot"
    )
