"""The topic commands in Vietnamese and English, with what an official would look for in each."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.conversation import Conversation
from storage.callback_data import LIMIT, ConfirmRegistration, Register, encode
from storage.db import session_factory
from storage.models import ChatAccount, Enrollment, EnrollmentStatus, Official, OutboxMessage
from tests.handlers.conftest import TODAY, Chat, linked_chat

DAYS_TO_2028 = (date(2028, 8, 1) - TODAY).days  # 1.156
DAYS_TO_ENROL = (date(2025, 7, 15) - TODAY).days  # 43


async def chat_in(
    language: str, conversation: Conversation, engine: AsyncEngine, official: Official
) -> Chat:
    chat = await linked_chat(conversation, engine, official)
    if language == "en":
        await chat.press("set:lang:en")
    return chat


EXPECTED = {
    ("status", "vi"): [
        "Anh/chị còn thiếu 2 tiêu chuẩn: Lý luận chính trị, Bồi dưỡng cập nhật kiến thức hằng "
        "năm; hạn gần nhất 31/12/2025.",
        "❌ Lý luận chính trị: cần trung cấp trở lên, hiện có sơ cấp",
        f"Hạn 01/08/2028 (còn 1.{DAYS_TO_2028 - 1000:03d} ngày)",
        "Lớp: Trung cấp LLCT khóa 12, khai giảng 01/09/2025",
        "✅ Đã đạt: Trình độ học vấn, Trình độ chuyên môn.",
        "Tiêu chuẩn theo Nghị định 33/2023/NĐ-CP, tính đến ngày 02/06/2025.",
    ],
    ("status", "en"): [
        "You are missing 2 standards: Political theory, Yearly refresher training; nearest "
        "deadline 31/12/2025.",
        "❌ Political theory: intermediate or higher needed, you have elementary",
        f"Due 01/08/2028 (1,{DAYS_TO_2028 - 1000:03d} days left)",
        "Course: Trung cấp LLCT khóa 12, starts 01/09/2025",
        "✅ Met: General education, Professional level.",
    ],
    ("deadlines", "vi"): [
        f"hạn đăng ký 15/07/2025 (còn {DAYS_TO_ENROL} ngày)",
        "Bồi dưỡng cập nhật kiến thức năm 2025: đã học 0/1 khóa, hạn 31/12/2025",
        "• Lý luận chính trị: hạn 01/08/2028",
    ],
    ("deadlines", "en"): [
        f"enrol by 15/07/2025 ({DAYS_TO_ENROL} days left)",
        "Refresher 2025: 0 of 1 courses done, due 31/12/2025",
        "• Political theory: by 01/08/2028",
    ],
    ("bond", "vi"): [
        "Bắt đầu: 02/10/2023 · Kết thúc: 02/10/2027",
        "Đã phục vụ: 20/48 tháng, còn 28 tháng",
        "▓▓▓▓░░░░░░ 41,7%",
        "phải bồi hoàn 35.000.000 ₫",
        "S = F / T1 × (T1 − T2) = 60.000.000 ₫ / 48 × (48 − 20) = 35.000.000 ₫",
        "Mốc tiếp theo: tròn 2 năm phục vụ ngày 02/10/2025",
    ],
    ("bond", "en"): [
        "Start: 02/10/2023 · End: 02/10/2027",
        "Served: 20 of 48 months, 28 left",
        "you would repay 35,000,000 ₫",
        "= 60,000,000 ₫ / 48 × (48 − 20) = 35,000,000 ₫",
        "Next milestone: 2 years served on 02/10/2025",
    ],
    ("courses", "vi"): [
        "Khóa học đang mở đăng ký:",
        "1. Trung cấp LLCT khóa 12",
        "Giúp đạt chuẩn: Lý luận chính trị",
        "2. Cập nhật kiến thức 2025",
    ],
    ("courses", "en"): [
        "Courses open for registration:",
        "1. Trung cấp LLCT khóa 12 (Intermediate political theory)",
        "Closes your gap: Political theory",
    ],
}
COMMANDS = {
    "status": ("/trangthai", "/status"),
    "deadlines": ("/lichhoc", "/deadlines"),
    "bond": ("/camket", "/bond"),
    "courses": ("/khoahoc", "/courses"),
}


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("topic", list(COMMANDS))
async def test_each_command_and_its_alias(world, conversation, engine, topic, language):
    chat = await chat_in(language, conversation, engine, world.official)
    vietnamese, english = COMMANDS[topic]
    reply = await chat.say(vietnamese)
    for expected in EXPECTED[(topic, language)]:
        assert expected in reply
    assert await chat.say(english) == reply


async def test_the_menu_labels_give_the_command_replies(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    assert await chat.say("Cam kết") == await chat.say("/camket")
    assert await chat.say("Tình trạng chuẩn hóa") == await chat.say("/trangthai")
    assert await chat.say("Hạn đào tạo") == await chat.say("/lichhoc")


async def test_courses_offer_a_register_button_for_each_open_course(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send("/khoahoc")
    buttons = [button for row in reply.buttons for button in row]
    assert [b.meaning for b in buttons] == [Register(world.llct.id), Register(world.refresher.id)]
    assert [b.label for b in buttons] == [
        "1. Trung cấp LLCT khóa 12 · 01/09/2025",
        "2. Cập nhật kiến thức 2025 · 06/10/2025",
    ]
    assert "1. Trung cấp LLCT khóa 12" in reply.text and "2. Cập nhật kiến thức 2025" in reply.text
    assert all(len(b.data.encode()) <= LIMIT for b in buttons)
    assert "khóa 11" not in reply.text  # its registration closed on 15/04/2025


async def test_registering_records_the_enrollment_and_tells_the_coordinators(
    world, conversation, engine
):
    chat = await linked_chat(conversation, engine, world.official)
    [question] = await chat.press(encode(Register(world.llct.id)))
    assert question.text == "Đăng ký lớp Trung cấp LLCT khóa 12, khai giảng 01/09/2025?"
    [yes, _no] = question.buttons[0]
    [reply] = await chat.press(yes.data)
    assert "Anh/chị đã đăng ký khóa Trung cấp LLCT khóa 12" in reply.text
    [again] = await chat.press(f"reg:{world.llct.id}")  # an older button, before versions
    assert "đã đăng ký khóa Trung cấp LLCT khóa 12 rồi" in again.text
    async with session_factory(engine)() as session:
        [enrollment] = await session.scalars(select(Enrollment))
        [note] = await session.scalars(select(OutboxMessage))
    assert (enrollment.official_id, enrollment.course_id) == (world.official.id, world.llct.id)
    assert enrollment.status is EnrollmentStatus.REGISTERED
    assert note.official_id == world.coordinator.id  # not the other province's coordinator
    assert note.kind == "course_registration"
    assert note.payload["official"] == "Nguyễn Văn An"
    assert note.payload["course"] == "Trung cấp LLCT khóa 12"
    assert note.payload["starts_on"] == "2025-09-01"
    courses = await chat.say("/khoahoc")
    assert "Anh/chị đã đăng ký." in courses
    deadlines = await chat.say("/lichhoc")
    assert "Khóa học của anh/chị:\n• Trung cấp LLCT khóa 12" in deadlines
    assert "(đã đăng ký)" in deadlines


async def test_a_closed_course_cannot_be_registered(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.press(encode(Register(world.closed.id)))
    assert "không còn nhận đăng ký" in reply.text
    [reply] = await chat.press(encode(ConfirmRegistration(world.closed.id, "yes")))
    assert "không còn nhận đăng ký" in reply.text
    [reply] = await chat.press("reg:not-a-number")
    assert "Nút này không còn hiệu lực" in reply.text
    async with session_factory(engine)() as session:
        assert list(await session.scalars(select(Enrollment))) == []
        assert list(await session.scalars(select(OutboxMessage))) == []


async def test_an_official_without_a_bond_is_told_so(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.other)
    assert "không có cam kết phục vụ nào" in await chat.say("/camket")


async def test_switching_to_english_changes_later_replies(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [settings] = await chat.send("/caidat")
    assert "Ngôn ngữ: Tiếng Việt" in settings.text
    [switched] = await chat.press("set:lang:en")
    assert switched.text == "From now on I will answer in English."
    assert switched.menu and switched.menu[0] == ("Standards status", "Training deadlines")
    assert "You are missing 2 standards" in await chat.say("/trangthai")
    assert "From now on I will answer in Tiếng Việt." not in await chat.say("/settings vi")
    assert "Anh/chị còn thiếu" in await chat.say("/trangthai")


async def test_a_new_chat_follows_the_messenger_language(world, conversation):
    chat = Chat(conversation, language_hint="en")
    assert "This chat is not linked to your record yet" in await chat.say("/trangthai")


async def test_quiet_hours_and_muting_are_kept_on_the_chat(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    await chat.press("set:quiet")
    assert "Tôi chưa đọc được khoảng giờ này" in await chat.say("sau mười giờ tối")
    assert "Giờ yên lặng: 22:00-06:30" in await chat.say("22h - 6h30")
    [reply] = await chat.press("set:mute:refresher")
    assert "• Nhắc bồi dưỡng hằng năm: đã tắt" in reply.text
    labels = [button.label for row in reply.buttons for button in row]
    assert "Bật lại: Nhắc bồi dưỡng hằng năm" in labels
    assert "Giờ yên lặng" not in await chat.say("22:00-05:00")  # the dialogue is over
    async with session_factory(engine)() as session:
        account = await session.scalar(select(ChatAccount))
    assert account is not None
    assert account.quiet_hours == "22:00-06:30"
    assert account.muted_kinds == ["refresher"]


async def test_a_command_leaves_the_quiet_hours_dialogue(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    await chat.press("set:quiet")
    assert "Anh/chị còn thiếu" in await chat.say("/trangthai")
    assert "Tôi chưa đọc được" not in await chat.say("abc")


async def test_an_unknown_command_gets_a_short_help(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send("/xyz")
    assert reply.text == "Xin lỗi, tôi chưa hiểu. Hãy chọn mục trong menu hoặc gõ /trogiup."
    assert reply.menu and reply.menu[2] == ("Cài đặt", "Trợ giúp")


async def test_help_in_both_languages(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    assert "/trangthai, /lichhoc, /camket" in await chat.say("/trogiup")
    await chat.press("set:lang:en")
    assert "I answer questions about your standards" in await chat.say("/help")


async def test_an_unlinked_chat_is_asked_to_link_before_any_record(world, conversation):
    chat = Chat(conversation)
    for command in ("/trangthai", "/lichhoc", "/camket", "/khoahoc"):
        [reply] = await chat.send(command)
        assert "chưa được liên kết với hồ sơ" in reply.text and reply.request_contact
    [reply] = await chat.press(f"reg:{world.llct.id}")
    assert "chưa được liên kết với hồ sơ" in reply.text
