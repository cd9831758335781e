"""No phone number, token, secret or link code in any log line, whoever writes it: our code,
python-telegram-bot, httpx, SQLAlchemy, APScheduler or aiohttp (bot/log_masking.py)."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from pydantic import SecretStr
from telegram import Bot

from bot import log_masking
from bot.log_masking import Masker
from bot.settings import Settings
from tests.fakes.telegram_api import FakeTelegram

PHONE = "+84912345678"


def _settings(**values: Any) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def test_ptb_s_line_for_an_update_it_cannot_parse_shows_no_phone_and_no_token(caplog):
    caplog.set_level(logging.DEBUG)
    async with FakeTelegram() as fake:
        log_masking.install(_settings(telegram_token=SecretStr(fake.token)))
        update = fake.contact(PHONE, user_id=7, contact_user_id=7)
        update["message"]["date"] = "yesterday"  # PTB cannot parse it
        fake.push_update(update)
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            with pytest.raises(TypeError):
                await bot.get_updates(timeout=0)

    (critical,) = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert critical.name == "telegram.Bot"
    assert critical.getMessage().startswith("Error while parsing updates! Received data was")
    assert "'phone_number': '[phone]'" in caplog.text
    assert "912345678" not in caplog.text
    assert "HTTP Request: POST http://127.0.0.1" in caplog.text  # httpx's line, token masked
    assert fake.token.split(":")[1] not in caplog.text


def test_a_library_s_own_handler_is_masked_too():
    log_masking.install(_settings())
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger("sqlalchemy.engine.Engine").addHandler(handler)  # as echo=True does
    try:
        logging.getLogger("sqlalchemy.engine.Engine").warning("[generated] ('0912 345 678',)")
    finally:
        logging.getLogger("sqlalchemy.engine.Engine").removeHandler(handler)

    assert stream.getvalue() == "[generated] ('[phone]',)\n"


def test_the_filter_masks_a_record_made_elsewhere_and_its_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("aiohttp.access")
    logger.addHandler(handler)
    try:
        log_masking.install(_settings())
        try:
            raise ValueError("no official has 0987.654.321")
        except ValueError as error:
            record = logging.makeLogRecord(  # not through the record factory
                {
                    "name": logger.name,
                    "levelno": logging.ERROR,
                    "msg": "code %s",
                    "args": ("K7QX-9PMA",),
                }
            )
            record.exc_info = (type(error), error, error.__traceback__)
            logger.handle(record)
    finally:
        logger.removeHandler(handler)

    written = stream.getvalue()
    assert written.startswith("code [link code]\nTraceback")
    assert "ValueError: no official has [phone]" in written
    assert "654" not in written


@pytest.mark.parametrize(
    "text",
    [
        "+84912345678",
        "+84 912 345 678",
        "(+84) 912-345-678",
        "84912345678",
        "0912345678",
        "0912.345.678",
        "0912 345 678",
        "024 3825 1234",
        "02438251234",
    ],
)
def test_vietnamese_phone_numbers_in_every_format_are_masked(text):
    assert Masker().mask(f"contact {text}, thanks") == "contact [phone], thanks"


@pytest.mark.parametrize(
    "text",
    [
        "update 845123456 failed",
        "chat -1001234567890",
        "took 0.912345678 s",
        "on 2026-11-22 at 07:30",
        "1.219,5 officials",
        "pruned 1234567 rows",
        "Getting updates",
        "deadline reminder",
    ],
)
def test_ids_figures_and_words_are_left_alone(text):
    assert Masker().mask(text) == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        (
            "POST https://api.telegram.org/bot123456789:AAE1c2D3e4F5g6H7i8J9k0LmNoPqRsTuVwX/getMe",
            "POST https://api.telegram.org/bot[token]/getMe",
        ),
        (
            "postgresql+asyncpg://canbo:s3cr3t-pw@db/canbo",
            "postgresql+asyncpg://canbo:[secret]@db/canbo",
        ),
        ("secret_token=abcDEF123456", "secret_token=[secret]"),
        (
            '{"X-Telegram-Bot-Api-Secret-Token": "abcDEF"}',
            '{"X-Telegram-Bot-Api-Secret-Token": "[secret]"}',
        ),
        ("Cookie: canbo_chat=Zx9.1700000000.sig", "Cookie: canbo_chat=[secret]"),
        ("/start K7QX-9PMA", "/start [link code]"),
        ("typed k7qx 9pma", "typed [link code]"),
        ("t.me/canbo_bot?start=K7QX9PMA", "t.me/canbo_bot?start=[link code]"),
        ("{'phone_number': '+1 202 555 0100'}", "{'phone_number': '[phone]'}"),
    ],
)
def test_tokens_secrets_and_link_codes_are_masked(text, masked):
    assert Masker().mask(text) == masked


def test_configured_secrets_are_masked_wherever_they_appear():
    settings = _settings(secret_key=SecretStr("cookie-signing-key"))
    log_masking.install(settings)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        logging.getLogger("apscheduler.scheduler").warning("key=%s", "cookie-signing-key")
    finally:
        logging.getLogger().removeHandler(handler)

    assert stream.getvalue() == "key=[secret]\n"


def test_the_zns_app_secret_and_first_refresh_token_are_masked():
    settings = _settings(
        zns_secret_key=SecretStr("oa-app-s3cret"), zns_refresh_token=SecretStr("first-rt-value")
    )
    log_masking.install(settings)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logging.getLogger().addHandler(handler)
    try:
        logging.getLogger("aiohttp.client").warning("%s %s", "oa-app-s3cret", "first-rt-value")
    finally:
        logging.getLogger().removeHandler(handler)

    assert stream.getvalue() == "[secret] [secret]\n"
