"""Who can be reached is counted the same way by the announcement's audience, the weekly digest
and the delivery report (storage.reach): a web-chat-only official is reached on their next visit,
a terminal is no way to reach anyone, a blocked bot is "blocked", no chat is "not linked"."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.webchat import history
from rules.profiles import load_profile
from scheduler import kinds
from scheduler.config import ReminderConfig
from scheduler.planner import plan
from storage import broadcasts
from storage.access import Scope
from storage.audience import Audience, Headcount, resolve
from storage.models import Channel, ChatAccount, OutboxMessage
from storage.reports.delivery import Outcome, delivery_report
from tests.coordinators.conftest import ON, dispatch
from tests.factories import make_official

MONDAY = datetime(2026, 11, 2, 3, 0, tzinfo=UTC)  # 10:00 on a Monday in Hà Nội
PROFILE = load_profile("nd33-2023")


def _chat(channel: Channel, external_id: str, official_id: int) -> ChatAccount:
    return ChatAccount(
        channel=channel,
        external_id=external_id,
        official_id=official_id,
        muted_kinds=[],
        dialog_data={},
    )


async def test_audience_digest_and_report_agree(session, engine, world, fake):
    people = world.people
    terminal_only = await make_official(session, "A7", unit=world.a, full_name="Hồ Dòng Lệnh")
    no_chat = await make_official(session, "A8", unit=world.a, full_name="Lý Chưa Có")
    session.add_all(
        [
            _chat(Channel.WEB, "web-session-a3", people["A3"].id),  # A3's only chat
            _chat(Channel.TERMINAL, "A7", terminal_only.id),
        ]
    )
    await session.commit()
    codes = {official.id: code for code, official in people.items()}
    codes |= {terminal_only.id: "A7", no_chat.id: "A8"}

    # the announcement's audience, as the coordinator sees it before sending
    members = await resolve(session, Audience(units=("A",)), Scope.all(), PROFILE, ON)
    assert Headcount.of(members) == Headcount(total=8, not_linked=2, blocked=1, on_visit=1)
    unreached = {codes[m.official_id]: m.reach.value for m in members if not m.reach.reached}

    # the coordinator's weekly digest
    await plan(session, MONDAY, ReminderConfig())
    digest = await session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.kind == kinds.DIGEST, OutboxMessage.official_id == people["CA"].id
        )
    )
    assert digest is not None
    listed = {
        entry["official"]: entry["reason"] for entry in digest.payload["unreachable"]["items"]
    }
    names = {
        official.full_name: codes[official.id]
        for official in [*people.values(), terminal_only, no_chat]
    }
    assert {names[name]: reason for name, reason in listed.items()} == unreached
    assert unreached == {"A4": "blocked", "A7": "not_linked", "A8": "not_linked"}

    # the announcement, delivered, and its report
    draft = broadcasts.new_draft(session, "test", people["CA"], Scope.all())
    draft.audience = Audience(units=("A",)).to_json()
    broadcasts.set_text(draft, "Họp giao ban lúc 14:00.")
    await broadcasts.queue(session, draft, PROFILE, MONDAY, ON)
    await session.commit()
    await dispatch(engine, fake, MONDAY)
    report = await delivery_report(session, draft)
    outcomes = {r.code: r.outcome for r in report.recipients}
    assert {code: o for code, o in outcomes.items() if o is not Outcome.SENT} == {
        "A4": Outcome.BLOCKED,
        "A7": Outcome.NOT_LINKED,
        "A8": Outcome.NOT_LINKED,
    }
    assert report.count(Outcome.SENT) == Headcount.of(members).reachable == 5

    # A3 finds it in the web chat on their next visit
    (chat_id,) = await session.scalars(
        select(ChatAccount.id).where(ChatAccount.external_id == "web-session-a3")
    )
    turns = await history.recent(session, chat_id)
    text, _buttons = broadcasts.render(broadcasts.payload(draft), "vi")
    assert text in [t["replies"][0]["text"] for t in turns]
