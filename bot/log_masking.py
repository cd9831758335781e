"""Masking what must never reach a log line, whoever writes it: phone numbers, bot tokens,
webhook and signing secrets, passwords in URLs, session cookies and link codes.

Our own code logs ids, not content, but the libraries do not: python-telegram-bot's CRITICAL
line for an update it cannot parse prints the whole update (a shared contact's phone number
with it) and its DEBUG lines put the token in every URL; SQLAlchemy's echo prints query
parameters. ``install`` puts one ``MaskingFilter`` on every handler there is (the root's and any
a library added) and, for handlers added later (SQLAlchemy adds its own when echo is on), masks
each record as it is made. The message is formatted once and masked, traceback included, so a
formatter of any kind (text or JSON) only ever sees the masked text.
"""

from __future__ import annotations

import logging
import re
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from bot.settings import Settings

PHONE_MASK = "[phone]"
TOKEN_MASK = "[token]"
SECRET_MASK = "[secret]"
CODE_MASK = "[link code]"

# A Vietnamese number: +84 / (+84) / 84 / 0, then 9 (mobile) or 10 (landline) digits, with
# spaces, dots or hyphens anywhere between them: 0912 345 678, 0912.345.678, +84 912 345 678,
# 84912345678, 024 3825 1234. Not part of a longer number, nor a decimal fraction.
_PHONE = re.compile(r"(?<![\w.+])(?:\(?\+84\)?[ .-]?|84[ .-]?|0)[1-9](?:[ .-]?\d){7,9}(?![\w])")
# A phone in a structure, whatever its country: {"phone_number": "+1 202 555 0100"}.
_PHONE_FIELD = re.compile(
    r"""(?i)(\bphone(?:_number)?['"]?\s*[:=]\s*)(?:'[^']*'|"[^"]*"|[^'",}\s]+)"""
)
# A Telegram or Zalo bot token (digits, a colon, a long secret), bare or inside an API URL.
_TOKEN = re.compile(r"(?<![0-9])[0-9]{5,}:[A-Za-z0-9_-]{20,}")
# The password in a URL: postgresql://canbo:PASSWORD@host/db.
_URL_PASSWORD = re.compile(r"(://[^/\s:@]+:)[^/\s@]+@")
# A value given under a name that says it is secret: secret_token=…, "password": "…", the
# web chat's and the console's session cookies.
_SECRET_FIELD = re.compile(
    r"""(?i)(\b(?:[a-z_-]*secret[a-z_-]*|password|passwd|token|api[_-]?key|authorization"""
    r"""|canbo_chat|canbo_console)['"]?\s*[:=]\s*['"]?(?:bearer\s+)?)([^\s'"&,;}]+)"""
)
# Eight letters and digits, maybe split in two: K7QX-9PMA, k7qx 9pma. Found overlapping
# ("send k7qx 9pma" holds two candidates), each checked against the link-code alphabet.
_CODE = re.compile(r"(?<![A-Za-z0-9])(?=([A-Za-z2-9]{4}[ _.-]?[A-Za-z2-9]{4})(?![A-Za-z0-9]))")
_LETTER = re.compile(r"[A-Za-z]")


class Masker:
    """The masking itself: ``mask(text)`` with the configured secrets and the patterns."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is replaced whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 6}, key=len, reverse=True)

    def mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, SECRET_MASK)
        text = _TOKEN.sub(TOKEN_MASK, text)
        text = _URL_PASSWORD.sub(rf"\1{SECRET_MASK}@", text)
        text = _SECRET_FIELD.sub(rf"\1{SECRET_MASK}", text)
        text = _PHONE_FIELD.sub(_phone_field, text)
        text = _PHONE.sub(PHONE_MASK, text)
        return _mask_codes(text)


def _phone_field(match: re.Match[str]) -> str:
    value = match.group(0)[len(match.group(1)) :]
    quote = value[0] if value[0] in "'\"" else ""
    return f"{match.group(1)}{quote}{PHONE_MASK}{quote}"


def _mask_codes(text: str) -> str:
    """Mask whatever could be a link code as canbo issues them (its alphabet, a digit and a
    letter); overlapping candidates are masked as one."""
    from handlers.linking import normalise_code  # here: every command installs the masking

    spans: list[list[int]] = []
    for match in _CODE.finditer(text):
        found = match.group(1)
        if normalise_code(found) is None or not _LETTER.search(found):
            continue
        start, end = match.span(1)
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    for start, end in reversed(spans):
        text = text[:start] + CODE_MASK + text[end:]
    return text


_MASKED = "_canbo_masked"  # the message as masked: a record changed since is masked again


class MaskingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack as masked text; never drops one."""

    def __init__(self, masker: Masker) -> None:
        super().__init__()
        self.masker = masker

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _MASKED, None) is record.msg and not record.exc_info:
            return True  # masked already, and nothing was put in since
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: logging would print msg and args raw
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.masker.mask(message), None
        if record.exc_info:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self.masker.mask(record.exc_text)
        if record.stack_info:
            record.stack_info = self.masker.mask(record.stack_info)
        setattr(record, _MASKED, record.msg)
        return True


class _MaskingFactory:
    """The record factory: every record is masked as it is made, before any handler sees it."""

    def __init__(self, wrapped: Callable[..., logging.LogRecord], masking: MaskingFilter):
        self.wrapped = wrapped
        self.masking = masking

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        record = self.wrapped(*args, **kwargs)
        self.masking.filter(record)
        return record


def install(settings: Settings) -> MaskingFilter:
    """Mask every log line from now on, with ``settings``' tokens and secrets among what is
    masked. Calling it again replaces the earlier masking."""
    masking = MaskingFilter(Masker(_secrets(settings)))
    factory = logging.getLogRecordFactory()
    if isinstance(factory, _MaskingFactory):
        factory = factory.wrapped
    logging.setLogRecordFactory(_MaskingFactory(factory, masking))
    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        for handler in getattr(logger, "handlers", ()):
            for old in [f for f in handler.filters if isinstance(f, MaskingFilter)]:
                handler.removeFilter(old)
            handler.addFilter(masking)
    # python-telegram-bot's DEBUG lines carry whole requests and updates: never below INFO.
    telegram = logging.getLogger("telegram")
    telegram.setLevel(max(logging.INFO, telegram.getEffectiveLevel()))
    return masking


def _secrets(settings: Settings) -> list[str]:
    values = [
        settings.telegram_token,
        settings.telegram_webhook_secret,
        settings.zalo_token,
        settings.zalo_webhook_secret,
        settings.secret_key,
        settings.metrics_token,
        settings.zns_secret_key,
        settings.zns_refresh_token,
    ]
    return [value.get_secret_value() for value in values if value is not None]
