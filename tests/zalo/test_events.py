"""Each Zalo event shape through the fake, by webhook and by polling: links read as text,
reactions and events without a message acknowledged and dropped, an empty poll answered 504
taken as "nothing yet", and the webhook settings Zalo would refuse stopped at start."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr, ValidationError
from sqlalchemy import func, select

from bot.channels import zalo
from bot.cli import main
from bot.settings import Settings
from storage.models import InboxUpdate
from tests.zalo.chat import ZaloChat
from tests.zalo.conftest import zalo_settings

ONLY_TEXT = "Tôi chỉ đọc được tin nhắn chữ và hình ảnh. Anh/chị vui lòng gõ câu hỏi."
LINK = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html"


async def _claims(session) -> int:
    return int(await session.scalar(select(func.count()).select_from(InboxUpdate)))


async def test_a_typed_link_is_read_as_text(zalo_webhook_bot, zalo_api):
    status, _body = await zalo_api.post_webhook(zalo_api.link(LINK, user_id="zu-300"))
    as_link = await zalo_api.wait_for_messages("zu-300", 1)
    await zalo_api.post_webhook(zalo_api.text(LINK, user_id="zu-301"))
    as_text = await zalo_api.wait_for_messages("zu-301", 1)

    assert status == 200
    assert as_link[0].text != ONLY_TEXT
    assert as_link[0].text == as_text[0].text


async def test_a_link_with_a_command_runs_the_command(zalo_webhook_bot, zalo_api):
    await zalo_api.post_webhook(zalo_api.link(f"/trogiup {LINK}", user_id="zu-302"))

    reply = await zalo_api.wait_for_messages("zu-302", 1)

    assert "/trangthai" in (reply[0].text or "")


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(lambda fake: fake.reaction(user_id="zu-310"), id="a reaction"),
        pytest.param(lambda fake: fake.bare("message.text.received"), id="text without message"),
        pytest.param(lambda fake: fake.bare("group.member.joined"), id="a group event"),
        pytest.param(
            lambda fake: {**fake.text("hi", user_id="zu-310"), "event_name": "oa.follow"},
            id="an unknown event",
        ),
    ],
)
async def test_events_we_do_not_take_are_acknowledged_and_dropped(
    zalo_webhook_bot, zalo_api, session, event
):
    bare = await zalo_api.post_webhook(event(zalo_api))
    wrapped = await zalo_api.post_webhook(event(zalo_api), wrapped=True)
    await asyncio.sleep(0.1)  # room for a wrongly taken event to be answered

    assert (bare[0], wrapped[0]) == (200, 200)
    assert zalo_api.messages_to("zu-310") == []
    assert await _claims(session) == 0
    assert zalo_webhook_bot.metrics.value("canbo_webhook_rejected_total", "zalo") == 0


async def test_a_sticker_asks_for_text_and_a_picture_out_of_reach_to_send_it_again(
    zalo_webhook_bot, zalo_api
):
    await zalo_api.post_webhook(zalo_api.sticker(user_id="zu-311"))
    (sticker,) = await zalo_api.wait_for_messages("zu-311", 1)
    await zalo_api.post_webhook(zalo_api.image(user_id="zu-311"))  # its address leads nowhere
    picture = (await zalo_api.wait_for_messages("zu-311", 2))[1]

    assert sticker.text == ONLY_TEXT
    assert picture.text == "Tôi không tải được hình ảnh đó. Anh/chị vui lòng gửi lại."


async def test_polling_drops_reactions_and_bare_events_and_answers_the_next_text(
    zalo_bot, zalo_api
):
    zalo_api.push_update(zalo_api.reaction(user_id="zu-312"))
    zalo_api.push_update(zalo_api.bare("message.text.received"))
    zalo_api.push_update(zalo_api.link(f"/trogiup {LINK}", user_id="zu-312"))

    replies = await zalo_api.wait_for_messages("zu-312", 1)
    await asyncio.sleep(0.1)

    assert len(zalo_api.messages_to("zu-312")) == 1
    assert "/trangthai" in (replies[0].text or "")


async def test_an_empty_poll_answered_504_is_not_a_failure(
    zalo_api, database_url, engine, monkeypatch
):
    from tests.fakes.service import running

    monkeypatch.setattr(zalo, "RETRY_DELAY", 30.0)  # a backoff would leave the bot deaf
    zalo_api.empty_status = 504
    async with running(zalo_settings(zalo_api, database_url), reminders=False):
        await zalo_api.wait_for_polls(4, timeout=3.0)  # three 504s in a row, no pause
        answer = await ZaloChat(zalo_api, "zu-313").ask("/trogiup")

    assert "/trangthai" in answer


@pytest.mark.parametrize(
    ("values", "wrong"),
    [
        ({"zalo_webhook_url": "http://canbo.example.vn/zalo/webhook"}, "zalo_webhook_url"),
        ({"zalo_webhook_url": "canbo.example.vn/zalo/webhook"}, "zalo_webhook_url"),
        ({"zalo_webhook_secret": "short"}, "zalo_webhook_secret"),
        ({"zalo_webhook_secret": "x" * 257}, "zalo_webhook_secret"),
    ],
)
def test_webhook_settings_zalo_would_refuse_are_stopped_at_start(values, wrong):
    with pytest.raises(ValidationError) as refused:
        Settings(_env_file=None, **values)  # type: ignore[call-arg]

    assert [error["loc"] for error in refused.value.errors()] == [(wrong,)]


def test_webhook_settings_zalo_takes_are_kept():
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        zalo_webhook_url="https://canbo.example.vn/zalo/webhook",
        zalo_webhook_secret=SecretStr("x" * 8),
    )

    assert settings.zalo_webhook_url == "https://canbo.example.vn/zalo/webhook"


def test_a_plain_http_webhook_is_one_line_in_the_operators_language(monkeypatch, capsys):
    monkeypatch.setenv("CANBO_ZALO_WEBHOOK_URL", "http://canbo.example.vn/zalo/webhook")

    assert main(["status", "CB001"]) == 2

    error = capsys.readouterr().err
    assert error == (
        "Cấu hình không hợp lệ CANBO_ZALO_WEBHOOK_URL: "
        "Zalo chỉ nhận địa chỉ webhook bắt đầu bằng https://\n"
    )
