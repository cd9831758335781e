"""The outbox: every notification is stored here before any network call (DESIGN.md).

The dedupe key (recipient, kind, subject, milestone, cycle) is unique, so planning twice, or on
two workers, never queues twice. ``payload`` holds a message template key and its parameters;
the text is rendered in the recipient's language when sent.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, JSON, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped
from storage.types import enum_column

SLOT_TIMES = ARRAY(Float).with_variant(JSON, "sqlite")


class OutboxStatus(enum.Enum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNREACHABLE = "unreachable"


class OutboxMessage(Timestamped, Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        # announcements (urgent) are claimed before routine reminders (scheduler.dispatcher)
        Index("ix_outbox_due_urgent", "status", "urgent", "not_before"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    official_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    chat_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80), default="")
    milestone: Mapped[str] = mapped_column(String(40), default="")
    cycle: Mapped[str] = mapped_column(String(20), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column(OutboxStatus, 16), default=OutboxStatus.PENDING
    )
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # when the fallback (scheduler/fallback.py) took this unreachable row: to the next chat, to
    # ZNS or to "not reachable"; set first, as a claim, so no two workers take it
    fallback_at: Mapped[datetime | None]


class DeliveryAttempt(Base):
    """One try at sending one outbox row, kept for the record and the delivery reports."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)


class AnswerKind(enum.Enum):
    """The buttons under a reminder."""

    DONE = "done"  # Đã đăng ký: stop this chain
    SNOOZE = "snooze"  # Nhắc lại sau 3 ngày
    DECLINE = "decline"  # Không tham gia được: stop and tell the coordinators


class ReminderAnswer(Base):
    """An official's answer to one reminder. DONE and DECLINE stop the reminder's chain
    (same official, kind, subject and cycle): the planner queues no more of it and the
    dispatcher cancels what is still pending. One answer per message; a second press changes
    nothing."""

    __tablename__ = "reminder_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(ForeignKey("outbox.id", ondelete="CASCADE"), unique=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80))
    cycle: Mapped[str] = mapped_column(String(20))
    answer: Mapped[AnswerKind] = mapped_column(enum_column(AnswerKind, 16))
    at: Mapped[datetime]


class SendSlot(Base):
    """A bot account's send log in PostgreSQL (scheduler.limits): key "" holds the account's
    latest slots, "c:<chat>" a chat's and "g:<group>" a group's, as seconds since the epoch on
    the database server's clock, oldest first. Booked by ``canbo_book_sends`` (migration
    0010). (SQLite keeps the log in memory; the table exists there unused.)"""

    __tablename__ = "send_budget"

    account: Mapped[str] = mapped_column(String(80), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    times: Mapped[list[float]] = mapped_column(SLOT_TIMES)
    paused_until: Mapped[float] = mapped_column(Float, default=0.0)
