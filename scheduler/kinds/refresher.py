"""The yearly refresher not yet done: reminders on fixed dates of the year (01/09, 01/11, 01/12
by default), while the rules count the year's refresher as missing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from rules.evaluation import Status
from rules.profiles import REFRESHER_KEY
from scheduler.kinds import REFRESHER, Candidate
from scheduler.snapshot import Case


def refresher(case: Case) -> Iterator[Candidate]:
    result = case.result(REFRESHER_KEY)
    if result is None or result.status is not Status.MISSING:
        return
    year = case.today.year
    payload = {"year": year}
    for month, day in case.config.refresher_dates:
        on = date(year, month, day)
        yield Candidate(
            kind=REFRESHER,
            recipient=case.person.id,
            about=case.person.id,
            subject="refresher",
            milestone=on.isoformat(),
            cycle=str(year),
            due=on,
            payload=payload,
            target=result.deadline,
        )
