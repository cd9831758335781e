"""Evidence an official sends in the chat (a photo or PDF of a diploma or certificate), waiting
for a coordinator of their unit to confirm what it proves.

The file is personal data: it is kept in the database (never under a served folder), shown only
to a coordinator whose scope covers the official (storage.evidence), and removed per the
retention policy (storage.retention): once decided, after the evidence period.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base
from storage.models.officials import Official
from storage.types import enum_column


class EvidenceKind(enum.Enum):
    """What a file proves, as the official says it, and the fact a confirmation sets."""

    DEGREE = "degree"  # a diploma: professional level (and field)
    POLITICAL_THEORY = "political_theory"  # an LLCT certificate: the LLCT level
    STATE_MANAGEMENT = "state_management"  # a QLNN certificate: the state management level
    REFRESHER = "refresher"  # a refresher completed: a completed refresher course


class EvidenceStatus(enum.Enum):
    DRAFT = "draft"  # received; the official has not yet said what it proves
    PENDING = "pending"  # in the coordinators' queue
    CONFIRMED = "confirmed"  # the record was updated
    DECLINED = "declined"  # with a reason, told to the official


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    # the chat it came from: buttons about it are honoured only there
    chat_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="SET NULL")
    )
    kind: Mapped[EvidenceKind | None] = mapped_column(enum_column(EvidenceKind))
    status: Mapped[EvidenceStatus] = mapped_column(enum_column(EvidenceStatus, 16), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once purged
    received_at: Mapped[datetime] = mapped_column(index=True)
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_by: Mapped[str | None] = mapped_column(String(120))  # as in the audit log
    # what the confirmation set (the fact and its value), or the reason it was declined
    decision: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    official: Mapped[Official] = relationship()
