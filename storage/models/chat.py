"""Messenger accounts, one-time link codes and the dialogue state kept per chat."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, Timestamped
from storage.models.officials import Official
from storage.types import enum_column


class Channel(enum.Enum):
    TELEGRAM = "telegram"
    ZALO = "zalo"
    WEB = "web"
    TERMINAL = "terminal"
    ZNS = "zns"  # Zalo Notification Service: no chat, the roster's phone (storage.reach)


class ChatAccount(Timestamped, Base):
    """One chat on one messenger; linked to an official once they prove who they are.

    ``dialog`` and ``dialog_data`` hold a multi-step dialogue, so any worker can take the next
    message and a restart loses nothing.
    """

    __tablename__ = "chat_accounts"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 16))
    external_id: Mapped[str] = mapped_column(String(64))
    official_id: Mapped[int | None] = mapped_column(
        ForeignKey("officials.id", ondelete="SET NULL"), index=True
    )
    language: Mapped[str] = mapped_column(String(8), default="vi")
    quiet_hours: Mapped[str | None] = mapped_column(String(16))
    muted_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred: Mapped[bool] = mapped_column(default=False)
    is_group: Mapped[bool] = mapped_column(default=False)
    unreachable_since: Mapped[datetime | None]
    # the first of the sends that failed in a row (timeouts, 5xx); a delivery clears it. A chat
    # failing this long (CANBO_CHAT_FAILING_DAYS) yields to the official's other chats.
    failing_since: Mapped[datetime | None]
    dialog: Mapped[str | None] = mapped_column(String(40))
    dialog_data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    official: Mapped[Official | None] = relationship()


class LinkCode(Base):
    """A one-time code that links a chat to an official. Only its SHA-256 is stored."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("chat_accounts.id"))


class LinkFailure(Base):
    """A wrong code from a chat and a client (the web visitor's address, or the messenger
    account that sent it); too many from either within an hour and they are refused until the
    hour has passed (handlers/linking.py). Kept in the database, so every worker counts the
    same and a restart forgets nothing."""

    __tablename__ = "link_failures"
    __table_args__ = (Index("ix_link_failures_client_at", "client", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_account_id: Mapped[int] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), index=True
    )
    client: Mapped[str] = mapped_column(String(80), default="")
    at: Mapped[datetime] = mapped_column(index=True)


class InboxUpdate(Base):
    """An update as the messenger sent it, stored before the messenger is told it arrived.

    ``answered_at`` is set in the transaction that records the answer (storage.inbox), so an
    update is answered once, and one whose answer never committed is answered again.
    ``leased_until``: the worker handling it has it until then; after, any worker may take it.
    ``attempts`` counts those takings, so an update that fails every time is left alone.
    """

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id"),
        Index(
            "ix_inbox_waiting",
            "leased_until",
            postgresql_where=text("answered_at IS NULL"),
            sqlite_where=text("answered_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, 16))
    update_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(index=True)
    answered_at: Mapped[datetime | None]
    leased_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
