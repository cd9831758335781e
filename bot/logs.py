"""Logging for every command: text lines by default, or (CANBO_LOG_FORMAT=json) one JSON
object per line for a log collector.

An event logged while an update or an HTTP request is handled carries its id (``update_id``,
``request_id``): whoever handles one wraps the work in ``bound(...)``, and a filter on the
handler copies the ids onto each record. Both formats go through the root logger's handler,
so every filter added to the handlers (the secrets masking) applies to both.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("text", "json")

_ids: ContextVar[dict[str, str]] = ContextVar("log_ids", default={})  # noqa: B039 (never mutated)


@contextmanager
def bound(**ids: str | int) -> Iterator[None]:
    """Every event logged inside (in this task and the tasks it starts) carries ``ids``."""
    token = _ids.set(_ids.get() | {name: str(value) for name, value in ids.items()})
    try:
        yield
    finally:
        _ids.reset(token)


class _WithIds(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in _ids.get().items():
            setattr(record, name, value)
        return True


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        return JsonFormatter(
            "{levelname}{name}{message}",
            style="{",
            timestamp="time",
            rename_fields={"levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    return logging.Formatter(TEXT_FORMAT)


def handler(log_format: str) -> logging.Handler:
    """A handler to stderr in ``log_format``, whose records carry the bound ids."""
    to_stderr = logging.StreamHandler()
    to_stderr.setFormatter(formatter(log_format))
    to_stderr.addFilter(_WithIds())
    return to_stderr


def configure(*, verbose: bool, log_format: str) -> None:
    """Log INFO and up (DEBUG with ``verbose``) to stderr in ``log_format``."""
    level = logging.DEBUG if verbose else logging.INFO
    logging.basicConfig(level=level, handlers=[handler(log_format)])
    # importing Alembic (every command checks the migrations first) logs its plugins, 7 lines
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
