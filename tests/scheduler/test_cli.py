"""`canbo reminders plan|list` and `canbo outbox dispatch`, as an operator types them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cli import main
from scheduler.lock import dispatch_lock
from storage.models import CourseKind
from tests.factories import make_official
from tests.scheduler.helpers import course, enrol, link


@pytest.fixture
async def enrolled(session, database_url, monkeypatch):
    official = await make_official(session, "CB7", full_name="Ngô Bảy")
    await link(session, official.id, "77")
    starting = await course(session, "LL7", CourseKind.OTHER, date(2027, 10, 4))
    await enrol(session, official.id, starting.id)
    await session.commit()
    monkeypatch.setenv("CANBO_DATABASE_URL", database_url)
    monkeypatch.setenv("CANBO_LOCALE", "en")
    monkeypatch.delenv("CANBO_TELEGRAM_TOKEN", raising=False)
    return starting.id


def test_plan_then_list(enrolled, capsys):
    assert main(["reminders", "plan", "--now", "2027-09-20T07:30"]) == 0
    assert main(["reminders", "plan", "--now", "2027-09-20T08:00+07:00"]) == 0
    planned = capsys.readouterr().out.splitlines()
    assert planned[:3] == [
        "Reminders planned for 07:30 20/09/2027:",
        "Queued: 1",
        "  course_start: 1",
    ]
    assert planned[4:6] == ["Reminders planned for 08:00 20/09/2027:", "Queued: 0"]

    assert main(["reminders", "list", "--status", "pending"]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert header.split() == [
        "Outbox",
        "id",
        "Delivery",
        "status",
        "Send",
        "at",
        "Recipient",
        "Reminder",
        "kind",
        "About",
        "Milestone",
    ]
    cells = row.split()
    assert cells[1:] == [
        "pending",
        "07:30",
        "20/09/2027",
        "CB7",
        "course_start",
        f"course:{enrolled}",
        "d14@2027-10-04",
    ]
    assert main(["reminders", "list", "--status", "sent"]) == 0
    assert capsys.readouterr().out == "The outbox has no such messages.\n"


def test_bad_input_is_refused_with_a_clear_message(enrolled, capsys):
    with pytest.raises(SystemExit):
        main(["reminders", "plan", "--now", "next tuesday"])
    assert "expected a date and time like 2026-09-01T07:30" in capsys.readouterr().err


@pytest.fixture
async def busy(engine, enrolled, monkeypatch):
    """Another dispatcher holds the lock of bot 123456."""
    monkeypatch.setenv("CANBO_TELEGRAM_TOKEN", "123456:not-a-real-token")
    monkeypatch.setenv("CANBO_TELEGRAM_API_URL", "http://127.0.0.1:9/bot")
    lock = dispatch_lock(engine, "telegram:123456")
    assert await lock.acquire()
    yield
    await lock.release()


def test_a_second_dispatcher_for_the_same_bot_stands_aside(busy, capsys):
    assert main(["outbox", "dispatch", "--once"]) == 1
    assert capsys.readouterr().out == (
        "Another dispatcher is active for this bot; try again later.\n"
    )
