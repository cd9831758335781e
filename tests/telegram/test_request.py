"""The Bot API client of the service and the dispatcher (bot/channels/telegram_request.py),
talking to the fake over loopback: what is sent arrives as sent, and a silent or absent API
fails the call the way PTB's own client does."""

from __future__ import annotations

import time

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import NetworkError, TimedOut

from bot.channels.telegram_request import AiohttpRequest, env_proxy
from tests.fakes.service import free_port
from tests.fakes.telegram_api import FakeTelegram


async def test_text_buttons_and_files_arrive_as_sent(fake):
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Đăng ký ✅", callback_data="enrol:7")]])
    pdf = b"%PDF-1.4 bao cao"
    async with Bot(fake.token, base_url=fake.base_url, request=AiohttpRequest()) as bot:
        sent = await bot.send_message(5, "Còn thiếu 1.219,5 giờ bồi dưỡng", reply_markup=markup)
        await bot.send_document(5, InputFile(pdf, filename="bao-cao.pdf"), caption="Báo cáo")

    message, document = fake.sent
    assert (message.chat_id, message.text) == (5, "Còn thiếu 1.219,5 giờ bồi dưỡng")
    assert message.buttons == [[{"text": "Đăng ký ✅", "callback_data": "enrol:7"}]]
    assert sent.message_id == message.message_id
    assert (document.file_name, document.file_bytes, document.caption) == (
        "bao-cao.pdf",
        pdf,
        "Báo cáo",
    )


async def test_a_silent_api_times_out_within_the_read_timeout():
    request = AiohttpRequest(read_timeout=0.2)
    async with FakeTelegram(hang_rate=1.0, hang_seconds=5) as fake:
        bot = Bot(fake.token, base_url=fake.base_url, request=request)
        started = time.monotonic()
        with pytest.raises(TimedOut, match="Timed out"):
            await bot.send_message(1, "no answer comes")
        took = time.monotonic() - started
        await request.shutdown()
    assert took < 2


async def test_an_absent_api_is_a_network_error():
    request = AiohttpRequest()
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{free_port()}/bot", request=request)
    with pytest.raises(NetworkError, match=r"aiohttp\.ClientConnectorError"):
        await bot.send_message(1, "nobody listens")
    await request.shutdown()
    with pytest.raises(NetworkError, match="shut down"):
        await bot.send_message(1, "after shutdown")


@pytest.mark.parametrize("bypassed", [False, True])
async def test_the_proxy_named_by_the_environment_carries_the_calls(fake, monkeypatch, bypassed):
    """The fake stands in for the proxy: it answers the absolute URL a proxy is sent."""
    monkeypatch.setenv("HTTP_PROXY", fake.base_url.removesuffix("/bot"))
    monkeypatch.setenv("NO_PROXY", "api.telegram.invalid" if bypassed else "")
    monkeypatch.delenv("no_proxy", raising=False)
    env_proxy.cache_clear()
    request = AiohttpRequest()
    bot = Bot(fake.token, base_url="http://api.telegram.invalid/bot", request=request)
    try:
        if bypassed:
            with pytest.raises(NetworkError):
                await bot.send_message(3, "straight to a host that does not exist")
        else:
            await bot.send_message(3, "through the proxy")
    finally:
        await request.shutdown()
        env_proxy.cache_clear()
    assert [m.text for m in fake.sent] == ([] if bypassed else ["through the proxy"])
