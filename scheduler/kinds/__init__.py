"""Reminder kinds: one module per kind turns an official's data into dated candidates.

A candidate is a reminder that applies today, whether or not it is due yet: the planner queues
the due ones and cancels queued reminders that no longer have a candidate (a course completed,
an enrollment cancelled, a date moved). Milestones carry their target date, so a changed date
makes new reminders instead of reusing old keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from storage import outbox
from storage.outbox import Notice

if TYPE_CHECKING:
    from scheduler.snapshot import Case, Schedule

COURSE_START = "course_start"
ENROL_BY = "enrol_by"
REFRESHER = "refresher"
STANDARDS = "standards_deadline"
BOND = "bond_milestone"
PROGRAMME_STEP = "programme_step"
ESCALATE_STANDARDS = "escalate_standards"
ESCALATE_REFRESHER = "escalate_refresher"
ESCALATE_DECLINED = "escalate_declined"
DIGEST = "digest"
COURSE_REGISTRATION = outbox.COURSE_REGISTRATION
REGISTRATION_DECIDED = outbox.REGISTRATION_DECIDED
EVIDENCE_DECIDED = outbox.EVIDENCE_DECIDED
EVIDENCE_SENT = outbox.EVIDENCE_SENT

# Kinds an official answers with the three reminder buttons.
ANSWERABLE = frozenset({COURSE_START, ENROL_BY, REFRESHER, STANDARDS, PROGRAMME_STEP})
# Kinds derived from one official's data: re-checked before sending, cancelled when stale.
DERIVED = frozenset(
    {
        COURSE_START,
        ENROL_BY,
        REFRESHER,
        STANDARDS,
        BOND,
        PROGRAMME_STEP,
        ESCALATE_STANDARDS,
        ESCALATE_REFRESHER,
    }
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Milestone prefix of the repeat queued by "remind me later".
SNOOZE = "snooze"


class Candidate(NamedTuple):
    """One reminder for ``recipient`` (an official id) about official ``about``.

    ``due`` is the day it should go out; ``target`` the day it is about, when there is one: a
    reminder that cannot wait for the next working day without reaching its target is urgent.
    A named tuple: immutable, and the cheapest record to make by the million (a province).
    """

    kind: str
    recipient: int
    about: int
    subject: str
    milestone: str
    cycle: str
    due: date
    payload: dict[str, Any]
    target: date | None = None

    @property
    def chain(self) -> tuple[int, str, str, str]:
        return (self.recipient, self.kind, self.subject, self.cycle)

    def notice(self, not_before: datetime = EPOCH, *, urgent: bool = False) -> Notice:
        return Notice(
            kind=self.kind,
            payload={**self.payload, "about": self.about},
            not_before=not_before,
            official_id=self.recipient,
            subject=self.subject,
            milestone=self.milestone,
            cycle=self.cycle,
            urgent=urgent,
        )

    @property
    def dedupe_key(self) -> str:
        """The key its notice is queued under (``notice().dedupe_key``), without building it."""
        recipient = outbox.official_recipient(self.recipient)
        return outbox.dedupe_key(recipient, self.kind, self.subject, self.milestone, self.cycle)


@lru_cache(maxsize=4096)  # a province's reminders share a few hundred dates
def milestone(label: str, on: date) -> str:
    """A milestone key naming its target date: "d14@2026-03-01"."""
    return f"{label}@{on.isoformat()}"


@lru_cache(maxsize=4096)
def days_ahead(on: date, days: tuple[int, ...]) -> Schedule:
    """The (milestone, due day) of reminders ``days`` before ``on``: the same for every
    official with that date, so worked out once, not per official."""
    return tuple((milestone(f"d{before}", on), on - timedelta(days=before)) for before in days)


def days_before(
    kind: str,
    case: Case,
    subject: str,
    on: date,
    days: tuple[int, ...],
    payload: dict[str, Any],
) -> Iterator[Candidate]:
    """Reminders to the official of ``case`` about a date of their own: one ``days`` before
    ``on`` for each of ``days``."""
    official = case.person.id
    for label, due in case.in_sight(days_ahead(on, days), on):
        yield Candidate(
            kind=kind,
            recipient=official,
            about=official,
            subject=subject,
            milestone=label,
            cycle="",
            due=due,
            payload=payload,
            target=on,
        )
