"""What the reach tests link in the demo province: chats, phone numbers and ZNS messages of
the coordinator's commune, for the reach page to count."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from storage.db import create_engine, session_factory
from storage.models import Channel, ChatAccount, Official, OutboxMessage, Unit, ZnsSend
from storage.types import utcnow
from tests.console.conftest import AWAY, HOME, Served

MESSENGERS = frozenset({Channel.TELEGRAM, Channel.ZALO})  # set up, with ZNS, where they count


async def link_some(served: Served) -> dict[str, object]:
    """In the coordinator's commune: A on Telegram, B's Zalo chat refusing the bot and no phone,
    C in the web chat only, D sent a paid ZNS message this month (and a free test one), E's
    number refused by ZNS, F with no chat and no phone."""
    engine = create_engine(served.database_url)
    now = utcnow()
    month = now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m")
    async with session_factory(engine)() as session:
        home = await session.scalar(select(Unit).where(Unit.code == HOME))
        assert home is not None
        people = list(
            await session.scalars(
                select(Official).where(Official.unit_id == home.id).order_by(Official.code)
            )
        )
        a, b, c, d, e, f = people[:6]
        b.phone, d.phone, e.phone, f.phone = None, "+84912000004", "+84912000005", None
        session.add_all(
            [
                ChatAccount(channel=Channel.TELEGRAM, external_id="9101", official_id=a.id),
                ChatAccount(
                    channel=Channel.ZALO,
                    external_id="zu-9102",
                    official_id=b.id,
                    unreachable_since=now - timedelta(days=1),
                ),
                ChatAccount(channel=Channel.WEB, external_id="web-9103", official_id=c.id),
            ]
        )
        for number, (who, outcome, development) in enumerate(
            [(d, "sent", False), (d, "sent", True), (e, "invalid_phone", False)]
        ):
            row = OutboxMessage(
                dedupe_key=f"reach-page-{number}", official_id=who.id, kind="broadcast"
            )
            row.not_before = now
            session.add(row)
            await session.flush()
            session.add(
                ZnsSend(
                    outbox_id=row.id,
                    official_id=who.id,
                    unit_id=home.id,
                    kind="broadcast",
                    template_id="312347",
                    tracking_id=f"reach-page-{row.id}",
                    month=month,
                    outcome=outcome,
                    development=development,
                    at=now,
                )
            )
        await session.commit()
        found: dict[str, object] = {
            "home": home.id,
            "parent": home.parent_id,
            "codes": [p.code for p in people],
        }
        away = await session.scalar(select(Unit.id).where(Unit.code == AWAY))
        found["away"] = away
    await engine.dispose()
    return found
