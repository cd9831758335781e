"""Malformed bodies posted to the running service's Telegram and Zalo webhooks.

Each body carries the right secret. One not sent as application/json is answered 415 unread.
Otherwise it reaches parsing: whatever it is (not JSON, JSON that is not an update, an update
with a field of the wrong type, missing or out of range), the webhook answers 400 at once,
before anything is queued, so nothing is written and the bot keeps answering. Updates the bot
simply does not take (no message, a message with no sender, a command for another bot, an event
from a bot) are valid: 200, and nothing written either.

Hypothesis draws the bodies in a worker thread; each is posted, and the database counted, on
the test's own event loop, where the service runs.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import App
from bot.channels import telegram, zalo, zalo_events
from storage.models import Base
from tests.fakes.service import channel_settings, running, webhook_mode
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.zalo_api import FakeZalo
from tests.telegram.records import make_record, new_code

EXAMPLES = 150
STATUS_LINE = "❌ Lý luận chính trị: cần trung cấp trở lên, hiện có sơ cấp"
MALFORMED = 400  # refused before anything is queued: the body is not an update
IGNORED = 200  # a well-formed update the bot does not take: accepted, then dropped
NOT_SENT_AS_JSON = 415  # refused before the body is read
CONTENT_TYPES = (
    "application/json",
    None,
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/octet-stream",
    "application/json; charset=latin-1",
    "image/png",
)

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Post:
    body: bytes
    expected: int
    content_type: str | None = "application/json"


# --- junk --------------------------------------------------------------------------------------

LONE_SURROGATES = st.tuples(
    st.text(max_size=5), st.characters(categories=["Cs"]), st.text(max_size=5)
).map("".join)
HUGE_STRINGS = st.builds(lambda char, n: char * n, st.characters(), st.integers(10_000, 60_000))
HUGE_INTS = st.integers(2**63, 10**40) | st.integers(-(10**40), -(2**63) - 1)
SCALARS = (
    st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=20)
    | LONE_SURROGATES
)
JSON = st.recursive(
    st.none() | SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
LISTS = st.lists(JSON, min_size=1, max_size=3)
OBJECTS = st.dictionaries(st.text(max_size=8), JSON, min_size=1, max_size=4)
NOT_JSON = st.binary(min_size=1, max_size=200).filter(
    lambda body: not _is_json(body)
) | st.sampled_from([b"", b"{", b'{"update_id": 1,}', b"\xff\xfe{\x00}", b"{'single': 1}"])
NOT_OBJECTS = JSON.filter(lambda value: not isinstance(value, dict)) | HUGE_STRINGS

# wrong values for a field of each type
NOT_INT = st.one_of(
    st.floats(), st.text(max_size=10), st.booleans(), LISTS, OBJECTS, HUGE_INTS, HUGE_STRINGS
)
NOT_STR = st.integers(-(2**70), 2**70) | st.floats() | st.booleans() | LISTS | OBJECTS
NOT_TEXT = NOT_STR | LONE_SURROGATES  # a string that is not valid Unicode is no string either
NOT_BOOL = st.integers() | st.text(max_size=10) | LISTS | OBJECTS
NOT_OBJECT = SCALARS | LISTS | HUGE_STRINGS
NOT_ARRAY = SCALARS | OBJECTS | st.lists(st.none() | SCALARS, min_size=1)
# Zalo ids are non-empty printable strings (integers are taken too); chat ids fit 64 characters
NOT_ID = st.one_of(
    st.floats(),
    st.booleans(),
    LISTS,
    OBJECTS,
    st.just(""),
    st.tuples(st.text(max_size=5), st.sampled_from("\x00\n\x1b\u2028"), st.text(max_size=5)).map(
        "".join
    ),
    LONE_SURROGATES,
)
NOT_CHAT_ID = NOT_ID | st.text(min_size=65, max_size=300) | st.integers(10**64, 10**100)


def _is_json(body: bytes) -> bool:
    try:
        json.loads(body)
    except (ValueError, RecursionError):
        return False
    return True


def encoded(value: Any) -> bytes:
    return json.dumps(value).encode()


@dataclass(frozen=True)
class Field:
    """A field the webhook must check: where it is, values it must refuse there, and whether an
    update without it is malformed (rather than one the bot does not take)."""

    path: FieldPath
    wrong: st.SearchStrategy[Any]
    required: bool = True


def under(prefix: FieldPath, fields: Sequence[Field]) -> list[Field]:
    return [Field((*prefix, *f.path), f.wrong, f.required) for f in fields]


def put(update: Any, path: FieldPath, value: Any) -> Any:
    """``update`` with the field at ``path`` set to ``value``, or taken out for ``...``."""
    *parents, last = path
    holder = update
    for key in parents:
        holder = holder[key]
    if value is ...:
        del holder[last]
    else:
        holder[last] = value
    return update


@st.composite
def mutated(draw: st.DrawFn, template: st.SearchStrategy[Any], fields: Sequence[Field]) -> bytes:
    """``template`` with one of ``fields`` given a wrong value, or taken out if required."""
    field = draw(st.sampled_from(fields))
    wrong = (field.wrong | st.none() | st.just(...)) if field.required else field.wrong
    return encoded(put(draw(template), field.path, draw(wrong)))


def sent_as(body: bytes, status: int, content_type: str | None) -> Post:
    """The post of ``body``, answered ``status`` when it says it is JSON, else 415."""
    json_type = (content_type or "").split(";")[0] == "application/json"
    return Post(body, status if json_type else NOT_SENT_AS_JSON, content_type)


def posts(
    malformed: Sequence[st.SearchStrategy[bytes]], ignored: st.SearchStrategy[bytes]
) -> st.SearchStrategy[Post]:
    """Each kind of body equally likely, under any content type."""
    kinds = [*((bodies, MALFORMED) for bodies in malformed), (ignored, IGNORED)]
    return st.one_of(
        *(
            st.builds(sent_as, bodies, st.just(status), st.sampled_from(CONTENT_TYPES))
            for bodies, status in kinds
        )
    )


# --- Telegram ----------------------------------------------------------------------------------

IDS = st.integers(1, 2**40)
TEXTS = st.sampled_from(["/trangthai", "/start K7QX-9PMA", "/caidat@canbo_test_bot en"])


def telegram_message(update_id: int, user_id: int, chat_id: int, **content: Any) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 7,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
            "from": {"id": user_id, "is_bot": False, "first_name": "An", "language_code": "vi"},
            **content,
        },
    }


def telegram_text(update_id: int, user_id: int, text: str) -> dict[str, Any]:
    entity = {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
    return telegram_message(update_id, user_id, user_id, text=text, entities=[entity])


def telegram_contact(update_id: int, user_id: int) -> dict[str, Any]:
    contact = {"phone_number": "+84912345678", "first_name": "An", "user_id": user_id}
    return telegram_message(update_id, user_id, user_id, contact=contact)


def telegram_callback(update_id: int, user_id: int) -> dict[str, Any]:
    message = telegram_message(update_id, user_id, -user_id)["message"]
    query = {
        "id": "q1",
        "from": message["from"],
        "chat_instance": "c",
        "data": "x",
        "message": message,
    }
    return {"update_id": update_id, "callback_query": query}


USER = [
    Field(("id",), NOT_INT),
    Field(("is_bot",), NOT_BOOL),
    Field(("first_name",), NOT_TEXT),
    Field(("language_code",), NOT_TEXT, required=False),
]
MESSAGE = [
    Field(("message_id",), NOT_INT),
    Field(("date",), NOT_INT),
    Field(("chat",), NOT_OBJECT),
    Field(("chat", "id"), NOT_INT),
    Field(("chat", "type"), NOT_TEXT),
    Field(("from",), NOT_OBJECT, required=False),  # without it, a channel post: not taken
    *under(("from",), USER),
]
TEXT_MESSAGE = [
    *MESSAGE,
    Field(("text",), NOT_TEXT, required=False),
    Field(("entities",), NOT_ARRAY, required=False),
    Field(("entities", 0), NOT_OBJECT, required=False),  # without it, no entities: valid
    Field(("entities", 0, "type"), NOT_TEXT),
    Field(("entities", 0, "offset"), NOT_INT),
    Field(("entities", 0, "length"), NOT_INT),
]
CONTACT_MESSAGE = [
    *MESSAGE,
    Field(("contact",), NOT_OBJECT, required=False),
    Field(("contact", "phone_number"), NOT_TEXT),
    Field(("contact", "first_name"), NOT_TEXT),
    Field(("contact", "user_id"), NOT_INT, required=False),
]
CALLBACK = [
    Field(("id",), NOT_TEXT),
    Field(("from",), NOT_OBJECT),
    *under(("from",), USER),
    Field(("chat_instance",), NOT_TEXT),
    Field(("data",), NOT_TEXT, required=False),
    Field(("message",), NOT_OBJECT, required=False),
    *under(("message",), MESSAGE),
]
WHOLE_MESSAGE = [Field(("message",), NOT_OBJECT, required=False)]  # without: a kind not taken
TELEGRAM_TEXTS = st.builds(telegram_text, IDS, IDS, TEXTS)
# kinds PTB parses that the bot never asked for: junk there must not get past parsing either
OTHER_KINDS = ("edited_message", "channel_post", "inline_query", "poll", "my_chat_member")
TELEGRAM_MALFORMED = (
    NOT_JSON,
    NOT_OBJECTS.map(encoded),
    OBJECTS.filter(lambda o: "update_id" not in o).map(encoded),
    mutated(TELEGRAM_TEXTS, [Field(("update_id",), NOT_INT | st.integers(-(2**70), -1))]),
    mutated(TELEGRAM_TEXTS, [*WHOLE_MESSAGE, *under(("message",), TEXT_MESSAGE)]),
    mutated(
        st.builds(telegram_contact, IDS, IDS),
        [*WHOLE_MESSAGE, *under(("message",), CONTACT_MESSAGE)],
    ),
    mutated(
        st.builds(telegram_callback, IDS, IDS),
        [
            Field(("callback_query",), NOT_OBJECT, required=False),
            *under(("callback_query",), CALLBACK),
        ],
    ),
    st.builds(
        lambda update_id, kind, junk: encoded({"update_id": update_id, kind: junk}),
        IDS,
        st.sampled_from(OTHER_KINDS),
        NOT_OBJECTS.filter(lambda value: value is not None),
    ),
)
TELEGRAM_IGNORED = st.one_of(
    st.builds(  # a kind of update nobody asked for
        lambda update_id, extra: encoded({"update_id": update_id, **extra}),
        IDS,
        st.dictionaries(st.text(max_size=8).map("x-{}".format), JSON, max_size=3),
    ),
    st.builds(  # a channel post: no sender
        lambda update_id, chat_id: encoded(
            put(telegram_message(update_id, 1, chat_id), ("message", "from"), ...)
        ),
        IDS,
        st.integers(-(2**40), -1),
    ),
    st.builds(
        lambda update_id, user_id: encoded(telegram_text(update_id, user_id, "/help@other_bot")),
        IDS,
        IDS,
    ),
)


# --- Zalo --------------------------------------------------------------------------------------


def zalo_event(message_id: str, user_id: str, text: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "event_name": zalo_events.TEXT_EVENT,
        "message": {
            "message_id": message_id,
            "from": {"id": user_id, "display_name": "Người dùng", "is_bot": bot},
            "chat": {"id": user_id, "chat_type": "PRIVATE"},
            "date": int(time.time() * 1000),
            "text": text,
        },
    }


def wrapped(event: Any) -> dict[str, Any]:
    return {"ok": True, "result": event}


ZALO_IDS = st.text("0123456789abcdef", min_size=8, max_size=20)
ZALO_EVENTS = st.builds(zalo_event, ZALO_IDS, ZALO_IDS, TEXTS)
ZALO_EVENT = [
    Field(("event_name",), NOT_STR),
    Field(("message",), NOT_OBJECT, required=False),  # an event without one is dropped
    Field(("message", "message_id"), NOT_ID),  # a long one is hashed
    Field(("message", "chat"), NOT_OBJECT),
    Field(("message", "chat", "id"), NOT_CHAT_ID),
    Field(("message", "from"), NOT_OBJECT),
    Field(("message", "from", "id"), NOT_CHAT_ID),
    Field(("message", "text"), NOT_TEXT),  # a text event without its text
]
ZALO_MALFORMED = (
    NOT_JSON,
    NOT_OBJECTS.map(encoded),
    OBJECTS.filter(lambda o: not {"event_name", "message", "result"} & o.keys()).map(encoded),
    mutated(ZALO_EVENTS, ZALO_EVENT),
    mutated(ZALO_EVENTS.map(wrapped), under(("result",), ZALO_EVENT)),
    NOT_OBJECTS.map(lambda junk: encoded(wrapped(junk))),
)


def bot_event(message_id: str, user_id: str, wrap: bool) -> bytes:
    """A bot's message: accepted, never answered."""
    event = zalo_event(message_id, user_id, "/help", bot=True)
    return encoded(wrapped(event) if wrap else event)


