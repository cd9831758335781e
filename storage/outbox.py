"""Queueing notifications: one row per (recipient, kind, subject, milestone, cycle), ever.

Planning twice, after a restart or on two workers inserts nothing new: the dedupe key is unique
and the insert skips a conflict instead of failing the transaction.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Executable, Table, bindparam, func, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OutboxMessage, OutboxStatus
from storage.types import utcnow

# A note to coordinators that an official registered for a course from the chat.
COURSE_REGISTRATION = "course_registration"
# To an official: the board confirmed or declined their registration (storage.registrations).
REGISTRATION_DECIDED = "registration_decided"
# To an official: the board confirmed or declined the evidence they sent (storage.evidence).
EVIDENCE_DECIDED = "evidence_decided"
# To coordinators: an official sent evidence to check in the console (storage.evidence).
EVIDENCE_SENT = "evidence_sent"

_OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
_SQLITE_INSERT = sqlite.insert(_OUTBOX).on_conflict_do_nothing(index_elements=["dedupe_key"])


def official_recipient(official_id: int) -> str:
    """The recipient part of the dedupe key of a notice to an official."""
    return f"o{official_id}"


def dedupe_key(recipient: str, kind: str, subject: str, milestone: str, cycle: str) -> str:
    return f"{recipient}|{kind}|{subject}|{milestone}|{cycle}"


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
            return official_recipient(self.official_id)
        return f"c{self.chat_account_id}"

    @property
    def dedupe_key(self) -> str:
        return dedupe_key(self.recipient, self.kind, self.subject, self.milestone, self.cycle)


async def enqueue(session: AsyncSession, notices: list[Notice]) -> int:
    """Queue ``notices``, skipping any whose dedupe key is already queued. Returns how many
    were new. The caller commits."""
    return (await enqueue_by_kind(session, notices)).total()


async def enqueue_by_kind(session: AsyncSession, notices: list[Notice]) -> Counter[str]:
    """``enqueue``, counting the new rows per kind: in bulk, not a statement per notice
    (the planner queues a province's reminders this way)."""
    if not notices:
        return Counter()
    await session.flush()  # rows added to the session may be what the notices refer to
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
            "not_before": notice.not_before,
        }
        for notice in notices
    ]
    now = utcnow()
    fixed = {"status": OutboxStatus.PENDING, "attempts": 0, "created_at": now, "updated_at": now}
    if session.get_bind().dialect.name == "postgresql":
        inserted = await session.execute(_from_arrays(rows, fixed))
        return Counter(kind for (kind,) in inserted)
    # SQLite: one prepared statement run over each kind's rows in the driver (executemany),
    # its row count the kind's new rows; a RETURNING list would be built row by row here.
    by_kind: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for notice, row in zip(notices, rows, strict=True):
        by_kind[notice.kind].append(row | fixed)
    counts: Counter[str] = Counter()
    for kind, kind_rows in by_kind.items():
        result = await session.execute(_SQLITE_INSERT, kind_rows)
        if new := int(getattr(result, "rowcount", 0)):
            counts[kind] = new
    return counts


def _from_arrays(rows: list[dict[str, Any]], fixed: dict[str, Any]) -> Executable:
    """PostgreSQL: the rows as one array per column, unnested into the table. The driver
    encodes arrays natively: half the client's time per row of a multi-row VALUES list, and
    one statement however many rows."""
    names = list(rows[0])
    arrays = [
        bindparam(name, [row[name] for row in rows], type_=ARRAY(_OUTBOX.c[name].type))
        for name in names
    ]
    source = func.unnest(*arrays).table_valued(*names).render_derived()
    constants = [literal(value, _OUTBOX.c[name].type) for name, value in fixed.items()]
    return (
        postgresql.insert(_OUTBOX)
        .from_select([*names, *fixed], select(*source.c, *constants))
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(_OUTBOX.c.kind)
    )
