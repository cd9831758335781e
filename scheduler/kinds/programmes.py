"""Source-programme steps (seed 000: selection, school, district placement, commune assignment,
probation): 7 and 1 days before each step a member takes part in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from scheduler.kinds import PROGRAMME_STEP, Candidate, milestone
from scheduler.snapshot import Case


def programme_steps(case: Case) -> Iterator[Candidate]:
    person = case.person
    for step in person.steps:
        if step.starts_on < case.today:
            continue
        payload = {
            "programme": step.programme,
            "step": step.kind,
            "starts_on": step.starts_on.isoformat(),
        }
        for days in case.config.programme_step_days:
            yield Candidate(
                kind=PROGRAMME_STEP,
                recipient=person.id,
                about=person.id,
                subject=f"step:{step.id}",
                milestone=milestone(f"d{days}", step.starts_on),
                cycle="",
                due=step.starts_on - timedelta(days=days),
                payload=payload,
                target=step.starts_on,
            )
