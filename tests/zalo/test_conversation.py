"""The conversation on Zalo, which has no buttons: linking by a typed code, every command, and
options written as numbers that are answered by typing the number."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import (
    Channel,
    ChatAccount,
    Enrollment,
    EnrollmentStatus,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
)
from tests.coordinators.test_evidence import JPEG
from tests.telegram.records import make_record, new_code
from tests.zalo.chat import ZaloChat
from tests.zalo.records import SECOND_COURSE, linked

# (Vietnamese command, English alias, a line of its reply)
COMMANDS = [
    ("trangthai", "status", "❌ Lý luận chính trị: cần trung cấp trở lên, hiện có sơ cấp"),
    ("lichhoc", "deadlines", "Hạn đào tạo của anh/chị:"),
    ("camket", "bond", "Đã phục vụ: "),
    ("khoahoc", "courses", "Khóa học đang mở đăng ký:"),
    ("caidat", "settings", "Ngôn ngữ: Tiếng Việt"),
    ("help", "trogiup", "/trangthai, /lichhoc, /camket, /khoahoc, /caidat"),
]


async def test_a_typed_code_links_the_chat_and_shows_the_topics_as_commands(
    zalo_bot, zalo_api, session
):
    record = await make_record(session)
    chat = ZaloChat(zalo_api, "zu-100")

    before = await chat.ask("/trangthai")
    linked_text = await chat.ask(await new_code(session, record.official))

    assert before.startswith("Cuộc trò chuyện này chưa được liên kết")
    assert "số điện thoại" not in before  # Zalo cannot share a contact
    assert linked_text.startswith("Liên kết thành công. Xin chào Trần Thị Bình")
    assert linked_text.endswith(
        "Chủ đề: /trangthai · /lichhoc · /camket · /khoahoc · /caidat · /trogiup"
    )
    account = await session.scalar(
        select(ChatAccount).where(
            ChatAccount.channel == Channel.ZALO, ChatAccount.external_id == "zu-100"
        )
    )
    assert account is not None and account.official_id == record.official.id


async def test_start_with_a_code_links_too_and_a_wrong_code_is_refused(zalo_bot, zalo_api, session):
    record = await make_record(session)
    chat = ZaloChat(zalo_api, "zu-101")

    wrong = await chat.ask("/start K7QX-9PMA")
    right = await chat.ask(f"/start {await new_code(session, record.official)}")

    assert wrong.startswith("Mã này không hợp lệ")
    assert right.startswith("Liên kết thành công")


async def test_every_command_and_its_english_alias(zalo_bot, zalo_api, session):
    chat, _record, _second = await linked(zalo_api, session, "zu-102")

    for vi_command, en_command, line in COMMANDS:
        vi_reply = await chat.ask(f"/{vi_command}")
        en_reply = await chat.ask(f"/{en_command}")
        assert line in vi_reply, vi_command
        assert en_reply == vi_reply, en_command


async def test_course_options_are_numbered_and_typing_2_registers_for_the_second(
    zalo_bot, zalo_api, session
):
    chat, record, second = await linked(zalo_api, session, "zu-103")

    courses = await chat.ask("/khoahoc")
    question = await chat.ask("2")
    registered = await chat.ask("1")
    again = await chat.ask("/khoahoc")

    lines = courses.splitlines()
    assert lines[1].startswith("1. Trung cấp lý luận chính trị khóa 12")
    assert any(line.startswith(f"2. {SECOND_COURSE}") for line in lines)
    assert courses.count(SECOND_COURSE) == 1  # one numbering: the list is the options
    assert "Gõ 1 hoặc 2." in courses
    starts = second.starts_on.strftime("%d/%m/%Y")
    assert question.startswith(f"Đăng ký lớp {SECOND_COURSE}, khai giảng {starts}?")
    assert "1. Có, đăng ký\n2. Không" in question
    assert registered.startswith(f"Anh/chị đã đăng ký khóa {SECOND_COURSE}")
    assert "Anh/chị đã đăng ký." in again
    enrollments = list(
        await session.scalars(
            select(Enrollment).where(Enrollment.official_id == record.official.id)
        )
    )
    assert [(e.course_id, e.status) for e in enrollments] == [
        (second.id, EnrollmentStatus.REGISTERED)
    ]


async def test_a_number_that_is_no_option_is_answered_and_keeps_the_options(
    zalo_bot, zalo_api, session
):
    chat, record, _second = await linked(zalo_api, session, "zu-109")
    await chat.ask("/khoahoc")

    answers = [await chat.ask(text) for text in ("7", "0", "²", "9" * 20, "٢")]
    question = await chat.ask("1")  # the options are still those of the list

    assert answers == ["Gõ 1 hoặc 2."] * 5
    assert question.startswith("Đăng ký lớp Trung cấp lý luận chính trị khóa 12")
    assert (
        await session.scalar(
            select(Enrollment.id).where(Enrollment.official_id == record.official.id)
        )
        is None
    )


async def test_a_number_without_options_shown_is_not_a_choice(zalo_bot, zalo_api, session):
    chat, record, _second = await linked(zalo_api, session, "zu-104")
    await chat.ask("/khoahoc")
    await chat.ask("/camket")  # the last reply shows no options

    answer = await chat.ask("1")

    assert answer.startswith("Không có lựa chọn nào đang mở.")
    assert (
        await session.scalar(
            select(Enrollment.id).where(Enrollment.official_id == record.official.id)
        )
        is None
    )


async def test_settings_options_switch_the_language_by_number(zalo_bot, zalo_api, session):
    chat, _record, _second = await linked(zalo_api, session, "zu-105")

    settings = await chat.ask("/caidat")
    number = next(
        line.split(".")[0] for line in settings.splitlines() if line.endswith(". English")
    )
    switched = await chat.ask(number)

    assert switched.startswith("From now on I will answer in English.")
    assert "Topics: /status · /deadlines · /bond · /courses · /settings · /help" in switched
    assert (await chat.ask("/bond")).count("Served: ") == 1


async def test_stickers_and_the_rest_get_a_polite_answer(zalo_bot, zalo_api, session):
    chat = ZaloChat(zalo_api, "zu-106")

    answers = [
        (await chat.deliver(event))[0].text
        for event in (
            zalo_api.sticker(user_id="zu-106"),
            zalo_api.unsupported(user_id="zu-106"),
            zalo_api.image(user_id="zu-106"),  # its address leads nowhere
        )
    ]

    assert answers == [
        "Tôi chỉ đọc được tin nhắn chữ và hình ảnh. Anh/chị vui lòng gõ câu hỏi.",
        "Tôi chỉ đọc được tin nhắn chữ và hình ảnh. Anh/chị vui lòng gõ câu hỏi.",
        "Tôi không tải được hình ảnh đó. Anh/chị vui lòng gửi lại.",
    ]


async def test_a_certificate_photo_is_taken_as_evidence(zalo_bot, zalo_api, session):
    chat, record, _second = await linked(zalo_api, session, "zu-109")
    official_id = record.official.id

    (question,) = await chat.deliver(zalo_api.image(user_id="zu-109", content=JPEG))
    assert question.text is not None and "Đây là minh chứng cho điều gì?" in question.text
    (sent,) = await chat.say("2")  # the options are numbered on Zalo

    assert sent.text is not None and sent.text.startswith("Đã gửi Ban Tổ chức")
    session.expire_all()
    found = await session.scalar(select(Evidence))
    assert found is not None
    assert (found.official_id, found.kind, found.status, found.content) == (
        official_id,
        EvidenceKind.POLITICAL_THEORY,
        EvidenceStatus.PENDING,
        JPEG,
    )


async def test_a_group_never_shows_a_record(zalo_bot, zalo_api, session):
    await linked(zalo_api, session, "zu-107")
    group = ZaloChat(zalo_api, "zu-107", group_id="zg-1")

    answer = await group.ask("/trangthai")

    assert answer == "Tôi không hiển thị hồ sơ cá nhân trong nhóm. Hãy nhắn tin riêng cho tôi."


async def test_reminders_can_be_sent_to_this_chat_instead_of_another(zalo_bot, zalo_api, session):
    chat, record, _second = await linked(zalo_api, session, "zu-108")
    telegram = ChatAccount(
        channel=Channel.TELEGRAM,
        external_id="4108",
        official_id=record.official.id,
        preferred=True,
        muted_kinds=[],
        dialog_data={},
    )
    session.add(telegram)
    await session.commit()

    settings = await chat.ask("/caidat")
    number = next(
        line.split(".")[0]
        for line in settings.splitlines()
        if line.endswith(". Nhận nhắc nhở tại đây")
    )
    confirmed = await chat.ask(number)
    again = await chat.ask("/caidat")

    assert confirmed == "Từ giờ nhắc nhở sẽ được gửi vào cuộc trò chuyện này."
    assert "Nhắc nhở: gửi vào cuộc trò chuyện này" in again
    assert "Nhận nhắc nhở tại đây" not in again
    rows = await session.execute(select(ChatAccount.channel, ChatAccount.preferred))
    preferred = {channel: flag for channel, flag in rows}
    assert preferred == {Channel.ZALO: True, Channel.TELEGRAM: False}
