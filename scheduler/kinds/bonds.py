"""Service-bond milestones (rules.bonds.milestones): the start, each anniversary, 90 and 30 days
before the end, and the end, for bonds still running."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from rules.bonds import bond_end, milestones
from scheduler.kinds import BOND, Candidate, milestone
from scheduler.snapshot import Case


def bond_milestones(case: Case) -> Iterator[Candidate]:
    person = case.person
    for bond in person.bonds:
        end = bond_end(bond.starts_on, bond.months)
        for label, on in case.in_sight(milestones(bond.starts_on, bond.months), end):
            yield Candidate(
                kind=BOND,
                recipient=person.id,
                about=person.id,
                subject=f"bond:{bond.id}",
                milestone=milestone(label, on),
                cycle="",
                due=on,
                payload=_payload(label, on, end),
                target=end,
            )


def _payload(label: str, on: date, end: date) -> dict[str, Any]:
    """What the message says, from the rules' label: start, anniversary_<n>,
    ends_in_<n>_days or end."""
    payload: dict[str, Any] = {"on": on.isoformat(), "ends_on": end.isoformat()}
    if label.startswith("anniversary_"):
        return payload | {"step": "anniversary", "years": int(label.removeprefix("anniversary_"))}
    if label.startswith("ends_in_"):
        days = int(label.removeprefix("ends_in_").removesuffix("_days"))
        return payload | {"step": "before_end", "days": days}
    return payload | {"step": label}
