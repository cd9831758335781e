"""Registering for a class: the list and its options share one numbering, every option names
its class and start date without cutting a word, registering asks to confirm first (buttons on
Telegram, numbers on Zalo and the terminal), and one class of a course is taken at a time."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from handlers.courses import short_name
from storage.callback_data import ConfirmRegistration, Register, encode
from storage.db import session_factory
from storage.models import Channel, Course, CourseKind, Enrollment
from tests.handlers.conftest import Chat, linked_chat, new_code

DEMO_NAMES = [
    "Trung cấp lý luận chính trị - hành chính, hệ không tập trung, khóa K1",
    "Trung cấp lý luận chính trị - hành chính, hệ không tập trung, khóa K2",
    "Bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã năm 2025, đợt 1",
    "Bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã năm 2025, đợt 2",
    "Đại học Luật, vừa làm vừa học, khóa K0",
]


@pytest.mark.parametrize("name", DEMO_NAMES)
def test_a_short_name_keeps_whole_words_and_the_class(name):
    short = short_name(name)
    assert len(short) <= 30
    words = set(name.replace(",", " ").split()) | {"LLCT-HC", "CNKT", "…"}
    assert all(word.strip(",") in words for word in short.split()), short
    assert short.split()[-1] == name.split()[-1]  # "K1", "K2", "1", "2": the class shows


def test_classes_of_one_course_get_different_short_names():
    assert len({short_name(name) for name in DEMO_NAMES}) == len(DEMO_NAMES)


async def _second_class(engine) -> Course:
    async with session_factory(engine)() as session:
        course = Course(
            code="LLCT-K13",
            name="Trung cấp LLCT khóa 13",
            kind=CourseKind.LLCT_INTERMEDIATE,
            starts_on=date(2025, 10, 1),
            ends_on=date(2026, 7, 30),
            enroll_by=date(2025, 8, 15),
        )
        session.add(course)
        await session.commit()
        return course


async def test_telegram_asks_to_confirm_and_refuses_a_second_class_of_the_course(
    world, conversation, engine
):
    later = await _second_class(engine)
    chat = await linked_chat(conversation, engine, world.official)
    [listing] = await chat.send("/khoahoc")
    first_row, second_row = listing.buttons[0], listing.buttons[1]
    assert first_row[0].meaning == Register(world.llct.id)
    assert second_row[0].meaning == Register(later.id)
    assert second_row[0].label == "2. Trung cấp LLCT khóa 13 · 01/10/2025"
    assert "2. Trung cấp LLCT khóa 13 (Trung cấp LLCT), khai giảng 01/10/2025" in listing.text

    [question] = await chat.press(first_row[0].data)
    assert question.text == "Đăng ký lớp Trung cấp LLCT khóa 12, khai giảng 01/09/2025?"
    yes, no = question.buttons[0]
    assert (yes.label, no.label) == ("Có, đăng ký", "Không")
    assert yes.meaning == ConfirmRegistration(world.llct.id, "yes")
    [declined] = await chat.press(no.data)
    assert declined.text.startswith("Chưa đăng ký.")
    assert await _enrolled(engine) == []

    [done] = await chat.press(yes.data)
    assert done.text.startswith("Anh/chị đã đăng ký khóa Trung cấp LLCT khóa 12")
    [refused] = await chat.press(second_row[0].data)
    assert refused.text.startswith(
        "Anh/chị đã đăng ký lớp Trung cấp LLCT khóa 12, khai giảng 01/09/2025: mỗi khóa chỉ "
        "đăng ký một lớp một lúc."
    )
    [refused_again] = await chat.press(encode(ConfirmRegistration(later.id, "yes")))
    assert refused_again.text == refused.text
    assert await _enrolled(engine) == [world.llct.id]


async def test_on_the_terminal_typing_2_asks_about_item_2_of_the_list(world, conversation, engine):
    later = await _second_class(engine)
    terminal = Chat(conversation, chat_id="CB001", channel=Channel.TERMINAL)
    await terminal.send(f"/start {await new_code(engine, world.official)}")

    listing = await terminal.say("/khoahoc")
    lines = listing.splitlines()
    second = next(line for line in lines if line.startswith("2. "))
    assert second.startswith("2. Trung cấp LLCT khóa 13")
    assert listing.count("Trung cấp LLCT khóa 13") == 1
    assert "Gõ một số từ 1 đến 3." in listing or "Gõ 1, 2 hoặc 3." in listing

    question = await terminal.say("2")
    assert question.startswith("Đăng ký lớp Trung cấp LLCT khóa 13, khai giảng 01/10/2025?")
    assert "1. Có, đăng ký\n2. Không" in question
    assert (await terminal.say("1")).startswith("Anh/chị đã đăng ký khóa Trung cấp LLCT khóa 13")
    assert await _enrolled(engine) == [later.id]


async def _enrolled(engine) -> list[int]:
    async with session_factory(engine)() as session:
        return list(await session.scalars(select(Enrollment.course_id).order_by(Enrollment.id)))
