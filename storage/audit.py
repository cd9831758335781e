"""Writing the audit log: who imported, broadcast, reported or changed roles, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry
from storage.types import utcnow


def record(
    session: AsyncSession, actor: str, action: str, target: str = "", **detail: Any
) -> AuditEntry:
    """Add an entry to the session; it is written with the caller's transaction, so an action
    that is rolled back leaves no trace claiming it happened."""
    entry = AuditEntry(at=utcnow(), actor=actor, action=action, target=target, detail=detail)
    session.add(entry)
    return entry
