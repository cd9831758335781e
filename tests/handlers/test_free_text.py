"""Free text: a question in Vietnamese (with or without diacritics, with typos) or English gets
exactly the reply of the matching command; small talk a friendly word and the menu; anything
else the closest topics. Also group chats and messages far too long to be a question."""

from __future__ import annotations

import pytest

from handlers.intents import SmallTalk, read
from handlers.topics import Topic
from tests.handlers.conftest import Chat, linked_chat, new_code

PHRASINGS = {
    "/trangthai": [
        "Tôi đã đạt chuẩn chưa?",
        "toi da dat chuan chua",
        "tôi dat chuan chưa",
        "toi da dat chun chua",
        "minh du chuan chua",
        "Tôi còn thiếu gì?",
        "con thieu gi vay",
        "TÌNH TRẠNG CHUẨN HÓA của tôi",
        "tieu chuan chuc danh",
        "Am I qualified?",
        "what am I missing",
    ],
    "/lichhoc": [
        "Hạn đào tạo của tôi",
        "han dao tao",
        "lich hoc cua toi",
        "lich hcc",
        "hạn chót là khi nào",
        "What are my deadlines?",
        "when is my refresher due",
    ],
    "/camket": [
        "Cam kết phục vụ của tôi",
        "cam ket cua toi",
        "camket",
        "cam kte",
        "nếu nghỉ việc thì phải bồi hoàn bao nhiêu",
        "boi hoan bao nhieu",
        "đền bù chi phí đào tạo",
        "how much would I have to pay back",
        "my bond",
    ],
    "/khoahoc": [
        "Khóa học nào đang mở?",
        "co lop hoc nao khong",
        "toi muon dang ky hoc",
        "khoa hcoc",
        "which courses are open",
        "I want to register for a class",
    ],
    "/caidat": ["cài đặt", "doi ngon ngu", "change language"],
    "/help": ["trợ giúp", "huong dan su dung", "help"],
}


def test_there_are_at_least_thirty_phrasings():
    assert sum(len(texts) for texts in PHRASINGS.values()) >= 30


@pytest.mark.parametrize("command", list(PHRASINGS))
async def test_free_text_gets_exactly_the_command_reply(world, conversation, engine, command):
    chat = await linked_chat(conversation, engine, world.official)
    expected = await chat.send(command)
    for text in PHRASINGS[command]:
        assert await chat.send(text) == expected, text


@pytest.mark.parametrize(
    ("text", "talk"),
    [
        ("xin chào", SmallTalk.GREETING),
        ("hello", SmallTalk.GREETING),
        ("cảm ơn", SmallTalk.THANKS),
        ("ok", SmallTalk.ACK),
        ("thời tiết hôm nay thế nào", SmallTalk.OFF_TOPIC),
        ("👍🙏", SmallTalk.SYMBOLS),
    ],
)
def test_small_talk_is_not_a_topic(text, talk):
    assert read(text).topic is None
    assert read(text).small_talk is talk


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("khi nào hết cam kết", Topic.BOND),
        ("hạn chót đăng ký khóa học", Topic.DEADLINES),
        ("tôi muốn đăng ký khóa trung cấp", Topic.COURSES),
        ("đền bù chi phí đào tạo", Topic.BOND),
        ("giúp tôi xem cam kết", Topic.BOND),
        ("ĐẠT CHUẨN", Topic.STATUS),
    ],
)
def test_the_words_that_matter_decide(text, topic):
    assert read(text).topic is topic


async def test_unknown_command_gets_a_short_help_with_the_menu(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    [reply] = await chat.send("/xinchao")
    assert reply.text.startswith("Xin lỗi, tôi chưa hiểu")
    assert reply.menu == (
        ("Tình trạng chuẩn hóa", "Hạn đào tạo"),
        ("Cam kết", "Khóa học"),
        ("Cài đặt", "Trợ giúp"),
    )


async def test_a_group_never_sees_a_record(world, conversation, engine):
    await linked_chat(conversation, engine, world.official, chat_id="1001")
    group = Chat(conversation, chat_id="-100200", sender_id="1001", is_group=True)
    for text in ("/trangthai", "toi da dat chuan chua", "/camket", "Khóa học"):
        [reply] = await group.send(text)
        assert "Tôi không hiển thị hồ sơ cá nhân trong nhóm" in reply.text
        assert "https://t.me/canbo_test_bot" in reply.text
        assert "Nguyễn Văn An" not in reply.text
    [reply] = await group.press(f"reg:{world.llct.id}")
    assert "trong nhóm" in reply.text
    [reply] = await group.send("/help")
    assert "Tôi trả lời các câu hỏi" in reply.text and not reply.request_contact


async def test_a_group_cannot_be_linked(world, conversation, engine):
    code = await new_code(engine, world.official)
    group = Chat(conversation, chat_id="-100200", sender_id="1001", is_group=True)
    assert "trong nhóm" in await group.say(f"/start {code}")
    assert "Liên kết thành công" in await Chat(conversation).say(code)  # the code still works


async def test_a_5000_character_message_is_not_read_or_echoed(world, conversation, engine):
    chat = await linked_chat(conversation, engine, world.official)
    text = ("tôi đã đạt chuẩn chưa " * 250)[:5000]
    [reply] = await chat.send(text)
    assert reply.text.startswith("Tin nhắn quá dài nên tôi không đọc được")
    assert "đạt chuẩn chưa" not in reply.text and len(reply.text) < 300