def dropped_event(name: str, message: Any, wrap: bool) -> bytes:
    """An event the bot does not take: no message, a reaction, a name it does not know."""
    event = {"event_name": name} if message is None else {"event_name": name, "message": message}
    return encoded(wrapped(event) if wrap else event)


ZALO_IGNORED = st.one_of(
    st.builds(bot_event, ZALO_IDS, ZALO_IDS, st.booleans()),
    st.builds(
        dropped_event,
        st.sampled_from([zalo_events.TEXT_EVENT, "message.image.received", "group.joined"]),
        st.none(),
        st.booleans(),
    ),
    st.builds(
        dropped_event,
        st.sampled_from(["message.reaction.received", "oa.follow"])
        | st.text(max_size=12).map("x-{}".format),
        JSON,
        st.booleans(),
    ),
)


# --- the service -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A running service, where its webhook is, and how its linked official asks /trangthai."""

    app: App
    url: str
    header: str
    secret: str
    ask_status: Callable[[], Awaitable[str]]


@asynccontextmanager
async def serving(
    fake: FakeTelegram | FakeZalo,
    channel: str,
    user_id: Any,
    say: Callable[[str], dict[str, Any]],
    database_url: str,
    session: AsyncSession,
) -> AsyncIterator[Target]:
    """The service with ``channel``'s webhook, and a chat linked to an official."""
    module = telegram if channel == "telegram" else zalo
    secret = f"fuzz-s3cret_{channel}"
    webhook = webhook_mode(channel, module.WEBHOOK_PATH, secret)
    settings = channel_settings(channel, fake, database_url, **webhook)
    async with running(settings, reminders=False) as app:  # what it writes, the updates wrote

        async def ask(text: str) -> str:
            before = len(fake.messages_to(user_id))
            await fake.post_webhook(say(text))
            replies = await fake.wait_for_messages(user_id, before + 1)
            return replies[before].text or ""

        record = await make_record(session)
        await ask(f"/start {await new_code(session, record.official)}")
        url = webhook[f"{channel}_webhook_url"]
        yield Target(app, url, module.SECRET_HEADER, secret, lambda: ask("/trangthai"))


