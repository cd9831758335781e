"""The fake Bot API holds python-telegram-bot to Telegram's real limits, so tests that pass
against it do not break on the real server."""

from __future__ import annotations

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from tests.fakes.telegram_api import FakeTelegram


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_text_over_4096_characters_or_empty_is_refused(telegram_api):
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        await bot.send_message(1, "đ" * 4096)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(2, "đ" * 4097)
        with pytest.raises(BadRequest, match="too long"):
            await bot.send_message(3, "📅" * 2049)  # Telegram counts UTF-16 units
        with pytest.raises(BadRequest, match="empty"):
            await bot.send_message(4, "  \n ")

    assert [m.chat_id for m in telegram_api.sent] == [1]


async def test_callback_data_over_64_bytes_is_refused(telegram_api):
    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])

    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        await bot.send_message(1, "ok", reply_markup=markup("đ" * 32))
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(1, "too long", reply_markup=markup("đ" * 32 + "x"))


async def test_rate_limits_answer_429_with_retry_after():
    clock = Clock()
    async with (
        FakeTelegram(clock=clock, global_rate=3) as fake,
        Bot(fake.token, base_url=fake.base_url) as bot,
    ):
        await bot.send_message(1, "first")
        with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
            await bot.send_message(1, "second in the same second")
        await bot.send_message(2, "another chat")
        await bot.send_message(3, "third chat")
        with pytest.raises(RetryAfter):
            await bot.send_message(4, "over 3/s overall")
        clock.now += 1
        await bot.send_message(1, "a second later")

    assert [m.text for m in fake.messages_to(1)] == ["first", "a second later"]


async def test_the_limit_holds_over_any_one_second_window():
    """Not a token bucket, which would let a new burst through 0.7 s after the last one."""
    clock = Clock()
    async with (
        FakeTelegram(clock=clock, global_rate=3) as fake,
        Bot(fake.token, base_url=fake.base_url) as bot,
    ):
        for chat in (1, 2, 3):  # at 0, 0.25 and 0.5 s
            await bot.send_message(chat, "one of three")
            clock.now += 0.25
        clock.now += 0.2  # 0.95 s: all three within the last second
        with pytest.raises(RetryAfter):
            await bot.send_message(4, "a fourth within one second")
        clock.now += 0.1  # 1.05 s: the first has left the window
        await bot.send_message(4, "now")
    assert fake.throttled == 1


async def test_groups_get_20_messages_a_minute():
    clock = Clock()
    async with (
        FakeTelegram(clock=clock, chat_burst=100) as fake,
        Bot(fake.token, base_url=fake.base_url) as bot,
    ):
        for n in range(20):
            await bot.send_message(-100, f"{n}")
        clock.now += 59.5  # 20 in any minute: the first counts until a minute has passed
        with pytest.raises(RetryAfter, match="Retry in 1 seconds"):
            await bot.send_message(-100, "21st")
        clock.now += 0.5
        await bot.send_message(-100, "21st, later")


async def test_a_blocked_chat_gets_403(telegram_api):
    telegram_api.block(9)
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(9, "hello")
        telegram_api.unblock(9)
        await bot.send_message(9, "hello again")


async def test_injected_failures_and_hangs():
    async with (
        FakeTelegram(hang_seconds=5, deliver_on_hang=True) as fake,
        Bot(fake.token, base_url=fake.base_url, request=HTTPXRequest(read_timeout=0.2)) as bot,
    ):
        fake.fail_next(status=502, description="Bad Gateway")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(1, "lost")
        fake.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=7)
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "throttled")
        fake.hang_rate = 1.0
        with pytest.raises(TimedOut):
            await bot.send_message(2, "delivered, but the answer never came")

    assert [m.text for m in fake.sent] == ["delivered, but the answer never came"]


async def test_random_failures_are_seeded():
    async def outcomes(seed: int) -> list[bool]:
        async with (
            FakeTelegram(failure_rate=0.5, seed=seed, chat_burst=100) as fake,
            Bot(fake.token, base_url=fake.base_url) as bot,
        ):
            results = []
            for n in range(12):
                try:
                    await bot.send_message(1, str(n))
                    results.append(True)
                except NetworkError:
                    results.append(False)
            return results

    first = await outcomes(7)
    assert first == await outcomes(7)
    assert True in first and False in first


async def test_get_updates_long_polls_and_conflicts_with_a_webhook(telegram_api):
    async with Bot(telegram_api.token, base_url=telegram_api.base_url) as bot:
        update_id = telegram_api.push_update(telegram_api.command("start", "K7QX-9PMA", user_id=5))
        (update,) = await bot.get_updates(timeout=5)
        assert update.update_id == update_id
        assert update.message is not None and update.message.text == "/start K7QX-9PMA"
        assert await bot.get_updates(offset=update_id + 1, timeout=0) == ()

        await bot.set_webhook("https://example.org/telegram/webhook", secret_token="abc")
        with pytest.raises(Conflict):
            await bot.get_updates()
