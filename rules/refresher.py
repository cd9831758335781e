"""The yearly refresher (bồi dưỡng cập nhật kiến thức), counted per calendar year.

Leaders must take knowledge-update training every year (Quy định 145-QĐ/TW of 10/05/2024, which
replaced 164-QĐ/TW; seed 002: Party secretaries "at least once a year"); civil servants are
commonly held to 40 hours a year. How much is required is profile data, as a number of courses
or of hours, because the figures are unconfirmed. The year's requirement is due on 31/12.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.evaluation import Status
from rules.facts import TrainingRecord
from rules.requirements import RefresherRequirement

COURSES = "courses"
HOURS = "hours"


@dataclass(frozen=True)
class RefresherProgress:
    """How far one official is with one year's refresher."""

    year: int
    unit: str  # COURSES or HOURS
    required: int | Decimal
    done: int | Decimal
    deadline: date
    status: Status  # UNKNOWN when records lack the hours needed to decide

    @property
    def remaining(self) -> int | Decimal:
        return max(self.required - self.done, 0)


def refresher_deadline(year: int) -> date:
    return date(year, 12, 31)


def refresher_progress(
    requirement: RefresherRequirement, trainings: Iterable[TrainingRecord], year: int
) -> RefresherProgress:
    """Progress towards a profile's refresher ``requirement`` with the courses done in ``year``."""
    counted = [
        t for t in trainings if t.kind in requirement.counted_kinds and t.completed_on.year == year
    ]
    if requirement.hours_per_year is not None:
        required: int | Decimal = requirement.hours_per_year
        done: int | Decimal = sum((t.hours for t in counted if t.hours is not None), Decimal(0))
        undecided = any(t.hours is None for t in counted)
        unit = HOURS
    elif requirement.courses_per_year is not None:
        required, done, undecided, unit = requirement.courses_per_year, len(counted), False, COURSES
    else:
        raise ValueError("a refresher requirement needs courses_per_year or hours_per_year")
    status = Status.MET if done >= required else Status.UNKNOWN if undecided else Status.MISSING
    return RefresherProgress(year, unit, required, done, refresher_deadline(year), status)