@pytest.fixture
async def telegram_target(
    database_url: str, engine: AsyncEngine, session: AsyncSession
) -> AsyncIterator[Target]:
    async with FakeTelegram(chat_burst=100) as fake:
        say = partial(fake.message, user_id=90_001)
        async with serving(fake, "telegram", 90_001, say, database_url, session) as target:
            yield target


@pytest.fixture
async def zalo_target(
    database_url: str, engine: AsyncEngine, session: AsyncSession
) -> AsyncIterator[Target]:
    async with FakeZalo() as fake:
        say = partial(fake.text, user_id="zu-fuzz")
        async with serving(fake, "zalo", "zu-fuzz", say, database_url, session) as target:
            yield target


async def row_counts(engine: AsyncEngine) -> dict[str, int]:
    """Rows in every table of the schema, in one query."""
    tables = Base.metadata.sorted_tables
    query = select(
        *(select(func.count()).select_from(t).scalar_subquery().label(t.name) for t in tables)
    )
    async with engine.connect() as connection:
        row = (await connection.execute(query)).one()
    return dict(row._mapping)


async def send(client: aiohttp.ClientSession, target: Target, post: Post) -> int:
    headers = {target.header: target.secret}
    if post.content_type is not None:
        headers["Content-Type"] = post.content_type
    async with client.post(
        target.url, data=post.body, headers=headers, skip_auto_headers=("Content-Type",)
    ) as response:
        await response.read()
        return response.status


