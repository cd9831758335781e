"""Button data and typed numbers, on every channel: whatever comes back (a stale button, data
no button carried, "²", twenty digits, a number of no option), the conversation never raises
and always answers."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.messages import CAPABILITIES
from storage import callback_data
from storage.callback_data import (
    LIMIT,
    BroadcastStep,
    ButtonData,
    QualificationStep,
    Register,
    decode,
    encode,
    parse_number,
)
from storage.models import AnswerKind, Channel
from tests.handlers.conftest import Chat, new_code

CHANNELS = list(CAPABILITIES)  # the channels a conversation runs on
KINDS = ["reg", "regok", "set", "bc", "bcr", "bq", "ru", "ack", "rem", "ask", "cite", "zz", ""]
FIELDS = st.one_of(
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=25),
    st.sampled_from(
        ["yes", "no", "show", "xlsx", "cancel", "lang", "en", "t", "u", "done", "status", ""]
    ),
    st.text(max_size=12),
)
STRUCTURED = st.builds(
    lambda version, kind, fields: ":".join([*version, kind, *fields]),
    st.sampled_from([[], ["1"], ["2"], ["3"], ["²"]]),
    st.sampled_from(KINDS),
    st.lists(FIELDS, max_size=5),
)
DATA = st.one_of(STRUCTURED, st.text(max_size=70))
NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=10**21).map(str),
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=22),
    st.sampled_from(["²", "٣", "１", "0", "00", "9" * 20, " 2 ", "+1", "-1", "1.", "1e3"]),
)


@pytest.fixture
async def chats(world, conversation, engine) -> dict[tuple[Channel, bool], Chat]:
    """A linked chat on every channel, for the official and (True) for the coordinator, each
    shown the courses' options first."""
    chats = {}
    for channel in CHANNELS:
        for coordinator, who in ((False, world.official), (True, world.coordinator)):
            chat = Chat(conversation, chat_id=f"{channel.value}-{who.code}", channel=channel)
            await chat.send(f"/start {await new_code(engine, who)}")
            await chat.send("/khoahoc")
            chats[channel, coordinator] = chat
    return chats


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=DATA,
    channel=st.sampled_from(CHANNELS),
    coordinator=st.booleans(),
)
async def test_any_button_data_gets_a_reply(chats, data, channel, coordinator):
    replies = await chats[channel, coordinator].press(data)
    assert replies and all(reply.text.strip() for reply in replies)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    typed=NUMBERS,
    channel=st.sampled_from([Channel.ZALO, Channel.TERMINAL]),
    options_first=st.booleans(),
)
async def test_any_typed_number_gets_a_reply(chats, typed, channel, options_first):
    chat = chats[channel, False]
    if options_first:
        await chat.send("/khoahoc")
    replies = await chat.send(typed)
    assert replies and all(reply.text.strip() for reply in replies)


@given(
    button=st.one_of(
        st.builds(Register, st.integers(1, 2**63 - 1)),
        st.builds(
            BroadcastStep,
            st.integers(1, 2**63 - 1),
            st.sampled_from(["menu", "t", "ack"]),
            st.sampled_from(["", "u", "t", "yes"]),
            st.from_regex(r"[a-z0-9_]{0,22}", fullmatch=True),
        ),
        st.builds(
            QualificationStep,
            st.integers(1, 2**63 - 1),
            st.sampled_from(["show", "xlsx"]),
            st.dates(date(1900, 1, 1), date(9999, 12, 31)),
            st.none() | st.dates(date(1900, 1, 1), date(9999, 12, 31)),
        ),
        st.builds(
            callback_data.AnswerReminder, st.integers(1, 2**63 - 1), st.sampled_from(AnswerKind)
        ),
    )
)
def test_every_button_round_trips_within_64_bytes(button: ButtonData):
    data = encode(button)
    assert len(data.encode()) <= LIMIT
    assert decode(data) == button


@given(st.text(max_size=80))
def test_decoding_never_raises(data):
    decode(data)


def test_only_ascii_digits_within_range_are_numbers():
    assert parse_number("2", highest=3) == 2
    assert [parse_number(t, highest=3) for t in ("²", "٢", "２", "0", "4", "-1", "", "1 2")] == [
        None
    ] * 8
    assert parse_number("9" * 20) is None
    assert parse_number(str(2**63 - 1)) == 2**63 - 1
