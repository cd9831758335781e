"""The yearly refresher not yet done: reminders on fixed dates of the year (01/09, 01/11, 01/12
by default), while the rules count the year's refresher as missing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache

from rules.evaluation import Status
from rules.requirements import REFRESHER_KEY
from scheduler.kinds import REFRESHER, Candidate
from scheduler.snapshot import Case, Schedule


def refresher(case: Case) -> Iterator[Candidate]:
    result = case.result(REFRESHER_KEY)
    if result is None or result.status is not Status.MISSING:
        return
    year = case.today.year
    payload = {"year": year}
    days = refresher_days(year, case.config.refresher_dates)
    for label, on in case.in_sight(days, result.deadline):
        yield Candidate(
            kind=REFRESHER,
            recipient=case.person.id,
            about=case.person.id,
            subject="refresher",
            milestone=label,
            cycle=str(year),
            due=on,
            payload=payload,
            target=result.deadline,
        )


@lru_cache(maxsize=16)
def refresher_days(year: int, dates: tuple[tuple[int, int], ...]) -> Schedule:
    """The (milestone, day) of the year's reminder dates, shared by every official."""
    days = (date(year, month, day) for month, day in dates)
    return tuple((on.isoformat(), on) for on in days)
