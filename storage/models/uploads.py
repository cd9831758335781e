"""Rosters a coordinator sent to the bot or uploaded in the console, kept between the check and
the confirmation to import."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class RosterUpload(Base):
    """A file waiting for its sender to confirm the import. Kept in the database, so any
    worker can take the button press and a restart loses nothing; dropped once imported,
    cancelled or a day old."""

    __tablename__ = "roster_uploads"

    id: Mapped[int] = mapped_column(primary_key=True)
    # the chat it was sent from; None for an upload in the browser console
    chat_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_accounts.id", ondelete="CASCADE"), index=True
    )
    official_id: Mapped[int] = mapped_column(ForeignKey("officials.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(index=True)
    # the console's: the last check or import of the file (ImportReport.to_json), shown again
    # and exported; the content is emptied once the file is imported or cannot be
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
