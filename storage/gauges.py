"""What the database says about the service's queues and imports, read for each /metrics scrape.

These numbers are the database's, not a process's: every worker reports the same values, and
imports run by `canbo import` (another process) count too. The outbox is counted per kind,
channel and state: ``due`` (waiting to be sent now), ``scheduled`` (held until a later time:
quiet hours, working mornings, retries) and ``sending`` (claimed by a dispatcher). A row for an
official goes out on the chat the dispatcher would pick (their preferred linked chat, else
the one linked last): ``none`` when they have no chat linked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.importers import KINDS as IMPORT_KINDS
from storage.models import AuditEntry, ChatAccount, InboxUpdate, OutboxMessage, OutboxStatus

NO_CHANNEL = "none"
KINDS = (*IMPORT_KINDS, "units")  # rosters, and `canbo units import`


@dataclass(frozen=True)
class OutboxGroup:
    kind: str
    channel: str
    state: str  # due, scheduled or sending
    rows: int
    oldest_due: datetime | None  # the earliest not_before of the due rows


@dataclass(frozen=True)
class InboxGroup:
    channel: str
    waiting: int  # updates stored and not yet answered
    oldest: datetime | None  # when the longest-waiting one arrived


@dataclass(frozen=True)
class ImportTotals:
    kind: str
    outcome: str  # imported, rejected, dry_run, interrupted, or started (still running, or killed)
    files: int
    created: int  # rows, for the imports kept
    updated: int


async def outbox(session: AsyncSession, now: datetime) -> list[OutboxGroup]:
    """The outbox rows not yet finished, grouped by kind, channel and state. An official's
    chat is looked up per row (an index lookup): unlike a join on every official's ranked
    chats, it needs no table statistics to stay fast after a province-wide announcement is
    queued (benchmarks/bench_metrics.py)."""
    preferred = (
        select(ChatAccount.channel)
        .where(
            ChatAccount.official_id == OutboxMessage.official_id,
            ChatAccount.is_group.is_(False),
        )
        .order_by(
            ChatAccount.preferred.desc(), ChatAccount.updated_at.desc(), ChatAccount.id.desc()
        )
        .limit(1)
        .correlate(OutboxMessage)
        .scalar_subquery()
    )
    direct = aliased(ChatAccount)
    state = case(
        (OutboxMessage.status == OutboxStatus.CLAIMED, literal("sending")),
        (OutboxMessage.not_before <= now, literal("due")),
        else_=literal("scheduled"),
    )
    rows = (
        select(
            OutboxMessage.kind,
            func.coalesce(direct.channel, preferred).label("channel"),
            state.label("state"),
            OutboxMessage.not_before,
        )
        .outerjoin(direct, direct.id == OutboxMessage.chat_account_id)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.CLAIMED]))
        .subquery()
    )
    query = select(
        rows.c.kind,
        rows.c.channel,
        rows.c.state,
        func.count(),
        func.min(case((rows.c.state == "due", rows.c.not_before))),
    ).group_by(rows.c.kind, rows.c.channel, rows.c.state)
    return [
        OutboxGroup(
            kind,
            chat_channel.value if chat_channel is not None else NO_CHANNEL,
            row_state,
            count,
            _aware(oldest),
        )
        for kind, chat_channel, row_state, count, oldest in await session.execute(query)
    ]


async def inbox(session: AsyncSession) -> list[InboxGroup]:
    """Updates stored but not yet answered, per channel (storage.inbox): every channel writes
    an update there before the messenger is told it arrived."""
    query = (
        select(InboxUpdate.channel, func.count(), func.min(InboxUpdate.received_at))
        .where(InboxUpdate.answered_at.is_(None))
        .group_by(InboxUpdate.channel)
    )
    return [
        InboxGroup(channel.value, waiting, _aware(oldest))
        for channel, waiting, oldest in await session.execute(query)
    ]


async def imports(session: AsyncSession) -> list[ImportTotals]:
    """Roster imports so far, per kind and outcome, from the audit log (storage.importers.audit
    puts every one there, with its outcome and counts)."""
    actions = {f"import.{kind}": kind for kind in KINDS}
    outcome = AuditEntry.detail["outcome"].as_string()
    query = (
        select(
            AuditEntry.action,
            outcome,
            func.count(),
            func.sum(AuditEntry.detail["created"].as_integer()),
            func.sum(AuditEntry.detail["updated"].as_integer()),
        )
        .where(AuditEntry.action.in_(actions))
        .group_by(AuditEntry.action, outcome)
    )
    return [
        ImportTotals(actions[action], kind_outcome or "", files, created or 0, updated or 0)
        for action, kind_outcome, files, created, updated in await session.execute(query)
    ]


def _aware(value: datetime | str | None) -> datetime | None:
    """SQLite hands back the MIN of a CASE as text, without the column's type."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(value).replace(tzinfo=UTC)
