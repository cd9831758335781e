"""How long canbo keeps what it does not need for ever, and removing what has expired
(`canbo purge`; docs/SECURITY.md, "Retention").

Three periods, each a setting: chat state (chats never or no longer linked, half-finished
dialogues and draft announcements, link codes, wrong-code records with the address they came
from, the console's sign-in links and past sessions), the texts of messages sent (reminders,
digests naming officials, announcements), and the audit log. Files behind expiring links go as
soon as their link has expired. Evidence officials sent (a photo of a certificate) goes a
fourth period after the board decided on it, or a day after it came when its sender never said
what it proves; the audit log keeps what was decided.

A message's text is cleared, not its row: the row's key is what stops the same reminder being
queued twice, and delivery reports keep counting it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Delete,
    SQLColumnExpression,
    String,
    Update,
    cast,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from storage.evidence import DRAFT_KEPT
from storage.models import (
    AuditEntry,
    Broadcast,
    BroadcastStatus,
    ChatAccount,
    ConsoleSession,
    ConsoleSignIn,
    Evidence,
    EvidenceStatus,
    LinkCode,
    LinkFailure,
    MediaFile,
    OutboxMessage,
    OutboxStatus,
)

FINISHED = (
    OutboxStatus.SENT,
    OutboxStatus.FAILED,
    OutboxStatus.CANCELLED,
    OutboxStatus.UNREACHABLE,
)


@dataclass(frozen=True)
class Retention:
    chat: timedelta
    sent: timedelta
    audit: timedelta
    evidence: timedelta


@dataclass
class Purged:
    """How many of each were removed (or cleared) by one purge."""

    chats: int = 0  # chat accounts never or no longer linked, idle past the chat period
    dialogues: int = 0  # half-finished dialogues cleared on chats idle past it
    drafts: int = 0  # draft announcements abandoned as long
    link_codes: int = 0  # used or expired that long ago
    wrong_codes: int = 0  # wrong-code records, with the address they came from
    console_links: int = 0  # console sign-in links used or expired that long ago
    console_sessions: int = 0  # console sessions ended (or idle) that long ago, with addresses
    files: int = 0  # files behind links that have expired
    sent_texts: int = 0  # messages sent, failed or cancelled whose text was cleared
    announcements: int = 0  # finished announcements whose text was cleared
    audit_entries: int = 0
    evidence_files: int = 0  # certificate files decided that long ago, or never sent on

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def purge(session: AsyncSession, now: datetime, retention: Retention) -> Purged:
    """Remove what has expired on ``now``; the caller commits (or rolls back: a dry run)."""
    chat_cutoff, sent_cutoff = now - retention.chat, now - retention.sent
    idle = ChatAccount.updated_at < chat_cutoff
    purged = Purged()
    stale_codes = or_(
        LinkCode.used_at < chat_cutoff,
        LinkCode.used_at.is_(None) & (LinkCode.expires_at < chat_cutoff),
    )
    purged.link_codes = await _count(session, delete(LinkCode).where(stale_codes))
    unlinked = select(ChatAccount.id).where(ChatAccount.official_id.is_(None), idle)
    await session.execute(  # a code used by a chat about to go keeps its record, not the chat
        update(LinkCode).where(LinkCode.used_by_id.in_(unlinked)).values(used_by_id=None)
    )
    purged.chats = await _count(
        session, delete(ChatAccount).where(ChatAccount.id.in_(unlinked.scalar_subquery()))
    )
    purged.dialogues = await _count(
        session,
        update(ChatAccount)
        .where(idle, or_(ChatAccount.dialog.is_not(None), _not_empty(ChatAccount.dialog_data)))
        .values(dialog=None, dialog_data={}),
    )
    purged.drafts = await _count(
        session,
        delete(Broadcast).where(
            Broadcast.status == BroadcastStatus.DRAFT, Broadcast.updated_at < chat_cutoff
        ),
    )
    purged.wrong_codes = await _count(
        session, delete(LinkFailure).where(LinkFailure.at < chat_cutoff)
    )
    purged.console_links = await _count(
        session,
        delete(ConsoleSignIn).where(
            or_(ConsoleSignIn.used_at < chat_cutoff, ConsoleSignIn.expires_at < chat_cutoff)
        ),
    )
    purged.console_sessions = await _count(
        session, delete(ConsoleSession).where(ConsoleSession.seen_at < chat_cutoff)
    )
    purged.files = await _count(session, delete(MediaFile).where(MediaFile.expires_at <= now))
    purged.sent_texts = await _count(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_(FINISHED),
            OutboxMessage.updated_at < sent_cutoff,
            _not_empty(OutboxMessage.payload),
        )
        .values(payload={}),
    )
    purged.announcements = await _count(
        session,
        update(Broadcast)
        .where(
            Broadcast.status.in_((BroadcastStatus.DONE, BroadcastStatus.CANCELLED)),
            Broadcast.updated_at < sent_cutoff,
            Broadcast.text != "",
        )
        .values(text=""),
    )
    evidence_cutoff = now - retention.evidence
    never_queued = (Evidence.status == EvidenceStatus.DRAFT) & (
        Evidence.received_at < now - DRAFT_KEPT
    )
    purged.evidence_files = await _count(
        session,
        delete(Evidence).where(or_(Evidence.decided_at < evidence_cutoff, never_queued)),
    )
    purged.audit_entries = await _count(
        session, delete(AuditEntry).where(AuditEntry.at < now - retention.audit)
    )
    return purged


def _not_empty(column: SQLColumnExpression[Any]) -> ColumnElement[bool]:
    """A JSON column holding something other than {} (compared as text: PostgreSQL's json
    type has no equality)."""
    return cast(column, String) != "{}"


async def _count(session: AsyncSession, statement: Delete | Update) -> int:
    result = await session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return int(result.rowcount or 0)
