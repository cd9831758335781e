"""Failures an operator can fix end in one line that says what to do, never a traceback; a
reader that closes the pipe early ends the command quietly."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import locales
from bot.cli import SIGPIPE_EXIT, main
from storage.audit import record
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo

CANBO = Path(sys.executable).with_name("canbo")


@pytest.fixture
def operator(sqlite_url, tmp_path, monkeypatch) -> None:
    """The environment of an operator's shell: the tests' SQLite database, nothing else."""
    for name in list(os.environ):
        if name.startswith("CANBO_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CANBO_DATABASE_URL", sqlite_url)
    monkeypatch.chdir(tmp_path)  # no .env


def one_line(text: str) -> str:
    assert "Traceback" not in text
    assert text.count("\n") == 1, text
    return text.rstrip("\n")


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.mark.parametrize("setting", ["CANBO_HTTP_PORT", "CANBO_METRICS_PORT"])
def test_a_port_in_use(operator, taken_port, setting, monkeypatch, capsys):
    monkeypatch.setenv("CANBO_HTTP_PORT", "0")
    monkeypatch.setenv(setting, str(taken_port))
    assert main(["run"]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"Cổng {taken_port} trên 127.0.0.1 đang bị chiếm (canbo đang chạy rồi?): dừng tiến trình "
        f"đó hoặc đặt {setting} là một cổng còn trống."
    )


@pytest.mark.parametrize(
    "token", ['"123456:AAH-secret_part"', "bot123456:AAHsecret", "123456 AAHsecret", "AAHsecret"]
)
def test_a_malformed_telegram_token(operator, token, monkeypatch, capsys):
    monkeypatch.setenv("CANBO_TELEGRAM_TOKEN", token)
    assert main(["run"]) == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith(
        "Cấu hình không hợp lệ CANBO_TELEGRAM_TOKEN: đây không phải mã bot Telegram"
    )
    assert err.endswith("sao chép lại từ @BotFather")
    assert "secret" not in err.lower()


def test_a_malformed_zalo_token(operator, monkeypatch, capsys):
    monkeypatch.setenv("CANBO_ZALO_TOKEN", "1234567890:zalo secret")
    assert main(["run"]) == 2
    err = one_line(capsys.readouterr().err)
    assert err.startswith("Cấu hình không hợp lệ CANBO_ZALO_TOKEN: đây không phải mã bot Zalo")
    assert "secret" not in err


@pytest.mark.parametrize(
    ("fake", "channel", "expected"),
    [
        (FakeTelegram, "TELEGRAM", "Telegram từ chối mã bot: sao chép lại mã từ @BotFather"),
        (FakeZalo, "ZALO", "Zalo từ chối mã bot: sao chép lại mã từ Zalo Bot Manager"),
    ],
)
async def test_a_token_the_messenger_refuses(
    operator, fake, channel, expected, monkeypatch, capsys
):
    async with fake() as server:
        monkeypatch.setenv(f"CANBO_{channel}_TOKEN", "999999:revoked-token")
        monkeypatch.setenv(f"CANBO_{channel}_API_URL", server.base_url)
        monkeypatch.setenv("CANBO_HTTP_PORT", "0")
        assert await asyncio.to_thread(main, ["run"]) == 1
    assert one_line(capsys.readouterr().err).startswith(expected)


@pytest.fixture
def no_catalogues(tmp_path, monkeypatch) -> Iterator[Path]:
    """The package as if built without compiling its catalogues."""
    monkeypatch.setattr(locales, "CATALOGUES", tmp_path)
    locales.translator.cache_clear()
    yield tmp_path
    locales.translator.cache_clear()


def test_a_missing_catalogue(operator, no_catalogues, capsys):
    assert main(["status", "CB001"]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"The vi message catalogue is missing ({no_catalogues}/vi/LC_MESSAGES/canbo.mo): run "
        "`make install` in a checkout, or reinstall the canbo package."
    )


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_closed_pipe_ends_quietly(operator, database_url, session):
    for number in range(300):  # more than a pipe holds
        record(session, "cli:test", "report.qualifications", f"U{number}", on="2026-11-01")
    await session.commit()
    for command, status in ((["audit", "--limit", "300"], SIGPIPE_EXIT), (["--help"], None)):
        reader = subprocess.Popen(  # noqa: ASYNC220 (the pipe is closed by hand)
            [CANBO, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        assert reader.stdout is not None and reader.stderr is not None
        reader.stdout.close()  # as `| head` does once it has read enough
        err = await asyncio.to_thread(reader.stderr.read)
        code = await asyncio.to_thread(reader.wait)
        assert err == b""
        # argparse itself ignores a closed pipe when it prints help, and ends as usual
        assert code == status or (status is None and code in (0, SIGPIPE_EXIT))


@pytest.fixture
def unreachable_database(operator, monkeypatch) -> str:
    """A PostgreSQL URL on a port nobody listens on, with a password that must not show."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("CANBO_DATABASE_URL", f"postgresql+asyncpg://canbo:pw@127.0.0.1:{port}/x")
    return f"127.0.0.1:{port}/x"


@pytest.mark.parametrize("command", [["run"], ["reminders", "list"], ["units", "load"]])
def test_an_unreachable_database_stops_every_command(
    unreachable_database, command, monkeypatch, capsys
):
    monkeypatch.setenv("CANBO_HTTP_PORT", "0")
    assert main(command) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"Không kết nối được cơ sở dữ liệu tại {unreachable_database} (")
    assert line.endswith("hãy khởi động nó, hoặc sửa CANBO_DATABASE_URL.")
    assert "pw" not in line


def test_a_database_behind_the_migrations_stops_run_until_upgraded(
    operator, tmp_path, monkeypatch, capsys
):
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    monkeypatch.setenv("CANBO_DATABASE_URL", url)
    monkeypatch.setenv("CANBO_LOCALE", "en")
    assert main(["db", "upgrade", "0008"]) == 0  # the revision before the inbox
    capsys.readouterr()

    assert main(["run"]) == 1
    line = one_line(capsys.readouterr().err)
    assert line.startswith(f"The database at {tmp_path / 'old.db'} is at migration 0008, ")
    assert "run `canbo db upgrade`" in line

    assert main(["db", "upgrade"]) == 0  # the migrations themselves are never refused
    assert main(["reminders", "list"]) == 0


def test_a_missing_sqlite_file_is_not_created(operator, tmp_path, monkeypatch, capsys):
    missing = tmp_path / "nothing-here.db"
    monkeypatch.setenv("CANBO_DATABASE_URL", f"sqlite+aiosqlite:///{missing}")
    assert main(["reminders", "list"]) == 1
    assert one_line(capsys.readouterr().err) == (
        f"Cơ sở dữ liệu tại {missing} chưa có bảng nào: hãy chạy `canbo db upgrade`."
    )
    assert not missing.exists()
