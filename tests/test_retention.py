"""`canbo purge`: chat state, sent texts and audit entries go once their retention has passed
(storage/retention.py), nothing younger is touched, a dry run changes nothing, and every run is
on the audit log."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli import main
from scheduler.answers import AnswerResult, answer_reminder
from scheduler.config import ReminderConfig
from storage.models import (
    AnswerKind,
    AuditEntry,
    Broadcast,
    BroadcastStatus,
    Channel,
    ChatAccount,
    ConsoleSession,
    ConsoleSignIn,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    LinkCode,
    LinkFailure,
    MediaFile,
    Official,
    OutboxMessage,
    OutboxStatus,
)
from tests.factories import make_official

NOW = datetime(2027, 6, 1, 3, 0, tzinfo=UTC)
OLD_CHAT = NOW - timedelta(days=91)  # past the 90 days of chat state
RECENT = NOW - timedelta(days=10)
OLD_SENT = NOW - timedelta(days=366)  # past the year of sent texts
OLD_AUDIT = NOW - timedelta(days=1826)  # past five years


@pytest.fixture
def purge_cli(database_url, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("CANBO_DATABASE_URL", database_url)
    monkeypatch.setenv("CANBO_LOCALE", "vi")

    async def run(*argv: str) -> tuple[int, str]:
        capsys.readouterr()
        status = await asyncio.to_thread(main, ["purge", "--now", NOW.isoformat(), *argv])
        return status, capsys.readouterr().out

    return run


def _chat(external_id: str, at: datetime, official=None, **fields) -> ChatAccount:
    return ChatAccount(
        channel=Channel.WEB,
        external_id=external_id,
        official=official,
        muted_kinds=[],
        dialog_data=fields.pop("dialog_data", {}),
        created_at=at,
        updated_at=at,
        **fields,
    )


def _outbox(key: str, official, status: OutboxStatus, at: datetime) -> OutboxMessage:
    return OutboxMessage(
        dedupe_key=key,
        official_id=official.id,
        kind="course_start",
        subject="7",
        payload={"course": "Trung cấp LLCT 2026", "starts_on": "2026-03-01"},
        status=status,
        not_before=at,
        created_at=at,
        updated_at=at,
    )


def _broadcast(text: str, status: BroadcastStatus, at: datetime) -> Broadcast:
    return Broadcast(
        actor="cli:x",
        scope=[],
        audience={},
        text=text,
        signature="",
        status=status,
        created_at=at,
        updated_at=at,
    )


def _console_session(token_hash: str, official, seen: datetime) -> ConsoleSession:
    return ConsoleSession(
        token_hash=token_hash,
        official_id=official.id,
        role="coordinator",
        scope=["/1/"],
        language="vi",
        address="203.0.113.7",
        created_at=seen,
        seen_at=seen,
    )


def _evidence(official, status: EvidenceStatus, decided_at: datetime | None = None) -> Evidence:
    return Evidence(
        official=official,
        kind=EvidenceKind.DEGREE,
        status=status,
        filename="bang.jpg",
        mime_type="image/jpeg",
        size=3,
        content=b"\xff\xd8\xff",
        received_at=OLD_SENT,
        decided_at=decided_at,
        decision={},
    )


async def _world(session: AsyncSession) -> Official:
    official = await make_official(session)
    stale = _chat("stale-web", OLD_CHAT)  # never linked, idle 91 days
    fresh = _chat("fresh-web", RECENT)
    linked = _chat("linked-web", OLD_CHAT, official, dialog="broadcast_text", dialog_data={"x": 1})
    session.add_all([stale, fresh, linked])
    await session.flush()
    session.add_all(
        [
            LinkCode(  # used by the chat that goes, long ago
                code_hash="a" * 64,
                official_id=official.id,
                created_at=OLD_CHAT,
                expires_at=OLD_CHAT + timedelta(days=7),
                used_at=OLD_CHAT - timedelta(days=1),
                used_by_id=stale.id,
            ),
            LinkCode(
                code_hash="b" * 64,
                official_id=official.id,
                created_at=RECENT,
                expires_at=NOW + timedelta(days=1),
            ),
            LinkFailure(chat_account_id=fresh.id, client="203.0.113.7", at=OLD_CHAT),
            LinkFailure(chat_account_id=fresh.id, client="203.0.113.7", at=RECENT),
            MediaFile(
                token_hash="c" * 64,
                filename="bao-cao.xlsx",
                mime_type="application/octet-stream",
                content=b"PK",
                created_at=NOW - timedelta(hours=2),
                expires_at=NOW - timedelta(hours=1),
            ),
            _outbox("sent-old", official, OutboxStatus.SENT, OLD_SENT),
            _outbox("sent-new", official, OutboxStatus.SENT, RECENT),
            _outbox("pending-old", official, OutboxStatus.PENDING, OLD_SENT),
            _broadcast("Họp giao ban", BroadcastStatus.DONE, OLD_SENT),
            _broadcast("Nháp", BroadcastStatus.DRAFT, OLD_CHAT),
            ConsoleSignIn(  # a console link used long ago, and one still waiting
                token_hash="d" * 64,
                official_id=official.id,
                created_at=OLD_CHAT,
                expires_at=OLD_CHAT + timedelta(minutes=15),
                used_at=OLD_CHAT,
            ),
            ConsoleSignIn(
                token_hash="e" * 64,
                official_id=official.id,
                created_at=NOW,
                expires_at=NOW + timedelta(minutes=15),
            ),
            _console_session("f" * 64, official, OLD_CHAT),  # with the address it came from
            _console_session("g" * 64, official, RECENT),
            _evidence(official, EvidenceStatus.CONFIRMED, decided_at=OLD_CHAT),  # goes
            _evidence(official, EvidenceStatus.DECLINED, decided_at=RECENT),
            _evidence(official, EvidenceStatus.PENDING),  # waits for the board however old
            _evidence(official, EvidenceStatus.DRAFT),  # never sent on: goes after a day
            AuditEntry(at=OLD_AUDIT, actor="cli:x", action="role.grant", target="A", detail={}),
            AuditEntry(at=RECENT, actor="cli:x", action="role.grant", target="B", detail={}),
        ]
    )
    await session.commit()
    return official


async def test_what_has_expired_goes_and_nothing_younger(purge_cli, session):
    official_id = (await _world(session)).id

    status, out = await purge_cli()

    assert status == 0
    assert out.splitlines() == [
        "Đã xóa những dữ liệu đã hết thời hạn lưu trữ:",
        "  Cuộc trò chuyện không liên kết với ai: 1",
        "  Hội thoại dở dang đã xóa: 1",
        "  Thông báo nháp bị bỏ dở: 1",
        "  Mã liên kết đã dùng hoặc đã hết hạn: 1",
        "  Bản ghi nhập sai mã liên kết: 1",
        "  Đường dẫn đăng nhập bảng điều khiển đã dùng hoặc hết hạn: 1",
        "  Phiên đăng nhập bảng điều khiển đã kết thúc: 1",
        "  Tệp có liên kết đã hết hạn: 1",
        "  Nội dung tin đã gửi: 1",
        "  Nội dung thông báo đã kết thúc: 1",
        "  Mục nhật ký hoạt động: 1",
        "  Tệp văn bằng, chứng chỉ cán bộ đã gửi: 2",
    ]
    session.expire_all()
    assert list(await session.scalars(select(Evidence.status).order_by(Evidence.id))) == [
        EvidenceStatus.DECLINED,
        EvidenceStatus.PENDING,
    ]
    chats = {chat.external_id: chat for chat in await session.scalars(select(ChatAccount))}
    assert set(chats) == {"fresh-web", "linked-web"}
    assert (chats["linked-web"].dialog, chats["linked-web"].dialog_data) == (None, {})
    assert chats["linked-web"].official_id == official_id
    assert list(await session.scalars(select(LinkCode.code_hash))) == ["b" * 64]
    assert list(await session.scalars(select(LinkFailure.at))) == [RECENT]
    assert list(await session.scalars(select(ConsoleSignIn.token_hash))) == ["e" * 64]
    assert list(await session.scalars(select(ConsoleSession.token_hash))) == ["g" * 64]
    assert await session.scalar(select(MediaFile.id)) is None
    payloads = dict(
        (await session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.payload))).all()
    )
    assert payloads["sent-old"] == {}
    assert payloads["sent-new"] != {} and payloads["pending-old"] != {}
    assert [(b.status, b.text) for b in await session.scalars(select(Broadcast))] == [
        (BroadcastStatus.DONE, "")
    ]
    entries = list(await session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    assert [entry.target for entry in entries] == ["B", ""]
    assert entries[-1].action == "purge"
    assert entries[-1].detail["sent_texts"] == 1 and entries[-1].detail["dry_run"] is False

    old = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "sent-old"))
    result = await answer_reminder(
        session, old.id, official_id, AnswerKind.DONE, NOW, ReminderConfig()
    )
    assert result is AnswerResult.UNKNOWN  # too old to answer once its text is gone


async def test_a_dry_run_counts_changes_nothing_and_is_audited(purge_cli, session):
    await _world(session)

    status, out = await purge_cli("--dry-run")
    again, _out = await purge_cli("--dry-run")

    assert (status, again) == (0, 0)
    assert out.splitlines()[:2] == [
        "Sẽ xóa (chạy thử, chưa thay đổi gì):",
        "  Cuộc trò chuyện không liên kết với ai: 1",
    ]
    session.expire_all()
    assert len(list(await session.scalars(select(ChatAccount)))) == 3
    purges = list(await session.scalars(select(AuditEntry).where(AuditEntry.action == "purge")))
    assert [entry.detail["dry_run"] for entry in purges] == [True, True]
    assert purges[0].detail["audit_entries"] == 1
