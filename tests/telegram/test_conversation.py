"""Asking a linked bot: every command in Vietnamese and English, free text with and without
diacritics (each answered exactly like its command), and group chats that never show a record."""

from __future__ import annotations

from tests.fakes.telegram_api import SentMessage
from tests.telegram.chat import Chat
from tests.telegram.records import make_record, new_code

# (Vietnamese command, English alias, a line of its reply in vi, the same in en)
COMMANDS = [
    (
        "trangthai",
        "status",
        "❌ Lý luận chính trị: cần trung cấp trở lên, hiện có sơ cấp",
        "❌ Political theory: intermediate or higher needed, you have elementary",
    ),
    ("lichhoc", "deadlines", "Hạn đào tạo của anh/chị:", "Your training deadlines:"),
    ("camket", "bond", "Đã phục vụ: ", "Served: "),
    ("khoahoc", "courses", "Khóa học đang mở đăng ký:", "Courses open for registration:"),
    ("caidat", "settings", "Ngôn ngữ: Tiếng Việt", "Language: English"),
    (
        "help",
        "trogiup",
        "/trangthai, /lichhoc, /camket, /khoahoc, /caidat",
        "/status, /deadlines, /bond, /courses, /settings, /help",
    ),
]

PHRASES = {
    "trangthai": [
        "tôi đã đạt chuẩn chưa",
        "toi da dat chuan chua",
        "Tôi đã đạt chuẩn chưa?",
        "TOI DA DAT CHUAN CHUA",
        "toi da dat chuaan chua",  # a typo
        "tôi còn thiếu gì",
        "toi con thieu gi de du chuan",
        "tinh trang chuan hoa cua toi",
        "am I qualified?",
        "what am I missing",
    ],
    "lichhoc": [
        "hạn đào tạo của tôi",
        "han dao tao cua toi",
        "han dao tap cua toi",  # a typo
        "lịch học của tôi thế nào",
        "hạn chót là khi nào",
        "thoi han boi duong",
        "my deadlines",
    ],
    "camket": [
        "khi nào hết cam kết",
        "khi nao het cam ket",
        "cam kett con bao lau",  # a typo
        "nếu nghỉ việc phải bồi hoàn bao nhiêu",
        "neu nghi viec phai boi hoan bao nhieu",
        "how much would I repay",
        "my bond",
    ],
    "khoahoc": [
        "có khóa học nào đang mở không",
        "co khoa hoc nao dang mo khong",
        "khoa hocc nao",  # a typo
        "tôi muốn đăng ký lớp",
        "which courses are open",
    ],
    "caidat": ["cài đặt ngôn ngữ", "cai dat", "tắt thông báo"],
    "help": ["trợ giúp", "huong dan su dung", "bạn làm được gì"],
}


async def _linked_chat(fake, session, user_id: int, language_code: str = "vi") -> Chat:
    record = await make_record(session)
    chat = Chat(fake, user_id, language_code=language_code)
    await chat.say(f"/start {await new_code(session, record.official)}")
    return chat


def _shown(message: SentMessage) -> tuple[str | None, object]:
    return message.text, message.reply_markup


async def test_every_command_in_vietnamese_and_its_english_alias(bot, fake, session):
    chat = await _linked_chat(fake, session, 2001)

    for vi_command, en_command, vi_line, _en_line in COMMANDS:
        (vi_reply,) = await chat.say(f"/{vi_command}")
        (en_reply,) = await chat.say(f"/{en_command}")
        assert vi_line in (vi_reply.text or ""), vi_command
        assert _shown(en_reply) == _shown(vi_reply), en_command


async def test_every_command_answers_in_english_for_an_english_chat(bot, fake, session):
    chat = await _linked_chat(fake, session, 2002, language_code="en")

    for vi_command, en_command, _vi_line, en_line in COMMANDS:
        (en_reply,) = await chat.say(f"/{en_command}")
        (vi_reply,) = await chat.say(f"/{vi_command}")
        assert en_line in (en_reply.text or ""), en_command
        assert _shown(vi_reply) == _shown(en_reply), vi_command


async def test_free_text_gets_exactly_the_reply_of_its_command(bot, fake, session):
    chat = await _linked_chat(fake, session, 2003)
    assert sum(len(phrases) for phrases in PHRASES.values()) >= 30

    mismatches = []
    for command, phrases in PHRASES.items():
        (expected,) = await chat.say(f"/{command}")
        for phrase in phrases:
            (got,) = await chat.say(phrase)
            if _shown(got) != _shown(expected):
                mismatches.append((phrase, command, (got.text or "")[:60]))

    assert mismatches == []


async def test_text_about_something_else_gets_a_short_answer_with_the_menu(bot, fake, session):
    chat = await _linked_chat(fake, session, 2004)

    (reply,) = await chat.say("thời tiết hôm nay đẹp quá")

    assert reply.text is not None and len(reply.text) < 200
    assert reply.text.startswith("Tôi chỉ giúp được về tình trạng chuẩn hóa")
    assert reply.keyboard[0] == [{"text": "Tình trạng chuẩn hóa"}, {"text": "Hạn đào tạo"}]


async def test_a_group_chat_never_shows_a_record(bot, fake, session):
    await _linked_chat(fake, session, 2005)
    group = Chat(fake, 2005, chat_id=-5001)

    answers = [
        await group.ask(text)
        for text in ("/trangthai", "/camket@canbo_test_bot", "tôi đã đạt chuẩn chưa", "/khoahoc")
    ]

    for answer in answers:
        assert answer.startswith("Tôi không hiển thị hồ sơ cá nhân trong nhóm")
        assert "t.me/canbo_test_bot" in answer
        assert "Trần Thị Bình" not in answer and "Cam kết" not in answer
    assert all(not m.buttons and not m.keyboard for m in group.received())


async def test_a_contact_shared_in_a_group_links_nothing(bot, fake, session):
    await make_record(session)
    group = Chat(fake, 2006, chat_id=-5002)

    answer = await group.share_contact("+84912345678", contact_user_id=2006)

    assert "Trần Thị Bình" not in answer
    assert "Trần Thị Bình" not in await Chat(fake, 2006).ask("/trangthai")
