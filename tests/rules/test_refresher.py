"""The yearly refresher, counted in courses or hours per calendar year."""

from datetime import date
from decimal import Decimal

import pytest

from rules.evaluation import Citation, Status
from rules.facts import TrainingRecord
from rules.refresher import refresher_deadline, refresher_progress
from rules.requirements import RefresherRequirement

CITE = Citation("Quy định 145-QĐ/TW", "")
ONE_COURSE = RefresherRequirement(citation=CITE, courses_per_year=1)
FORTY_HOURS = RefresherRequirement(
    citation=CITE,
    hours_per_year=Decimal(40),
    counted_kinds=frozenset({"refresher", "state_management"}),
)


def course(kind: str, on: date, hours: Decimal | None = None) -> TrainingRecord:
    return TrainingRecord(kind=kind, completed_on=on, hours=hours)


@pytest.mark.parametrize(
    ("trainings", "status", "done"),
    [
        ((), Status.MISSING, 0),
        ((course("refresher", date(2025, 3, 1)),), Status.MET, 1),
        ((course("refresher", date(2024, 12, 31)),), Status.MISSING, 0),  # last year's
        ((course("llct_intermediate", date(2025, 3, 1)),), Status.MISSING, 0),  # not a refresher
    ],
)
def test_courses_per_year(trainings, status, done):
    progress = refresher_progress(ONE_COURSE, trainings, 2025)
    assert (progress.status, progress.done, progress.required) == (status, done, 1)
    assert progress.deadline == date(2025, 12, 31)
    assert progress.unit == "courses"


@pytest.mark.parametrize(
    ("trainings", "status", "done", "remaining"),
    [
        ((course("refresher", date(2025, 2, 1), Decimal(24)),), Status.MISSING, 24, 16),
        (
            (
                course("refresher", date(2025, 2, 1), Decimal(24)),
                course("state_management", date(2025, 9, 1), Decimal(16)),
            ),
            Status.MET,
            40,
            0,
        ),
        (  # a course without hours might close the gap: undecided
            (
                course("refresher", date(2025, 2, 1), Decimal(24)),
                course("refresher", date(2025, 9, 1)),
            ),
            Status.UNKNOWN,
            24,
            16,
        ),
        (  # enough known hours decide it even when another course lacks them
            (
                course("refresher", date(2025, 2, 1), Decimal(40)),
                course("refresher", date(2025, 9, 1)),
            ),
            Status.MET,
            40,
            0,
        ),
        ((course("other", date(2025, 2, 1), Decimal(40)),), Status.MISSING, 0, 40),  # not counted
    ],
)
def test_hours_per_year(trainings, status, done, remaining):
    progress = refresher_progress(FORTY_HOURS, trainings, 2025)
    assert (progress.status, progress.done, progress.remaining) == (status, done, remaining)
    assert progress.unit == "hours"


def test_deadline_is_the_last_day_of_the_year():
    assert refresher_deadline(2026) == date(2026, 12, 31)


def test_a_refresher_without_a_yearly_amount_is_refused():
    with pytest.raises(ValueError, match="courses_per_year or hours_per_year"):
        refresher_progress(RefresherRequirement(citation=CITE), (), 2025)
