"""An announcement due at the same moment as other messages for the same person still goes out
on its own, exactly as its author previewed it, with its "Received" button."""

from __future__ import annotations

from datetime import UTC, datetime

from rules.profiles import load_profile
from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.dispatcher import Dispatcher, Outlet
from scheduler.limits import Limits, send_budget
from storage import broadcasts
from storage.access import Scope
from storage.audience import Audience
from storage.models import Channel
from storage.outbox import Notice, enqueue
from tests.coordinators.conftest import CHATS, ON
from tests.scheduler.helpers import RecordingSender, VirtualClock

NOW = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # 10:00 on a Monday in Hà Nội


async def test_an_announcement_goes_alone_even_when_other_messages_are_due(session, engine, world):
    draft = broadcasts.new_draft(session, "test", world.people["CA"], Scope.all())
    draft.audience = Audience(units=("A",), titles=("committee_chair",)).to_json()
    broadcasts.set_text(draft, "Họp giao ban lúc 14:00.")
    draft.ack = True
    await broadcasts.queue(session, draft, load_profile("nd33-2023"), NOW, ON)
    declined = {"kind": kinds.REFRESHER, "payload": {"year": 2026}}
    await enqueue(
        session,
        [
            Notice(
                kind=kinds.ESCALATE_DECLINED,
                payload={"official": name, "unit": "Xã An Bình", "reminder": declined},
                not_before=NOW,
                official_id=world.people["A1"].id,
                subject=name,
            )
            for name in ("Lê Văn Cường", "Phạm Thị Dung")
        ],
    )
    await session.commit()

    clock = VirtualClock(NOW)
    sender = RecordingSender(clock)
    outlets = {Channel.TELEGRAM: Outlet(sender, send_budget(None, "test", Limits(), clock))}
    report = await Dispatcher(engine, outlets, ReminderConfig(), clock=clock).drain()

    assert report is not None and report.sent == 3
    messages = [message for _at, chat, message in sender.sent if chat == str(CHATS["A1"])]
    text, buttons = broadcasts.render(broadcasts.payload(draft), "vi")
    assert [(m.text, m.buttons) for m in messages if m.text == text] == [(text, buttons)]
    (others,) = [m for m in messages if m.text != text]
    assert others.text.startswith("Anh/chị có 2 lời nhắc:\n\n1. Lê Văn Cường")
