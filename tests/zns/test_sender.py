"""ZNS sends through the fake: a template message to the roster's phone, each documented error
code mapped to its outcome, an expired access token refreshed on the way, development mode."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scheduler import kinds
from storage.models import OutboxMessage, ZnsOutcome, ZnsSend
from storage.phones import zns_number
from tests.factories import make_official
from tests.zns.conftest import zns_sender

PHONE = "0912345678"
ZNS_PHONE = "84912345678"


async def _row(session, official, cycle="2027") -> OutboxMessage:
    kind = kinds.STANDARDS
    row = OutboxMessage(
        dedupe_key=f"k-{official.id}-{kind}-{cycle}",
        official_id=official.id,
        kind=kind,
        payload={"requirement": "political_theory", "deadline": "2027-03-31", "course": None},
        not_before=datetime.now(UTC),
    )
    session.add(row)
    await session.flush()
    return row


async def _send(zns_api, engine, session, phone=PHONE, code="CB001", **options) -> ZnsSend:
    official = await make_official(session, code, phone=phone, full_name="Trần Thị Bình")
    row = await _row(session, official)
    await session.commit()
    sender = zns_sender(zns_api, engine, **options)
    await sender.client.tokens.seed(zns_api.issue_refresh_token())
    try:
        record = await sender.send(row, official)
    finally:
        await sender.close()
    return record


async def test_a_reminder_goes_to_the_phone_as_its_kinds_template(zns_api, engine, session):
    record = await _send(zns_api, engine, session)

    assert record.outcome == ZnsOutcome.SENT
    [message] = zns_api.sent
    assert message.phone == ZNS_PHONE
    assert message.template_id == "312345"
    assert message.tracking_id == record.tracking_id
    assert message.template_data["ho_ten"] == "Trần Thị Bình"
    assert "lý luận chính trị" in message.template_data["noi_dung"]
    assert "31/03/2027" in message.template_data["noi_dung"]
    assert record.development is False


async def test_an_access_token_past_its_25_hours_is_refreshed_and_the_send_goes(
    zns_api, engine, session
):
    official = await make_official(session, phone=PHONE)
    first, second = await _row(session, official), await _row(session, official, cycle="2028")
    await session.commit()
    sender = zns_sender(zns_api, engine)
    await sender.client.tokens.seed(zns_api.issue_refresh_token())
    try:
        before = await sender.send(first, official)
        zns_api.expire_access_tokens()
        after = await sender.send(second, official)
    finally:
        await sender.close()

    assert (before.outcome, after.outcome) == (ZnsOutcome.SENT, ZnsOutcome.SENT)
    assert len(zns_api.refreshes) == 2
    assert len(zns_api.sent) == 2


@pytest.mark.parametrize(
    ("arrange", "outcome", "code"),
    [
        (lambda fake: fake.no_zalo.add(ZNS_PHONE), ZnsOutcome.INVALID_PHONE, -118),
        (lambda fake: fake.inactive.add(ZNS_PHONE), ZnsOutcome.INACTIVE_USER, -114),
        (lambda fake: fake.templates.clear(), ZnsOutcome.INVALID_TEMPLATE, -109),
        (lambda fake: setattr(fake, "daily_quota", 0), ZnsOutcome.QUOTA, -144),
        (
            lambda fake: fake.templates.update({"312345": {"ho_ten", "ma_so"}}),
            ZnsOutcome.INVALID_TEMPLATE,
            -112,
        ),
    ],
    ids=["no Zalo account", "inactive user", "unknown template", "quota", "template data"],
)
async def test_documented_errors_map_to_outcomes(zns_api, engine, session, arrange, outcome, code):
    arrange(zns_api)

    record = await _send(zns_api, engine, session)

    assert (record.outcome, record.error_code) == (outcome, code)
    assert zns_api.sent == []


async def test_a_number_zns_cannot_take_is_not_sent(zns_api, engine, session):
    record = await _send(zns_api, engine, session, phone="024 3825 1234")  # a landline

    assert record.outcome == ZnsOutcome.INVALID_PHONE
    assert zns_api.sent == []


async def test_development_mode_reaches_the_oa_administrators_only_and_is_free(
    zns_api, engine, session
):
    zns_api.admins.add(ZNS_PHONE)

    admin = await _send(zns_api, engine, session, development=True)
    other = await _send(
        zns_api, engine, session, phone="0987654321", code="CB002", development=True
    )

    assert (admin.outcome, other.outcome) == (ZnsOutcome.SENT, ZnsOutcome.INACTIVE_USER)
    assert admin.development is True
    assert zns_api.paid() == []
    assert [m.development for m in zns_api.sent] == [True]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0912345678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("84912345678", "84912345678"),
        ("091.234.5678", "84912345678"),
        ("+842438251234", None),  # a landline
        ("12345", None),
        (None, None),
    ],
)
def test_phone_numbers_in_the_form_zns_takes(given, expected):
    assert zns_number(given) == expected
