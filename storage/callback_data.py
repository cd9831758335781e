"""What a button's data means: every kind of button as a typed record, and the one codec that
turns it into callback data and back.

Telegram hands a pressed button's data back as it was set (at most 64 bytes), the web chat posts
it back, and Zalo and the terminal keep it for the number typed to choose an option; a client
can also send data no button ever carried. So data is always read with ``decode``, which
returns the typed record or None, never an exception: numbers are ASCII digits within range,
words come from a fixed list, dates are real dates.

Layout: ``<version>:<kind>:<field>:…`` with the trailing fields that hold their default left out,
e.g. ``2:reg:12``. Data written before versions existed (``reg:12``) reads as version 1, whose
layout is the same without the version, so the buttons already in people's chats keep working.
A change of layout bumps ``VERSION`` and keeps reading the older ones.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar, Literal, TypeVar

from storage.models import AnswerKind

VERSION = 2
LIMIT = 64  # bytes: Telegram's limit for callback data
SEPARATOR = ":"
MAX_ID = 2**63 - 1  # the largest key a database row can have
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")


def parse_number(text: str, highest: int = MAX_ID, lowest: int = 1) -> int | None:
    """``text`` as a whole number from ``lowest`` to ``highest``, or None: only ASCII digits
    count ("²" and "٣" do not), and a number too long to be in range is not converted."""
    text = text.strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(highest)):
        return None
    number = int(text)
    return number if lowest <= number <= highest else None


_INVALID = object()


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    parse: Callable[[str], object]
    format: Callable[[Any], str]
    has_default: bool
    default: object


class ButtonData:
    """A button's meaning. Subclasses are frozen dataclasses registered with ``@button``;
    their fields are ints (ids), dates, enums, ``Literal`` words, plain words (letters, digits,
    ``_-.``) or optional dates, in the order they appear in the data."""

    kind: ClassVar[str]


_KINDS: dict[str, type[ButtonData]] = {}
_FIELDS: dict[type[ButtonData], tuple[_Field, ...]] = {}
B = TypeVar("B", bound=ButtonData)


def button(kind: str) -> Callable[[type[B]], type[B]]:
    """Register a dataclass as the meaning of data of ``kind`` (unique, no separator)."""

    def register(cls: type[B]) -> type[B]:
        if kind in _KINDS or SEPARATOR in kind or not kind:
            raise ValueError(f"button kind {kind!r} is taken or malformed")
        cls.kind = kind
        _KINDS[kind] = cls
        _FIELDS[cls] = _fields(cls)  # a field type it cannot carry fails at import
        return cls

    return register


def encode(data: ButtonData) -> str:
    """The callback data for ``data``; ValueError over ``LIMIT`` bytes or for a value its
    field cannot carry."""
    fields = _FIELDS[type(data)]
    parts = [str(VERSION), data.kind]
    values = [(field, getattr(data, field.name)) for field in fields]
    while values and values[-1][0].has_default and values[-1][1] == values[-1][0].default:
        values.pop()
    for field, value in values:
        text = field.format(value)
        if SEPARATOR in text or _read(field, text) != value:
            raise ValueError(f"{data.kind}.{field.name} cannot carry {value!r}")
        parts.append(text)
    encoded = SEPARATOR.join(parts)
    check_size(encoded)
    return encoded


def check_size(encoded: str) -> None:
    if len(encoded.encode()) > LIMIT:
        raise ValueError(f"callback data over {LIMIT} bytes: {encoded!r}")


def decode(encoded: str) -> ButtonData | None:
    """The button ``encoded`` stands for, or None for anything that is not one of ours in a
    version we read."""
    if not isinstance(encoded, str) or len(encoded.encode(errors="replace")) > LIMIT:
        return None
    parts = encoded.split(SEPARATOR)
    version = parse_number(parts[0], highest=VERSION)
    if version is None:  # written before versions: the same layout, without the version
        version = 1
    else:
        parts = parts[1:]
    cls = _KINDS.get(parts[0]) if parts else None
    if cls is None:
        return None
    fields = _FIELDS[cls]
    given = parts[1:]
    if len(given) > len(fields) or any(not f.has_default for f in fields[len(given) :]):
        return None
    values: dict[str, Any] = {}
    for field, text in zip(fields, given, strict=False):
        value = _read(field, text)
        if value is _INVALID:
            return None
        values[field.name] = value
    return cls(**values)


def _read(field: _Field, text: str) -> object:
    """A field's value from its text; an empty text is its default, when that is empty."""
    if text == "" and field.has_default and field.default in ("", None):
        return field.default
    return field.parse(text)


