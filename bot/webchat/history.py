"""The web chat's recent conversation, kept server-side so a reload shows it again: the last
``KEEP`` turns of a linked chat. Unlinking or signing out forgets them, so the next person at a
shared computer sees nothing of the last one's record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.linking import looks_like_code, normalise_code
from storage.models import WebTurn

KEEP = 50  # turns a reload shows
QUESTION_SHOWN = 300  # characters of what was sent; a long paste is not kept whole
CODE_SHOWN = "••••-••••"


async def remember(
    session: AsyncSession,
    chat_account_id: int,
    question: str,
    replies: list[dict[str, Any]],
    now: datetime,
) -> None:
    """Keep one turn, and only the last ``KEEP`` of the chat's. A link code is not kept."""
    if normalise_code(question) is not None or looks_like_code(question):
        question = CODE_SHOWN
    if len(question) > QUESTION_SHOWN:
        question = question[: QUESTION_SHOWN - 1] + "…"
    session.add(
        WebTurn(chat_account_id=chat_account_id, at=now, question=question, replies=replies)
    )
    await session.flush()
    oldest_kept = (
        select(WebTurn.id)
        .where(WebTurn.chat_account_id == chat_account_id)
        .order_by(WebTurn.id.desc())
        .offset(KEEP - 1)
        .limit(1)
        .scalar_subquery()
    )
    await session.execute(
        delete(WebTurn).where(WebTurn.chat_account_id == chat_account_id, WebTurn.id < oldest_kept)
    )


async def recent(session: AsyncSession, chat_account_id: int) -> list[dict[str, Any]]:
    """The chat's kept turns, oldest first, as the page draws them."""
    turns = await session.scalars(
        select(WebTurn)
        .where(WebTurn.chat_account_id == chat_account_id)
        .order_by(WebTurn.id.desc())
        .limit(KEEP)
    )
    return [{"question": t.question, "replies": t.replies} for t in reversed(list(turns))]


async def forget(session: AsyncSession, chat_account_id: int) -> None:
    await session.execute(delete(WebTurn).where(WebTurn.chat_account_id == chat_account_id))
