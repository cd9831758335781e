"""Where sign-in links come from: `canbo console link --official CODE` and /console in a linked
chat; both only for coordinators and admins, and only the token's hash is kept."""

from __future__ import annotations

import asyncio
import re
from datetime import date

from sqlalchemy import select

from bot.cli import main
from storage import console
from storage.access import grant
from storage.db import create_engine, session_factory
from storage.demo.load import load_demo
from storage.models import AuditEntry, ConsoleSignIn, Official, RoleKind, Unit
from tests.cli_database import cli_database

LINK = re.compile(r"http://127\.0\.0\.1:8080/console/signin\?token=([\w-]{43})")


async def _fill(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await load_demo(session, date.today())
        official = await session.scalar(select(Official).where(Official.code == "DEMO-0002"))
        unit = await session.scalar(select(Unit).where(Unit.code == "07627"))
        assert official is not None
        await grant(session, "test", official, RoleKind.COORDINATOR, unit)
        await session.commit()
    await engine.dispose()


async def _stored(url: str) -> tuple[list[str], list[AuditEntry]]:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        hashes = list(await session.scalars(select(ConsoleSignIn.token_hash)))
        entries = list(
            await session.scalars(select(AuditEntry).where(AuditEntry.action == "console.link"))
        )
    await engine.dispose()
    return hashes, entries


def test_the_command_and_the_chat_give_links_to_coordinators_only(tmp_path, monkeypatch, capsys):
    url = cli_database(tmp_path, monkeypatch, _fill)

    assert main(["console", "link", "--official", "DEMO-0002"]) == 0
    printed = capsys.readouterr().out
    from_cli = LINK.search(printed)
    assert from_cli is not None and "một lần, trong 15 phút" in printed

    assert main(["ask", "--as", "DEMO-0002", "/console"]) == 0
    said = capsys.readouterr().out
    from_chat = LINK.search(said)
    assert from_chat is not None and "Không chuyển tiếp" in said

    assert main(["console", "link", "--official", "DEMO-0003"]) == 1
    assert "không giữ vai trò điều phối" in capsys.readouterr().err
    assert main(["ask", "--as", "DEMO-0003", "/console"]) == 0
    assert "/console/signin" not in capsys.readouterr().out

    hashes, entries = asyncio.run(_stored(url))
    tokens = [from_cli.group(1), from_chat.group(1)]
    assert sorted(hashes) == sorted(console.token_hash(token) for token in tokens)
    assert [(e.actor.split(":")[0], e.target) for e in entries] == [
        ("cli", "DEMO-0002"),
        ("terminal", "DEMO-0002"),
    ]
    assert not any(token in str(e.detail) for e in entries for token in tokens)