def _fields(cls: type[ButtonData]) -> tuple[_Field, ...]:
    hints = typing.get_type_hints(cls)
    found = []
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        has_default = field.default is not dataclasses.MISSING
        parse, format_ = _codec(hints[field.name])
        found.append(_Field(field.name, parse, format_, has_default, field.default))
    return tuple(found)


def _codec(hint: object) -> tuple[Callable[[str], object], Callable[[Any], str]]:
    if hint is int:
        return _parse_id, str
    if hint is date:
        return _parse_day, _format_day
    if hint is str:
        return _parse_word, str
    if hint == date | None:
        return lambda text: None if text == "" else _parse_day(text), _format_optional_day
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        members = {str(member.value): member for member in hint}
        return lambda text: members.get(text, _INVALID), lambda member: str(member.value)
    if typing.get_origin(hint) is Literal:
        words = frozenset(str(word) for word in typing.get_args(hint))
        return lambda text: text if text in words else _INVALID, str
    raise TypeError(f"unsupported button field type {hint!r}")


def _parse_id(text: str) -> object:
    number = parse_number(text)
    return _INVALID if number is None else number


def _parse_word(text: str) -> object:
    return text if text and set(text) <= _WORD else _INVALID


def _parse_day(text: str) -> object:
    if len(text) != 8 or parse_number(text, highest=99991231) is None:
        return _INVALID
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return _INVALID


def _format_day(day: date) -> str:
    return f"{day:%Y%m%d}"


def _format_optional_day(day: date | None) -> str:
    return "" if day is None else _format_day(day)


# --- every button the bot shows -----------------------------------------------------------

BroadcastAction = Literal[
    "menu", "f", "t", "clear", "next", "ack", "now", "later", "send", "preview", "quit"
]


@button("ask")
@dataclasses.dataclass(frozen=True)
class Ask(ButtonData):
    """Answer a topic (handlers.topics.Topic value), as its command would."""

    topic: str


@button("cite")
@dataclasses.dataclass(frozen=True)
class Citations(ButtonData):
    """The rules behind the official's standards status, on the day pressed."""


@button("reg")
@dataclasses.dataclass(frozen=True)
class Register(ButtonData):
    """Register for a course: asks to confirm first."""

    course: int


@button("regok")
@dataclasses.dataclass(frozen=True)
class ConfirmRegistration(ButtonData):
    course: int
    answer: Literal["yes", "no"]


@button("set")
@dataclasses.dataclass(frozen=True)
class Setting(ButtonData):
    """A change in /settings: language, quiet hours, a muted reminder kind, this chat for
    reminders."""

    action: Literal["lang", "quiet", "mute", "here"]
    value: str = ""


@button("bc")
@dataclasses.dataclass(frozen=True)
class BroadcastStep(ButtonData):
    """A step of composing announcement ``draft`` (handlers.coordinator.broadcast)."""

    draft: int
    action: BroadcastAction
    argument: str = ""  # a filter letter, or "yes"/"no"
    value: str = ""  # the filter value: an id or a code


@button("bcr")
@dataclasses.dataclass(frozen=True)
class DeliveryStep(ButtonData):
    """An announcement's delivery report, its Excel file, or cancelling it."""

    broadcast: int
    action: Literal["show", "xlsx", "cancel"]


@button("bq")
@dataclasses.dataclass(frozen=True)
class QualificationStep(ButtonData):
    """A unit's qualification report on ``on`` (compared with ``compare``), or its Excel."""

    unit: int
    action: Literal["show", "xlsx"]
    on: date
    compare: date | None = None


@button("ru")
@dataclasses.dataclass(frozen=True)
class RosterStep(ButtonData):
    """Import a roster the coordinator sent (upload ``upload``), or drop it."""

    action: Literal["ok", "no"]
    upload: int


@button("ack")
@dataclasses.dataclass(frozen=True)
class Acknowledge(ButtonData):
    """ "Received" under an announcement."""

    broadcast: int


@button("rem")
@dataclasses.dataclass(frozen=True)
class AnswerReminder(ButtonData):
    """One of the three answers under a reminder (outbox row ``outbox``)."""

    outbox: int
    answer: AnswerKind


EvidenceAnswer = Literal["degree", "political_theory", "state_management", "refresher", "cancel"]


@button("ev")
@dataclasses.dataclass(frozen=True)
class EvidenceStep(ButtonData):
    """What a file an official sent (``evidence``) proves (storage.models.EvidenceKind
    values), or "cancel": do not send it."""

    evidence: int
    answer: EvidenceAnswer
