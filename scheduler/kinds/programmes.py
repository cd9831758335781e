"""Source-programme steps (seed 000: selection, school, district placement, commune assignment,
probation): 7 and 1 days before each step a member takes part in."""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.kinds import PROGRAMME_STEP, Candidate, days_before
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
        yield from days_before(
            PROGRAMME_STEP,
            case,
            f"step:{step.id}",
            step.starts_on,
            case.config.programme_step_days,
            payload,
        )
