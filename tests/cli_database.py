"""A migrated SQLite file for end-to-end `canbo …` command tests, as an operator's would be."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from storage import migrate


def cli_database(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fill: Callable[[str], Coroutine[Any, Any, None]],
) -> str:
    """Migrate a database in ``tmp_path``, ``fill`` it, and point the commands at it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'canbo.db'}"
    migrate.upgrade(url)
    asyncio.run(fill(url))
    monkeypatch.setenv("CANBO_DATABASE_URL", url)
    monkeypatch.delenv("CANBO_LOCALE", raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return url
