"""Queueing notifications: one row per (recipient, kind, subject, milestone, cycle), ever.

Planning twice, after a restart or on two workers inserts nothing new: the dedupe key is unique
and the insert skips a conflict instead of failing the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus
from storage.types import utcnow

# A note to coordinators that an official registered for a course from the chat.
COURSE_REGISTRATION = "course_registration"


@dataclass(frozen=True)
class Notice:
    """A message to queue. Exactly one of ``official_id`` and ``chat_account_id`` names the
    recipient: an official is reached on the channel they chose; a chat account directly."""

    kind: str
    payload: dict[str, Any]
    not_before: datetime
    official_id: int | None = None
    chat_account_id: int | None = None
    subject: str = ""
    milestone: str = ""
    cycle: str = ""
    urgent: bool = False

    @property
    def recipient(self) -> str:
        if (self.official_id is None) == (self.chat_account_id is None):
            raise ValueError("a notice needs exactly one recipient")
        if self.official_id is not None:
            return f"o{self.official_id}"
        return f"c{self.chat_account_id}"

    @property
    def dedupe_key(self) -> str:
        return "|".join((self.recipient, self.kind, self.subject, self.milestone, self.cycle))


async def enqueue(session: AsyncSession, notices: list[Notice]) -> int:
    """Queue ``notices``, skipping any whose dedupe key is already queued. Returns how many
    were new. The caller commits."""
    if not notices:
        return 0
    now = utcnow()
    rows = [
        {
            "dedupe_key": notice.dedupe_key,
            "official_id": notice.official_id,
            "chat_account_id": notice.chat_account_id,
            "kind": notice.kind,
            "subject": notice.subject,
            "milestone": notice.milestone,
            "cycle": notice.cycle,
            "payload": notice.payload,
            "urgent": notice.urgent,
            "status": OutboxStatus.PENDING,
            "not_before": notice.not_before,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for notice in notices
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutboxMessage)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    inserted = await session.execute(statement, rows)
    return len(inserted.all())
