"""The browser console's sign-in links and sessions (bot/console/). Only SHA-256 hashes of
their tokens are kept: whoever reads the database cannot sign in with what they find."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base
from storage.models.officials import Official


class ConsoleSignIn(Base):
    """A one-time sign-in link, given to a coordinator in their chat or by an operator."""

    __tablename__ = "console_sign_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None]


class ConsoleSession(Base):
    """One signed-in browser. ``role`` and ``scope`` are what the official held at sign-in
    (shown to admins); every request checks the roles held now, so a role taken away ends
    what it allowed at once."""

    __tablename__ = "console_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    official_id: Mapped[int] = mapped_column(
        ForeignKey("officials.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    scope: Mapped[list[Any]] = mapped_column(JSON)  # unit paths; [] for everything
    language: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime]
    seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(index=True)
    ended_by: Mapped[str | None] = mapped_column(String(120))

    official: Mapped[Official] = relationship()
