"""Failures an operator can fix, each told in one line: what happened, then what to do.

`canbo` (bot/cli.py) hands every error that ends a command to ``explain``; a known one is
printed as its line, in the operator's language, instead of a traceback. Each entry of
``KNOWN`` names an exception type and writes its line; ``explain`` also looks through the
causes an error carries (SQLAlchemy and asyncio wrap what really happened). To teach `canbo` a
new failure, add an entry.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exc
from telegram.error import InvalidToken

from bot.channels.zalo import ZaloError
from bot.http import ListenFailed
from locales import CatalogueMissing, Translator, translator
from storage.db import is_outage
from storage.migrate import DatabaseUnreachable, SchemaNotAtHead


@dataclass(frozen=True)
class Known:
    kind: type[BaseException]
    line: Callable[[Any, Translator], str | None]  # None: not this one after all


def _listen_failed(error: ListenFailed, _: Translator) -> str:
    if error.errno == errno.EADDRINUSE:
        return _(
            "Port {port} on {host} is already in use (is canbo already running?): stop that "
            "process or set {setting} to a free port.",
            port=error.port,
            host=error.host,
            setting=error.setting,
        )
    if error.errno == errno.EACCES:
        return _(
            "Not allowed to listen on port {port}: set {setting} to a port above 1024 and let "
            "the proxy (nginx) take the public port.",
            port=error.port,
            setting=error.setting,
        )
    return _(
        "Cannot listen on {host}:{port} ({reason}): check {setting} and CANBO_HTTP_HOST.",
        host=error.host,
        port=error.port,
        reason=error.strerror,
        setting=error.setting,
    )


def _catalogue_missing(error: CatalogueMissing, _: Translator) -> str:
    # in English whatever the language: the catalogue that would translate it is the one missing
    return (
        f"The {error.language} message catalogue is missing ({error.path}): run `make install` "
        "in a checkout, or reinstall the canbo package."
    )


def _telegram_token(error: InvalidToken, _: Translator) -> str:
    return _(
        "Telegram refused the bot token: copy it again from @BotFather into CANBO_TELEGRAM_TOKEN."
    )


def _zalo_token(error: ZaloError, _: Translator) -> str | None:
    if error.code != 401:
        return None
    return _(
        "Zalo refused the bot token: copy it again from the Zalo Bot Manager into CANBO_ZALO_TOKEN."
    )


def _database_unreachable(error: DatabaseUnreachable, _: Translator) -> str:
    return _(
        "The database at {where} cannot be reached ({reason}): start it, or correct "
        "CANBO_DATABASE_URL.",
        where=error.where,
        reason=error.reason,
    )


def _schema_not_at_head(error: SchemaNotAtHead, _: Translator) -> str:
    if not error.state.current:
        return _(
            "The database at {where} has no tables yet: run `canbo db upgrade`.", where=error.where
        )
    return _(
        "The database at {where} is at migration {current}, this canbo needs {head}: run "
        "`canbo db upgrade` (or install the canbo that migrated it).",
        where=error.where,
        current=", ".join(sorted(error.state.current)),
        head=", ".join(sorted(error.state.head)),
    )


def _database_lost(error: exc.DBAPIError, _: Translator) -> str | None:
    """The database went away while a command was running."""
    if not is_outage(error):
        return None
    return _(
        "The database stopped answering while the command ran: nothing after its last "
        "step was saved. Run the command again once the database is back."
    )


KNOWN: list[Known] = [
    Known(ListenFailed, _listen_failed),
    Known(CatalogueMissing, _catalogue_missing),
    Known(InvalidToken, _telegram_token),
    Known(ZaloError, _zalo_token),
    Known(DatabaseUnreachable, _database_unreachable),
    Known(SchemaNotAtHead, _schema_not_at_head),
    Known(exc.DBAPIError, _database_lost),
]


def explain(error: BaseException, language: str) -> str | None:
    """The one line for ``error`` (or what caused it), or None when it is not a known one."""
    try:
        _ = translator(language)
    except CatalogueMissing:
        _ = translator("en")  # English needs no catalogue: the messages are written in it
    for cause in _causes(error):
        for known in KNOWN:
            if isinstance(cause, known.kind) and (line := known.line(cause, _)) is not None:
                return line
    return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    """``error``, what it was raised from or during, and the first error of a group."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
