"""Standards deadlines: 12, 6, 3 and 1 months before the date by which an official must meet a
qualification they lack, naming the open course that would close the gap."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Any

from rules.dates import add_months
from rules.evaluation import RequirementResult
from rules.requirements import REFRESHER_KEY
from scheduler.kinds import STANDARDS, Candidate, milestone
from scheduler.snapshot import Case, Schedule


def open_gaps(case: Case) -> Iterator[RequirementResult]:
    """Missing qualifications whose deadline is still ahead (the refresher has its own kind)."""
    for result in case.evaluation.missing:
        if result.key != REFRESHER_KEY and result.deadline and result.deadline >= case.today:
            yield result


def standards_deadline(case: Case) -> Iterator[Candidate]:
    person = case.person
    for result in open_gaps(case):
        assert result.deadline is not None
        schedule = case.in_sight(
            months_ahead(result.deadline, case.config.standards_months), result.deadline
        )
        if not schedule:
            continue
        payload: dict[str, Any] = {
            "requirement": result.key,
            "deadline": result.deadline.isoformat(),
        }
        course = case.world.course_to_start(result, person.titles)
        if course is not None:
            payload |= {"course": course.name, "course_starts_on": course.starts_on.isoformat()}
        for label, due in schedule:
            yield Candidate(
                kind=STANDARDS,
                recipient=person.id,
                about=person.id,
                subject=f"standard:{result.key}",
                milestone=label,
                cycle="",
                due=due,
                payload=payload,
                target=result.deadline,
            )


@lru_cache(maxsize=256)  # a profile has a handful of deadlines
def months_ahead(deadline: date, months: tuple[int, ...]) -> Schedule:
    """The (milestone, due day) of reminders ``months`` before ``deadline``, shared by all."""
    return tuple((milestone(f"m{m}", deadline), add_months(deadline, -m)) for m in months)