async def fuzz(target: Target, engine: AsyncEngine, strategy: st.SearchStrategy[Post]) -> list[int]:
    """Post what ``strategy`` draws: each gets its expected status and writes nothing. Returns
    the status of every example run."""
    loop = asyncio.get_running_loop()
    before = await row_counts(engine)
    seen: list[int] = []
    async with aiohttp.ClientSession() as client:

        async def check(post: Post) -> None:
            status = await send(client, target, post)
            seen.append(status)
            assert status == post.expected, post
            assert await row_counts(engine) == before, post

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(strategy)
        def run(post: Post) -> None:
            asyncio.run_coroutine_threadsafe(check(post), loop).result()

        await asyncio.to_thread(run)
    return seen


async def assert_still_answering(
    target: Target, engine: AsyncEngine, before: dict[str, int]
) -> None:
    """The linked official still gets their status, and that answer is all that was written."""
    answer = await target.ask_status()

    assert STATUS_LINE in answer
    assert await row_counts(engine) == {
        **before,
        "inbox": before["inbox"] + 1,
    }


async def test_telegram_webhook_refuses_malformed_updates_and_writes_nothing(
    telegram_target: Target, engine: AsyncEngine
) -> None:
    before = await row_counts(engine)

    seen = await fuzz(telegram_target, engine, posts(TELEGRAM_MALFORMED, TELEGRAM_IGNORED))

    metrics = telegram_target.app.metrics
    refused = seen.count(MALFORMED) + seen.count(NOT_SENT_AS_JSON)
    assert metrics.value("canbo_webhook_rejected_total", "telegram") == refused
    await assert_still_answering(telegram_target, engine, before)


