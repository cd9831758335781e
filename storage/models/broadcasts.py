"""Announcements a coordinator sends to a chosen audience, and who acknowledged them.

A broadcast is composed as a DRAFT (the chat dialogue keeps its id), then queued: one outbox
row per recipient, released at ``scheduled_at``. ``BroadcastRecipient`` ties each recipient to
their outbox row, so the delivery report reads the dispatcher's outcome, and holds the one
acknowledgement an official can give.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, Timestamped
from storage.types import enum_column


class BroadcastStatus(enum.Enum):
    DRAFT = "draft"  # being composed; nothing queued
    SCHEDULED = "scheduled"  # queued, its time not come yet: it can still be cancelled
    SENDING = "sending"  # its time has come; the dispatcher is delivering it
    DONE = "done"  # nothing of it is left in the queue
    CANCELLED = "cancelled"  # cancelled before it started, with its queued rows


class Broadcast(Timestamped, Base):
    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(120))  # as in the audit log
    # unit paths the author's scope covered when it was composed; [] for everything
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # storage.audience
    text: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(String(300), default="")
    ack: Mapped[bool] = mapped_column(default=False)  # carries the "Received" button
    scheduled_at: Mapped[datetime | None]  # None: as soon as possible
    queued_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    status: Mapped[BroadcastStatus] = mapped_column(
        enum_column(BroadcastStatus, 16), default=BroadcastStatus.DRAFT, index=True
    )
    recipients: Mapped[int] = mapped_column(default=0)
    unreachable: Mapped[int] = mapped_column(default=0)  # of them, no chat could receive it


class BroadcastRecipient(Base):
    __tablename__ = "broadcast_recipients"

    broadcast_id: Mapped[int] = mapped_column(
        ForeignKey("broadcasts.id", ondelete="CASCADE"), primary_key=True
    )
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    outbox_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    acknowledged_at: Mapped[datetime | None]
