"""Escalations to the official's coordinators, while the condition holds: a standard still
missing with under ``escalation_months`` left and no course booked that would close it; the
year's refresher not done by the last refresher date (01/12). Declining a reminder escalates
too, at once (scheduler.answers)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from rules.dates import add_months
from rules.evaluation import Status
from rules.requirements import REFRESHER_KEY
from rules.standards import closing_course_kinds
from scheduler.kinds import ESCALATE_REFRESHER, ESCALATE_STANDARDS, Candidate, milestone
from scheduler.kinds.standards import open_gaps
from scheduler.snapshot import Case, OfficialView


def about(person: OfficialView) -> dict[str, Any]:
    """Who an escalation is about, as coordinators read it."""
    return {"official": person.name, "unit": person.unit_name}


def escalate_standards(case: Case) -> Iterator[Candidate]:
    person = case.person
    booked = person.booked_kinds
    for result in open_gaps(case):
        assert result.deadline is not None
        if add_months(result.deadline, -case.config.escalation_months) > case.today:
            continue
        if closing_course_kinds(result) & booked:
            continue
        payload = about(person) | {
            "requirement": result.key,
            "deadline": result.deadline.isoformat(),
        }
        for coordinator in case.world.coordinators_of(person):
            yield Candidate(
                kind=ESCALATE_STANDARDS,
                recipient=coordinator,
                about=person.id,
                subject=f"o{person.id}:{result.key}",
                milestone=milestone(f"m{case.config.escalation_months}", result.deadline),
                cycle="",
                due=case.today,
                payload=payload,
                target=result.deadline,
            )


def escalate_refresher(case: Case) -> Iterator[Candidate]:
    result = case.result(REFRESHER_KEY)
    if result is None or result.status is not Status.MISSING:
        return
    year = case.today.year
    month, day = case.config.refresher_dates[-1]
    if case.today < date(year, month, day):
        return
    person = case.person
    for coordinator in case.world.coordinators_of(person):
        yield Candidate(
            kind=ESCALATE_REFRESHER,
            recipient=coordinator,
            about=person.id,
            subject=f"o{person.id}:refresher",
            milestone="late",
            cycle=str(year),
            due=case.today,
            payload=about(person) | {"year": year},
            target=result.deadline,
        )
