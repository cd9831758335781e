"""`canbo status`, `canbo ask`, `canbo chat` and `canbo link-code issue` against a migrated
SQLite database, through bot.cli.main as an operator runs them."""

from __future__ import annotations

import asyncio
import io
import re
import sys

import pytest

from bot.cli import main
from handlers.conversation import Conversation, ConversationConfig
from rules.profiles import Standards
from storage import migrate
from storage.db import create_engine, session_factory
from storage.models import Official
from tests.handlers.conftest import NOW, ZONE, Chat, World, build_world, linked_chat


@pytest.fixture(scope="module")
def cli_database(tmp_path_factory):
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('cli') / 'canbo.db'}"
    migrate.upgrade(url)

    async def fill() -> World:
        engine = create_engine(url)
        async with session_factory(engine)() as session:
            world = await build_world(session)
        await engine.dispose()
        return world

    return url, asyncio.run(fill())


@pytest.fixture
def cli(cli_database, monkeypatch, tmp_path):
    url, world = cli_database
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CANBO_DATABASE_URL", url)
    monkeypatch.delenv("CANBO_TELEGRAM_BOT_USERNAME", raising=False)
    return url, world


async def bot_reply(url: str, text: str, official: Official) -> str:
    engine = create_engine(url)
    try:
        config = ConversationConfig(standards=Standards(), zone=ZONE)
        conversation = Conversation(session_factory(engine), config)
        chat = await linked_chat(conversation, engine, official, chat_id="cli-check")
        return await chat.say(text, now=NOW)
    finally:
        await engine.dispose()


def test_status_prints_exactly_what_the_bot_sends(cli, capsys):
    url, world = cli
    assert main(["status", "CB001", "--on", "02/06/2025"]) == 0
    printed = capsys.readouterr().out
    assert printed == asyncio.run(bot_reply(url, "/trangthai", world.official)) + "\n"
    assert "❌ Lý luận chính trị" in printed and "Hạn 01/08/2028" in printed


def test_status_in_english(cli, capsys):
    assert main(["status", "CB001", "--lang", "en", "--on", "2025-06-02"]) == 0
    printed = capsys.readouterr().out
    assert "❌ Political theory: intermediate or higher needed, you have elementary" in printed
    assert printed.startswith("You are missing 2 standards: Political theory")


def test_status_of_an_unknown_official(cli, capsys):
    assert main(["status", "KHONGCO"]) == 1
    assert "Không có cán bộ nào có mã KHONGCO." in capsys.readouterr().err


def test_ask_prints_the_reply_with_numbered_buttons(cli, capsys):
    assert main(["ask", "--as", "CB001", "cam ket cua toi"]) == 0
    printed = capsys.readouterr().out
    assert "S = F / T1 × (T1 − T2) = 60.000.000 ₫ / 48" in printed
    assert main(["ask", "--as", "CB001", "/caidat"]) == 0
    printed = capsys.readouterr().out
    assert "1. Tiếng Việt\n2. English\n" in printed
    # the options are remembered, so the next `canbo ask` can pick one by its number
    assert main(["ask", "--as", "CB001", "2"]) == 0
    assert "From now on I will answer in English." in capsys.readouterr().out


def test_ask_as_an_unknown_official(cli, capsys):
    assert main(["ask", "--as", "KHONGCO", "/trangthai"]) == 1
    assert "Không có cán bộ nào có mã KHONGCO." in capsys.readouterr().err


def test_chat_presses_buttons_by_number_and_ends_at_eof(cli, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("/caidat\n2\n/camket\n"))
    assert main(["chat", "--as", "CB002"]) == 0
    printed = capsys.readouterr().out
    assert "2. English" in printed
    assert "From now on I will answer in English." in printed
    assert "You have no service bond in progress." in printed


def test_link_code_prints_a_code_and_deep_link_that_link_a_chat(cli, capsys):
    url, _world = cli
    assert main(["link-code", "issue", "--official", "CB001", "--bot-username", "canbo_bot"]) == 0
    heading, code, link = capsys.readouterr().out.splitlines()
    assert heading == "Mã liên kết dùng một lần cho Nguyễn Văn An (CB001), có hiệu lực 7 ngày:"
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert link == f"https://t.me/canbo_bot?start={code}"

    async def use_the_code() -> str:
        engine = create_engine(url)
        try:
            config = ConversationConfig(standards=Standards(), zone=ZONE)
            chat = Chat(Conversation(session_factory(engine), config), chat_id="cli-link")
            return await chat.say(f"/start {code}")
        finally:
            await engine.dispose()

    assert "Liên kết thành công" in asyncio.run(use_the_code())


def test_link_code_without_a_bot_username_prints_just_the_code(cli, capsys):
    assert main(["link-code", "issue", "--official", "CB002"]) == 0
    assert "t.me" not in capsys.readouterr().out
    assert main(["link-code", "issue", "--official", "KHONGCO"]) == 1
    assert "Không có cán bộ nào có mã KHONGCO." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("day", "document"),
    [
        ("30/06/2025", "Nghị định 33/2023/NĐ-CP"),
        ("01/07/2025", "Luật Cán bộ, công chức 2025"),
    ],
)
def test_status_on_a_date_names_the_law_in_force_that_day(cli, capsys, day, document):
    assert main(["status", "CB001", "--on", day]) == 0
    printed = capsys.readouterr().out
    assert f"Tiêu chuẩn theo {document}, tính đến ngày {day}." in printed
