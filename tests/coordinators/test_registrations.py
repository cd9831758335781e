"""Registrations made in the chat, confirmed or declined by the board (storage.registrations):
the official registers with buttons, a coordinator of their commune confirms, and the official's
chat gets the message through the outbox; a coordinator of another commune can neither see nor
decide it; a decision is taken once; a decline needs a reason; completions count for the rules.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from storage import registrations
from storage.access import Actor, OutOfScope, Refused, scope_of
from storage.facts import completed_trainings
from storage.models import AuditEntry, Enrollment, EnrollmentStatus, Official, OutboxMessage
from tests.coordinators.conftest import CA, CHATS, Province, dispatch, soon
from tests.coordinators.test_cli import run  # noqa: F401  (the CLI fixture)
from tests.fakes.telegram_api import FakeTelegram
from tests.telegram.chat import Chat

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)
CONFIRMED_VI = (
    "Ban Tổ chức đã xác nhận chỗ học của anh/chị tại lớp Trung cấp LLCT 2027, "
    "khai giảng 01/03/2027."
)


async def register_in_chat(fake: FakeTelegram, code: str) -> None:
    """The official registers for the first open class, pressing the buttons."""
    chat = Chat(fake, CHATS[code])
    (listing,) = await chat.say("/khoahoc")
    (question,) = await chat.press(listing, listing.buttons[0][0]["text"])
    (done,) = await chat.press(question, question.buttons[0][0]["text"])
    assert done.text is not None and "Ban Tổ chức sẽ xác nhận chỗ học" in done.text


async def official_id(session, code: str) -> int:
    found = await session.scalar(select(Official.id).where(Official.code == code))
    assert found is not None
    return int(found)


async def actor(session, world: Province, code: str) -> Actor:
    scope = await scope_of(session, await official_id(session, code))
    assert scope is not None
    return Actor(f"console:{code}", scope)


async def _enrollment(session, code: str) -> Enrollment:
    session.expire_all()
    found: Enrollment | None = await session.scalar(
        select(Enrollment).join(Official).where(Official.code == code)
    )
    assert found is not None
    return found


def _texts(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [m.text or "" for m in fake.sent if m.chat_id == chat_id]


async def test_a_registration_confirmed_reaches_the_official(bot, fake, session, engine, world):
    await register_in_chat(fake, "A5")
    enrollment = await _enrollment(session, "A5")
    assert enrollment.requested_at is not None
    ca = await actor(session, world, "CA")
    assert [e.id for e in await registrations.pending(session, ca.scope)] == [enrollment.id]

    await registrations.confirm(session, ca, enrollment.id, NOW)
    await session.commit()
    await dispatch(engine, fake, soon())

    assert CONFIRMED_VI in _texts(fake, CHATS["A5"])
    assert (  # the note to the board, saying where to act
        "Hoàng Văn Em (A5, Xã An Bình) đã đăng ký khóa Trung cấp LLCT 2027 (LLCT-TC-2027), khai "
        "giảng 01/03/2027. Hãy xác nhận hoặc từ chối chỗ học ở mục Đăng ký học trên bảng điều "
        "khiển." in _texts(fake, CA)
    )
    assert await registrations.pending(session, ca.scope) == []
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action.like("registration%")))
    assert entry is not None
    assert (entry.actor, entry.action, entry.target, entry.detail) == (
        "console:CA",
        "registration.confirm",
        f"enrollment:{enrollment.id}",
        {"official": "A5", "course": "LLCT-TC-2027"},
    )
    with pytest.raises(Refused, match="already been confirmed"):
        await registrations.confirm(session, ca, enrollment.id, NOW)


async def test_another_communes_coordinator_neither_sees_nor_decides(bot, fake, session, world):
    await register_in_chat(fake, "B1")
    enrollment = await _enrollment(session, "B1")
    ca = await actor(session, world, "CA")

    assert await registrations.pending(session, ca.scope) == []
    with pytest.raises(OutOfScope) as refused:
        await registrations.confirm(session, ca, enrollment.id, NOW)
    with pytest.raises(Refused) as missing:
        await registrations.confirm(session, ca, 999_999, NOW)
    assert refused.value.message == missing.value.message  # an outsider learns nothing
    await session.rollback()
    assert (await _enrollment(session, "B1")).confirmed_at is None
    outbox = await session.scalar(select(func.count()).select_from(OutboxMessage))
    assert outbox == 0  # nothing queued: B2 has no coordinator, and B1 was told nothing


async def test_the_cli_refuses_out_of_scope_and_audits_it(run, session, world):  # noqa: F811
    course_id = world.course.id
    session.add(
        Enrollment(
            official_id=await official_id(session, "B1"),
            course_id=course_id,
            status=EnrollmentStatus.REGISTERED,
            requested_at=NOW,
        )
    )
    await session.commit()
    enrollment = await _enrollment(session, "B1")

    status, _out, err = await run("registrations", "confirm", "--as", "CA", str(enrollment.id))

    assert (status, err) == (
        1,
        f"Không có đăng ký số {enrollment.id} trong các đơn vị anh/chị phụ trách.\n",
    )
    refusal = await session.scalar(select(AuditEntry).where(AuditEntry.action == "scope.refused"))
    assert refusal is not None and refusal.target == f"enrollment:{enrollment.id}"
    status, out, _err = await run("registrations", "list", "--admin")
    assert status == 0 and out.startswith(f"#{enrollment.id} Đỗ Văn Hải (B1, Xã Bình Minh)")
    status, out, _err = await run("registrations", "confirm", "--admin", str(enrollment.id))
    assert status == 0 and out.startswith("Đã xác nhận, cán bộ sẽ được báo")


async def test_a_decline_needs_a_reason_tells_it_and_frees_the_official(
    bot, fake, session, engine, world
):
    await register_in_chat(fake, "A5")
    enrollment = await _enrollment(session, "A5")
    ca = await actor(session, world, "CA")
    with pytest.raises(Refused, match="Say why"):
        await registrations.decline(session, ca, enrollment.id, "   ", NOW)

    await registrations.decline(session, ca, enrollment.id, "Lớp đã đủ chỗ", NOW)
    await session.commit()
    await dispatch(engine, fake, soon())

    assert (
        "Ban Tổ chức không xác nhận đăng ký lớp Trung cấp LLCT 2027 của anh/chị: Lớp đã đủ chỗ"
        in _texts(fake, CHATS["A5"])
    )
    declined = await _enrollment(session, "A5")
    assert declined.status is EnrollmentStatus.DROPPED
    await register_in_chat(fake, "A5")  # asked again, it waits for a decision again
    again = await _enrollment(session, "A5")
    assert (again.status, again.declined_at) == (EnrollmentStatus.REGISTERED, None)
    assert [e.id for e in await registrations.pending(session, ca.scope)] == [again.id]


async def test_a_completion_counts_for_the_rules(session, world):
    ca = await actor(session, world, "CA")
    a1 = await official_id(session, "A1")
    (enrollment,) = [e for e in await registrations.active(session, ca.scope)]
    assert enrollment.official_id == a1
    with pytest.raises(Refused, match="between 01/03/2027 and today"):
        await registrations.complete(session, ca, enrollment.id, date(2026, 1, 1), date(2027, 9, 1))

    await registrations.complete(session, ca, enrollment.id, date(2027, 9, 1), date(2027, 9, 2))
    await session.commit()

    trainings = await completed_trainings(session, [a1])
    assert [(t.kind, t.completed_on) for t in trainings[a1]] == [
        ("llct_intermediate", date(2027, 9, 1))
    ]
