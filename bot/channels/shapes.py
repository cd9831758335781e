"""Checks that a webhook body has the types the messenger documents, before anything trusts it.

python-telegram-bot builds its objects without checking types, and JSON can carry what no
database takes (lone surrogates, integers past 64 bits), so both webhooks refuse such bodies
with a 400 instead of failing later inside the bot.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeGuard

Check = Callable[[object], bool]


def int64(value: object) -> TypeGuard[int]:
    return type(value) is int and -(2**63) <= value < 2**63


def boolean(value: object) -> bool:
    return type(value) is bool


def unicode_text(value: object) -> TypeGuard[str]:
    """A string that is valid Unicode (JSON can carry lone surrogates)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def json_object(
    required: Mapping[str, Check], optional: Mapping[str, Check] | None = None
) -> Check:
    """A check for an object with ``required`` fields and, when present and not null,
    ``optional`` ones."""

    def check(value: object) -> bool:
        return (
            isinstance(value, dict)
            and all(key in value and ok(value[key]) for key, ok in required.items())
            and all(
                value.get(key) is None or ok(value[key]) for key, ok in (optional or {}).items()
            )
        )

    return check


def list_of(item: Check) -> Check:
    return lambda value: isinstance(value, list) and all(item(v) for v in value)
