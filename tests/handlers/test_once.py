"""A messenger update is answered once (Conversation.handle_once): a repeat gets no answer, and
one whose answer failed is answered when the messenger delivers it again, because its claim
is undone with the failed answer."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from handlers import router
from handlers.messages import Incoming
from storage.db import session_factory
from storage.models import Channel, InboxUpdate
from tests.handlers.conftest import NOW, linked_chat


def status(chat_id: str) -> Incoming:
    return Incoming(
        channel=Channel.TELEGRAM,
        chat_id=chat_id,
        sender_id=chat_id,
        text="/status",
        command="status",
    )


async def claims(engine) -> int:
    async with session_factory(engine)() as session:
        answered = select(func.count()).where(InboxUpdate.answered_at.is_not(None))
        return int(await session.scalar(answered) or 0)


async def test_a_repeated_update_gets_no_second_answer(world, conversation, engine):
    await linked_chat(conversation, engine, world.official)

    first = await conversation.handle_once(status("1001"), 501, now=NOW)
    repeat = await conversation.handle_once(status("1001"), 501, now=NOW)

    assert first is not None and "Nguyễn" in first[0].text
    assert repeat is None
    assert await claims(engine) == 1


async def test_an_update_whose_answer_failed_is_answered_when_it_comes_again(
    world, conversation, engine, monkeypatch
):
    await linked_chat(conversation, engine, world.official)
    answer = router.route

    async def broken(context):
        raise RuntimeError("the database went away mid-answer")

    monkeypatch.setattr(router, "route", broken)
    with pytest.raises(RuntimeError):
        await conversation.handle_once(status("1001"), 502, now=NOW)
    assert await claims(engine) == 0  # undone with the answer

    monkeypatch.setattr(router, "route", answer)
    again = await conversation.handle_once(status("1001"), 502, now=NOW)

    assert again is not None and "Nguyễn" in again[0].text
    assert await claims(engine) == 1
