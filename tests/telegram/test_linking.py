"""Linking a Telegram chat to an official's record, end to end through the fake Bot API."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import Channel, ChatAccount, Enrollment, EnrollmentStatus, OutboxMessage
from tests.telegram.chat import Chat
from tests.telegram.records import make_record, new_code, now

NAME = "Trần Thị Bình"


async def _linked_official_id(session, chat: Chat):
    return await session.scalar(
        select(ChatAccount.official_id).where(
            ChatAccount.channel == Channel.TELEGRAM, ChatAccount.external_id == str(chat.chat_id)
        )
    )


async def test_linking_by_deep_link_shows_the_menu_and_the_record(bot, fake, session):
    record = await make_record(session)
    code = await new_code(session, record.official)
    chat = Chat(fake, 1001)

    (linked,) = await chat.say(f"/start {code.replace('-', '')}")

    assert linked.text is not None and linked.text.startswith("Liên kết thành công")
    assert NAME in linked.text
    assert linked.keyboard[0] == [{"text": "Tình trạng chuẩn hóa"}, {"text": "Hạn đào tạo"}]
    assert await _linked_official_id(session, chat) == record.official.id
    assert NAME in await chat.ask("/trangthai")


async def test_linking_by_a_typed_code(bot, fake, session):
    record = await make_record(session)
    code = await new_code(session, record.official)
    chat = Chat(fake, 1002, language_code="en")

    answer = await chat.ask(code.lower().replace("-", " "))

    assert answer.startswith("Linked. Hello Trần Thị Bình")
    assert await _linked_official_id(session, chat) == record.official.id


async def test_linking_by_sharing_ones_own_phone_number(bot, fake, session):
    record = await make_record(session)
    chat = Chat(fake, 1003)
    (hint,) = await chat.say("/start")
    assert hint.keyboard[-1] == [{"text": "Chia sẻ số điện thoại của tôi", "request_contact": True}]

    answer = await chat.share_contact("84912345678", contact_user_id=1003)

    assert answer.startswith("Liên kết thành công") and NAME in answer
    assert await _linked_official_id(session, chat) == record.official.id


async def test_someone_elses_contact_is_refused(bot, fake, session):
    await make_record(session)
    chat = Chat(fake, 1004)

    answers = [
        await chat.share_contact("+84912345678", contact_user_id=2222),
        await chat.share_contact("+84912345678", contact_user_id=None),
    ]

    assert all(NAME not in answer for answer in answers)
    assert all(m.keyboard[-1][-1].get("request_contact") for m in chat.received())
    assert await _linked_official_id(session, chat) is None


async def test_an_expired_code_is_refused(bot, fake, session):
    record = await make_record(session)
    code = await new_code(session, record.official, issued=now() - timedelta(days=8))
    chat = Chat(fake, 1005, language_code="en")

    answer = await chat.ask(f"/start {code}")

    assert answer.startswith("This code expired on")
    assert await _linked_official_id(session, chat) is None


async def test_a_used_code_is_refused_to_another_chat(bot, fake, session):
    record = await make_record(session)
    code = await new_code(session, record.official)
    first, second = Chat(fake, 1006), Chat(fake, 1007, language_code="en")
    await first.say(f"/start {code}")

    answer = await second.ask(code)

    assert answer.startswith("This code has already been used")
    assert await _linked_official_id(session, second) is None
    assert await _linked_official_id(session, first) == record.official.id


async def test_five_wrong_codes_in_an_hour_refuse_even_the_right_one(bot, fake, session):
    record = await make_record(session)
    code = await new_code(session, record.official)
    chat = Chat(fake, 1008, language_code="en")

    wrong = [
        await chat.ask(guess)
        for guess in ("AAAA-2222", "BBBB-3333", "/start CCCC4444", "DDDD 5555", "EEEE-6666")
    ]
    refused = await chat.ask(code)

    assert all(answer.startswith("This code is not valid") for answer in wrong)
    assert refused.startswith("Too many wrong codes from this chat")
    assert await _linked_official_id(session, chat) is None


async def test_unlinking_removes_the_menu_and_the_record(bot, fake, session):
    record = await make_record(session)
    chat = Chat(fake, 1009)
    await chat.say(f"/start {await new_code(session, record.official)}")

    (unlinked,) = await chat.say("/huylienket")
    after = await chat.ask("/trangthai")

    assert unlinked.removes_keyboard
    assert NAME not in after
    assert await _linked_official_id(session, chat) is None


async def test_registering_for_a_course_with_its_button(bot, fake, session):
    record = await make_record(session)
    chat = Chat(fake, 1010)
    await chat.say(f"/start {await new_code(session, record.official)}")
    (courses,) = await chat.say("/khoahoc")

    starts = record.course.starts_on.strftime("%d/%m/%Y")
    (question,) = await chat.press(courses, f"1. Trung cấp LLCT khóa 12 · {starts}")
    assert question.text == f"Đăng ký lớp Trung cấp lý luận chính trị khóa 12, khai giảng {starts}?"
    (registered,) = await chat.press(question, "Có, đăng ký")

    assert registered.text is not None and "Trung cấp lý luận chính trị khóa 12" in registered.text
    assert fake.answered_callbacks
    assert await session.scalar(select(Enrollment.status)) is EnrollmentStatus.REGISTERED
    kinds = set(await session.scalars(select(OutboxMessage.kind)))
    assert "course_registration" in kinds  # the coordinator hears of it
