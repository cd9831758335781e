"""The event loop of the long-running commands (`canbo run`, `canbo outbox dispatch`): uvloop,
except on Windows, where it does not run.

Each reply and each delivery wakes the loop many times (webhook and Bot API sockets, the
SQLite driver's thread handing back every result); uvloop's wake-ups cost less CPU than the
standard loop's (benchmarks/RESULTS.md, "Update handling").
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def run(main: Coroutine[Any, Any, T]) -> T:
    if sys.platform == "win32":
        return asyncio.run(main)
    import uvloop  # imported here: the other commands start without it

    return uvloop.run(main)
