"""The Telegram transport end to end: webhook secret, duplicates, splitting, rendering, groups."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.channels.telegram import WEBHOOK_PATH
from handlers.messages import Attachment, Button, Reply
from storage.callback_data import Acknowledge, Register
from storage.models import ChatAccount, InboxUpdate
from tests.fakes.telegram_api import telegram_length
from tests.telegram.chat import Chat
from tests.telegram.conftest import WEBHOOK_SECRET

# Rendering does not depend on the database: these run on SQLite only.
sqlite_only = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


async def _count(session, model) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_webhook_is_registered_with_the_secret_and_answered(webhook_bot, fake):
    assert fake.webhook is not None
    assert fake.webhook.url.endswith(WEBHOOK_PATH)
    assert fake.webhook.secret_token == WEBHOOK_SECRET

    status, _ = await fake.post_webhook(fake.message("/help", user_id=501))

    assert status == 200
    (reply,) = await fake.wait_for_messages(501, 1)
    assert "/trangthai" in (reply.text or "")


async def test_a_forged_or_missing_secret_gets_403_and_nothing_is_processed(
    webhook_bot, fake, session
):
    for secret in ("wrong", None, WEBHOOK_SECRET + "x", WEBHOOK_SECRET[:-1]):
        status, _ = await fake.post_webhook(fake.message("/help", user_id=502), secret=secret)
        assert status == 403

    await fake.post_webhook(fake.message("/help", user_id=503))
    await fake.wait_for_messages(503, 1)  # updates are handled in order: the forged ones are not

    assert fake.messages_to(502) == []
    assert await _count(session, InboxUpdate) == 1
    assert webhook_bot.metrics.value("canbo_webhook_rejected_total", "telegram") == 4


async def test_a_malformed_webhook_body_gets_400_and_writes_nothing(webhook_bot, fake, session):
    for body in (b"{not json", b"[1, 2]", b'{"message": {"text": "hi"}}', b""):
        status, _ = await fake.post_webhook(body=body)
        assert status == 400

    assert await _count(session, InboxUpdate) == 0
    assert await _count(session, ChatAccount) == 0


async def test_a_redelivered_webhook_update_is_answered_once(webhook_bot, fake):
    update = fake.message("/help", user_id=504)
    for _ in range(3):
        status, _ = await fake.post_webhook(dict(update))
        assert status == 200
    await fake.post_webhook(fake.message("/caidat", user_id=504))

    received = await fake.wait_for_messages(504, 2)

    assert len(received) == 2
    assert "/trangthai" in (received[0].text or "")
    assert webhook_bot.metrics.value("canbo_updates_duplicate_total", "telegram") == 2


async def test_a_repeated_update_id_from_polling_is_answered_once(bot, fake):
    chat = Chat(fake, 505)
    update = fake.message("/help", user_id=505)
    await chat.deliver(dict(update))

    fake.push_update(dict(update))  # Telegram hands the same update out again
    answers = await chat.say("/caidat")

    assert len(chat.received()) == 2
    assert answers[0].text != chat.received()[0].text
    assert bot.metrics.value("canbo_updates_duplicate_total", "telegram") == 1


@sqlite_only
async def test_a_long_reply_is_split_on_line_ends_with_buttons_on_the_last_part(bot, fake):
    lines = [f"{n:04d} " + "dòng chữ tiếng Việt có dấu 📅 " * 3 for n in range(120)]
    text = "\n".join(lines)
    assert telegram_length(text) > 2 * 4096
    reply = Reply(text, buttons=((Button("Đăng ký", Register(1)),),))

    assert bot.telegram is not None
    await bot.telegram.send(700, reply)

    parts = fake.messages_to(700)
    assert len(parts) == 3
    assert all(telegram_length(part.text or "") <= 4096 for part in parts)
    assert "\n".join(part.text or "" for part in parts) == text
    assert all((part.text or "").split("\n")[-1] in lines for part in parts)
    assert [bool(part.buttons) for part in parts] == [False, False, True]


@sqlite_only
async def test_a_single_line_over_the_limit_is_cut_hard(bot, fake):
    assert bot.telegram is not None
    await bot.telegram.send(701, Reply("x" * 9000))

    assert [len(m.text or "") for m in fake.messages_to(701)] == [4096, 4096, 808]


@sqlite_only
async def test_a_5000_character_message_in_gets_a_short_answer(bot, fake):
    chat = Chat(fake, 702)

    answer = await chat.ask("tôi đã đạt chuẩn chưa " * 228)

    assert 0 < len(answer) < 500


@sqlite_only
async def test_reply_keyboards_pictures_and_documents_are_rendered(bot, fake):
    assert bot.telegram is not None
    menu = (("Tình trạng", "Hạn đào tạo"), ("Trợ giúp",))
    await bot.telegram.send(703, Reply("menu", menu=menu))
    await bot.telegram.send(703, Reply("bỏ menu", menu=None))
    await bot.telegram.send(703, Reply("giữ nguyên"))
    picture = Attachment("bond.png", b"\x89PNG...", "image/png")
    document = Attachment("report.xlsx", b"PK...", "application/vnd.ms-excel")
    await bot.telegram.send(
        703,
        Reply(
            "tiến độ",
            picture=picture,
            document=document,
            buttons=((Button("OK", Acknowledge(7)),),),
        ),
    )

    shown, removed, kept, text, photo, doc = fake.messages_to(703)
    assert [[b["text"] for b in row] for row in shown.keyboard] == [list(r) for r in menu]
    assert shown.reply_markup is not None and shown.reply_markup["resize_keyboard"] is True
    assert removed.removes_keyboard
    assert kept.reply_markup is None
    assert (text.text, photo.method, doc.method) == ("tiến độ", "sendphoto", "senddocument")
    assert (photo.file_name, photo.file_bytes) == ("bond.png", b"\x89PNG...")
    assert doc.file_name == "report.xlsx"
    assert doc.buttons == [[{"text": "OK", "callback_data": "2:ack:7"}]]


@sqlite_only
async def test_an_unlinked_chat_gets_a_share_my_number_button_in_its_language(bot, fake):
    vi, en = Chat(fake, 704), Chat(fake, 705, language_code="en")

    (vi_reply,) = await vi.say("xin chào")
    (en_reply,) = await en.say("hello there")

    assert vi_reply.keyboard == [
        [{"text": "Chia sẻ số điện thoại của tôi", "request_contact": True}]
    ]
    assert en_reply.keyboard == [[{"text": "Share my phone number", "request_contact": True}]]


@sqlite_only
async def test_the_share_my_number_button_follows_the_language_chosen_in_settings(bot, fake):
    chat = Chat(fake, 707)  # Telegram says Vietnamese

    await chat.say("/caidat en")
    (reply,) = await chat.say("/status")

    assert reply.text is not None and reply.text.startswith("This chat is not linked")
    assert reply.keyboard == [[{"text": "Share my phone number", "request_contact": True}]]


async def test_a_pressed_button_is_answered_and_acted_on(bot, fake):
    chat = Chat(fake, 706)
    (settings,) = await chat.say("/caidat")
    assert all(len(b["callback_data"].encode()) <= 64 for row in settings.buttons for b in row)

    (answer,) = await chat.press(settings, "English")

    assert [q["callback_query_id"] for q in fake.answered_callbacks] == ["1"]
    assert answer.text == "From now on I will answer in English."


@sqlite_only
async def test_a_command_for_another_bot_in_a_group_is_ignored(bot, fake):
    group = Chat(fake, 707, chat_id=-4001)
    fake.push_update(fake.message("/help@other_bot", user_id=707, chat_id=-4001))

    (answer,) = await group.say("/help@canbo_test_bot")

    assert len(group.received()) == 1
    assert "/trangthai" in (answer.text or "")


async def test_health_readiness_and_metrics_are_served(bot, fake):
    await Chat(fake, 708).say("/help")
    base = f"http://127.0.0.1:{bot.http.port}"
    assert bot.metrics_http is not None

    async with aiohttp.ClientSession() as client:
        async with client.get(f"{base}/healthz") as response:
            health = (response.status, await response.json())
        async with client.get(f"{base}/readyz") as response:
            ready = (response.status, await response.json())
        async with client.get(f"{base}/metrics") as response:
            public_metrics = response.status
        async with client.get(f"http://127.0.0.1:{bot.metrics_http.port}/metrics") as response:
            metrics = await response.text()

    assert health == (200, {"status": "ok"})
    assert ready[0] == 200
    assert ready[1]["status"] == "ready"
    assert ready[1]["channels"] == {"telegram": "started"}
    assert ready[1]["migrations"]["at_head"] is True
    assert public_metrics == 404
    assert 'canbo_updates_processed_total{channel="telegram"} 1.0' in metrics
    assert 'canbo_replies_sent_total{channel="telegram"} 1.0' in metrics
    assert 'canbo_update_seconds_count{channel="telegram"} 1.0' in metrics


@sqlite_only
async def test_the_command_menu_is_set_in_each_language(bot, fake):
    vietnamese = fake.commands[("default", "")]
    english = fake.commands[("default", "en")]

    assert [c["command"] for c in vietnamese] == [
        "trangthai",
        "lichhoc",
        "camket",
        "khoahoc",
        "caidat",
        "trogiup",
    ]
    assert vietnamese[0]["description"] == "Tình trạng chuẩn hóa"
    assert [c["command"] for c in english][:2] == ["status", "deadlines"]
    assert english[0]["description"] == "Standards status"
