"""The Zalo transport: webhook secret and body checks, long polling through 408s and outages,
duplicate events, "typing", 2,000-character parts and pictures sent by link."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import func, select

from bot.channels import zalo, zalo_events
from handlers.messages import Attachment, Reply
from storage.models import Channel, ChatAccount, InboxUpdate
from tests.zalo.chat import ZaloChat

PNG = b"\x89PNG\r\n\x1a\n" + b"chart" * 50


async def _processed(session) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(InboxUpdate).where(InboxUpdate.channel == Channel.ZALO)
        )
    )


async def test_webhook_mode_registers_the_url_with_its_secret(zalo_webhook_bot, zalo_api):
    assert zalo_api.webhook is not None
    assert zalo_api.webhook.url.endswith(zalo.WEBHOOK_PATH)
    assert zalo_api.webhook.secret_token == "zalo-s3cret-for-tests"
    assert [c.method for c in zalo_api.calls[:2]] == ["getme", "setwebhook"]
    assert "getupdates" not in [c.method for c in zalo_api.calls]


async def test_a_forged_or_missing_secret_is_refused_and_nothing_is_processed(
    zalo_webhook_bot, zalo_api, session
):
    event = zalo_api.text("/help", user_id="zu-200")

    forged = await zalo_api.post_webhook(event, secret="not-the-secret")
    missing = await zalo_api.post_webhook(event, secret=None)
    await asyncio.sleep(0.1)  # room for a wrongly accepted event to be answered

    assert (forged[0], missing[0]) == (403, 403)
    assert zalo_api.messages_to("zu-200") == []
    assert await _processed(session) == 0
    metrics = zalo_webhook_bot.metrics
    assert metrics.value("canbo_webhook_rejected_total", "zalo") == 2
    assert metrics.value("canbo_updates_received_total", "zalo") == 0


async def test_a_malformed_body_is_refused(zalo_webhook_bot, zalo_api, session):
    not_json = await zalo_api.post_webhook(body=b"{not json")
    no_name = await zalo_api.post_webhook(body=json.dumps({"message": {}}).encode())
    bad_message = await zalo_api.post_webhook(
        body=json.dumps({"event_name": zalo_events.TEXT_EVENT, "message": "hi"}).encode()
    )

    assert (not_json[0], no_name[0], bad_message[0]) == (400, 400, 400)
    assert await _processed(session) == 0


async def test_bare_and_wrapped_bodies_are_both_answered(zalo_webhook_bot, zalo_api):
    bare = await zalo_api.post_webhook(zalo_api.text("/help", user_id="zu-201"))
    wrapped = await zalo_api.post_webhook(zalo_api.text("/help", user_id="zu-201"), wrapped=True)
    replies = await zalo_api.wait_for_messages("zu-201", 2)

    assert (bare[0], wrapped[0]) == (200, 200)
    assert all(m.text and "/trangthai" in m.text for m in replies)


async def test_a_redelivered_event_is_answered_once(zalo_webhook_bot, zalo_api, session):
    event = zalo_api.text("/help", user_id="zu-202")

    statuses = [(await zalo_api.post_webhook(event))[0] for _ in range(3)]
    await zalo_api.wait_for_messages("zu-202", 1)
    await asyncio.sleep(0.1)

    assert statuses == [200, 200, 200]
    assert len(zalo_api.messages_to("zu-202")) == 1
    assert zalo_webhook_bot.metrics.value("canbo_updates_duplicate_total", "zalo") == 2


async def test_polling_goes_on_through_empty_polls_and_repeats_nothing(zalo_bot, zalo_api):
    chat = ZaloChat(zalo_api, "zu-203")
    await zalo_api.wait_for_polls(3)  # the first two ended in a 408 each

    event = zalo_api.text("/help", user_id="zu-203")
    first = await chat.deliver(event)
    zalo_api.push_update(event)  # the same event again, as after a lost answer
    second = await chat.say("/trogiup")

    assert "/trangthai" in (first[0].text or "")
    assert second[0].text == first[0].text
    assert len(chat.received()) == 2
    assert zalo_bot.metrics.value("canbo_updates_duplicate_total", "zalo") == 1


async def test_polling_backs_off_when_zalo_fails_and_resumes(
    zalo_api, database_url, engine, monkeypatch
):
    from bot.app import build_app
    from tests.zalo.conftest import zalo_settings

    monkeypatch.setattr(zalo, "RETRY_DELAY", 0.05)
    zalo_api.fail_next("getUpdates", status=502, description="Bad Gateway", count=2)
    app = await build_app(zalo_settings(zalo_api, database_url))
    await app.start()
    try:
        answer = await ZaloChat(zalo_api, "zu-204").ask("/help")
    finally:
        await app.stop()

    assert "/trangthai" in answer
    assert zalo_api.polls() >= 3


async def test_typing_is_shown_before_the_answer(zalo_bot, zalo_api):
    await ZaloChat(zalo_api, "zu-205").ask("/help")

    typing = next(i for i, c in enumerate(zalo_api.calls) if c.method == "sendchataction")
    answer = next(i for i, c in enumerate(zalo_api.calls) if c.method == "sendmessage")
    assert zalo_api.actions == [("zu-205", "typing")]
    assert typing < answer


async def test_long_text_goes_out_in_parts_of_at_most_2000_characters_at_line_ends(
    zalo_bot, zalo_api
):
    lines = [f"{n:04d} " + "Lý luận chính trị " * 5 for n in range(60)]  # ~5.700 characters
    text = "\n".join(lines)

    await zalo_bot.zalo.send("zu-206", Reply(text))
    parts = [m.text or "" for m in await zalo_api.wait_for_messages("zu-206", 3)]

    assert len(parts) == 3
    assert all(len(part) <= 2000 for part in parts)
    assert "\n".join(parts).splitlines() == lines  # every part ends at a line end


async def test_a_picture_is_sent_by_a_link_zalo_can_fetch(zalo_webhook_bot, zalo_api):
    picture = Attachment("chart.png", PNG, "image/png")

    await zalo_webhook_bot.zalo.send("zu-207", Reply("Biểu đồ", picture=picture))
    text, photo = await zalo_api.wait_for_messages("zu-207", 2)

    assert text.text == "Biểu đồ"
    assert photo.method == "sendphoto"
    assert photo.photo is not None and "/media/" in photo.photo
    assert photo.photo_bytes == PNG


async def test_without_a_public_url_a_picture_becomes_a_note(zalo_bot, zalo_api, session):
    session.add(
        ChatAccount(
            channel=Channel.ZALO,
            external_id="zu-208",
            language="en",
            muted_kinds=[],
            dialog_data={},
        )
    )
    await session.commit()
    picture = Attachment("chart.png", PNG, "image/png")

    await zalo_bot.zalo.send("zu-208", Reply("Chart", picture=picture))
    messages = await zalo_api.wait_for_messages("zu-208", 2)

    assert [m.method for m in messages] == ["sendmessage", "sendmessage"]
    assert messages[1].text == (
        "This answer has a file that Zalo cannot show. Open the web chat to see it."
    )


async def test_a_429_on_a_reply_is_waited_out_and_the_reply_arrives(zalo_bot, zalo_api):
    zalo_api.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=0.05)

    answer = await ZaloChat(zalo_api, "zu-209").ask("/help")

    assert "/trangthai" in answer
    assert [c.method for c in zalo_api.calls].count("sendmessage") == 2