async def test_zalo_webhook_refuses_malformed_events_and_writes_nothing(
    zalo_target: Target, engine: AsyncEngine
) -> None:
    before = await row_counts(engine)

    seen = await fuzz(zalo_target, engine, posts(ZALO_MALFORMED, ZALO_IGNORED))

    refused = seen.count(MALFORMED) + seen.count(NOT_SENT_AS_JSON)
    assert zalo_target.app.metrics.value("canbo_webhook_rejected_total", "zalo") == refused
    await assert_still_answering(zalo_target, engine, before)


# --- what fuzzing found, kept as fixed cases ---------------------------------------------------

DEEP = b"[" * 100_000 + b"]" * 100_000
OVER_LIMIT = Post(b'{"x": "' + b"x" * (1024 * 1024) + b'"}', 413)  # aiohttp's client_max_size


def _telegram(path: FieldPath, value: Any) -> Post:
    return Post(encoded(put(telegram_text(41, 77, "/trangthai"), path, value)), MALFORMED)


def _zalo(path: FieldPath, value: Any) -> Post:
    return Post(encoded(put(zalo_event("m-41", "zu-77", "/trangthai"), path, value)), MALFORMED)


TELEGRAM_CASES = {
    # a 500: json.loads or PTB's de_json raised what the webhook did not catch
    "nested 100,000 deep": Post(DEEP, MALFORMED),
    "message is a string": _telegram(("message",), "hi"),
    "an entity is a string": _telegram(("message", "entities"), ["zz"]),
    "junk in a kind we never take": Post(encoded({"update_id": 42, "poll": 5}), MALFORMED),
    "date past year 9999": _telegram(("message", "date"), 10**30),
    # accepted, then PTB's update loop died on the unhashable user id: nothing answered again
    "user id is an object": _telegram(("message", "from", "id"), {"a": 1}),
    # accepted and answered: a chat account for chat "x", claims for updates -1 and true
    "chat id is a string": _telegram(("message", "chat", "id"), "x"),
    "negative update id": _telegram(("update_id",), -1),
    "update id is true": _telegram(("update_id",), True),
    "text with a lone surrogate": _telegram(("message", "text"), "/trangthai \ud800"),
    # valid, but not taken: its id was claimed all the same
    "an update of no kind": Post(encoded({"update_id": 43}), IGNORED),
    # refused before too
    "an int past 4,300 digits": Post(b'{"update_id": 1' + b"0" * 5000 + b"}", MALFORMED),
    "over the size limit": OVER_LIMIT,
    # a well-formed update, but not sent as JSON: processed as if it were, until 415s
    "an update as text/plain": Post(
        encoded(telegram_text(44, 77, "/trangthai")), NOT_SENT_AS_JSON, "text/plain"
    ),
    "an update with no content type": Post(
        encoded(telegram_text(45, 77, "/trangthai")), NOT_SENT_AS_JSON, None
    ),
}
ZALO_CASES = {
    "nested 100,000 deep": Post(DEEP, MALFORMED),  # was a 500
    # accepted and answered, so claimed, and a chat account stored
    "text event whose text is a number": _zalo(("message", "text"), 5),
    "text with a lone surrogate": _zalo(("message", "text"), "/trangthai \ud800"),
    "chat id of 100 characters": _zalo(("message", "chat", "id"), "c" * 100),
    "chat id of 100 digits": _zalo(("message", "chat", "id"), 10**99),
    "sender id is true": _zalo(("message", "from", "id"), True),
    "chat id with a NUL": _zalo(("message", "chat", "id"), "zu\x0077"),
    "over the size limit": OVER_LIMIT,  # refused before too
    "an event as text/plain": Post(
        encoded(zalo_event("m-44", "zu-77", "/trangthai")), NOT_SENT_AS_JSON, "text/plain"
    ),
    "an event as a form": Post(
        encoded(zalo_event("m-45", "zu-77", "/trangthai")),
        NOT_SENT_AS_JSON,
        "application/x-www-form-urlencoded",
    ),
}


async def post_cases(target: Target, engine: AsyncEngine, cases: dict[str, Post]) -> None:
    before = await row_counts(engine)
    async with aiohttp.ClientSession() as client:
        statuses = {name: await send(client, target, post) for name, post in cases.items()}

    assert statuses == {name: post.expected for name, post in cases.items()}
    await assert_still_answering(target, engine, before)


async def test_telegram_bodies_fuzzing_found(telegram_target: Target, engine: AsyncEngine) -> None:
    await post_cases(telegram_target, engine, TELEGRAM_CASES)


async def test_zalo_bodies_fuzzing_found(zalo_target: Target, engine: AsyncEngine) -> None:
    await post_cases(zalo_target, engine, ZALO_CASES)
