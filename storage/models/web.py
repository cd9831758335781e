"""What the service's own web pages need: files served by expiring link, server keys, and the
web chat's recent conversation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class MediaFile(Base):
    """A picture or document a reply links to (Zalo fetches pictures by URL; the web chat shows
    them). Kept in the database so every worker behind the load balancer can serve it; only the
    SHA-256 of the link's token is stored, and the row is dropped once it expires."""

    __tablename__ = "media_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(200))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class ServerKey(Base):
    """A random key generated on first use, when the operator configured none (e.g. the web
    chat's cookie signing key): the same for every worker, and kept across restarts."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime]


class WebTurn(Base):
    """One exchange in a web chat: what the visitor sent, as the page showed it, and the
    replies as the page draws them. Kept so a reload shows the conversation again; only the
    last turns of a linked chat are kept, and unlinking or signing out forgets them
    (bot/webchat/history.py)."""

    __tablename__ = "web_turns"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_account_id: Mapped[int] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    question: Mapped[str] = mapped_column(Text)
    replies: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
