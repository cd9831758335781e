"""Running a coordinator action from a console form: the service refuses what cannot be done
(storage.access.Refused), and the page shows why, with nothing changed; an action on something
outside the scope is a 404 (audited), exactly like one on something that does not exist."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from bot.console.visit import Visit, not_found
from storage.access import Missing, OutOfScope, Refused

T = TypeVar("T")


async def attempt(visit: Visit, action: Awaitable[T]) -> T | str:
    """``action``'s result, or the reason it was refused (in the visitor's language) once what
    it changed has been undone (a savepoint: the visit's session and official stay loaded)."""
    try:
        async with visit.db.begin_nested():
            return await action
    except OutOfScope as refused:
        raise visit.refuse(refused.target) from None
    except Missing:
        raise not_found() from None
    except Refused as refused:
        return visit._(refused.message, **refused.params)


def number(visit: Visit, name: str) -> int:
    """The whole number the path parameter ``name`` holds; anything else is a 404."""
    text = visit.request.match_info.get(name, "")
    if not text.isascii() or not text.isdigit() or len(text) > 18:
        raise not_found()
    return int(text)


async def form(visit: Visit) -> dict[str, str]:
    """The posted form's fields (the last value of each)."""
    return {key: str(value) for key, value in (await visit.request.post()).items()}
