"""Bond length, dates, milestones and reimbursement (Nghị định 101/2017, 171/2025)."""

from datetime import date
from decimal import Decimal

import pytest

from rules.bonds import (
    BondOutcome,
    bond_end,
    milestones,
    months_served,
    reimbursement,
    reimbursement_due,
    required_months,
)
from rules.scales import ProfessionalLevel


@pytest.mark.parametrize(
    ("cost", "required", "served", "due"),
    [
        (60_000_000, 48, 20, Decimal(35_000_000)),  # the worked example of DOMAIN.md
        (60_000_000, 48, 0, Decimal(60_000_000)),  # nothing served: the whole cost
        (60_000_000, 48, 48, Decimal(0)),  # served in full
        (60_000_000, 48, 60, Decimal(0)),  # served longer: never negative
        (10_000_000, 36, 1, Decimal(9_722_222)),  # 9.722.222,2 rounds to whole đồng
        (10_000_000, 36, 7, Decimal(8_055_556)),  # 8.055.555,6 rounds up
        (Decimal("1000000"), 3, 1, Decimal(666_667)),
    ],
)
def test_reimbursement(cost, required, served, due):
    assert reimbursement(cost, required, served) == due


@pytest.mark.parametrize(
    ("cost", "required", "served", "message"),
    [
        (-1, 48, 0, "cost"),
        (1_000, 0, 0, "required_months"),
        (1_000, 48, -1, "served_months"),
    ],
)
def test_reimbursement_rejects_impossible_input(cost, required, served, message):
    with pytest.raises(ValueError, match=message):
        reimbursement(cost, required, served)


@pytest.mark.parametrize(
    ("outcome", "due"),
    [
        ("left", Decimal(35_000_000)),
        (BondOutcome.LEFT, Decimal(35_000_000)),
        ("dropped_out", Decimal(60_000_000)),  # Điều 7: the whole cost, whatever was served
        ("transferred", Decimal(0)),  # ordered rotation: exempt
        ("illness_or_disaster", Decimal(0)),  # exempt
        ("served", Decimal(0)),
    ],
)
def test_reimbursement_by_outcome(outcome, due):
    assert reimbursement_due(60_000_000, 48, 20, outcome) == due


def test_unknown_outcome_is_rejected():
    with pytest.raises(ValueError, match="fired"):
        reimbursement_due(60_000_000, 48, 20, "fired")


@pytest.mark.parametrize(
    ("training", "level", "minimum", "months"),
    [
        (24, ProfessionalLevel.UNIVERSITY, None, 48),  # 2× (Nghị định 101/2017 Điều 5)
        (18, "college", None, 36),
        (12, "intermediate", None, 24),
        (24, ProfessionalLevel.MASTER, None, 72),  # 3× (Nghị định 171/2025 Điều 5)
        (36, "doctor", None, 108),
        (15, "university", 60, 60),  # Hải Phòng's 5-year programme minimum wins
        (36, "university", 60, 72),  # twice the training is longer than the minimum
        (2, "elementary", 12, 12),  # no statutory bond: the programme's own
    ],
)
def test_required_months(training, level, minimum, months):
    assert required_months(training, level, minimum) == months


@pytest.mark.parametrize(
    ("training", "level", "message"),
    [
        (0, "university", "training_months"),
        (3, "elementary", "elementary"),
        (3, "postdoc", "postdoc"),
    ],
)
def test_required_months_rejects(training, level, message):
    with pytest.raises(ValueError, match=message):
        required_months(training, level)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2024, 9, 1), 48, date(2028, 9, 1)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # clamped to a leap February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), 6, date(2024, 9, 30)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2016, 10, 15), 60, date(2021, 10, 15)),  # seed 003: five years
        (date(2024, 11, 30), 3, date(2025, 2, 28)),  # across a year end
    ],
)
def test_bond_end(start, months, end):
    assert bond_end(start, months) == end


@pytest.mark.parametrize(
    ("start", "on", "served"),
    [
        (date(2024, 9, 1), date(2024, 8, 31), 0),  # not started
        (date(2024, 9, 1), date(2024, 9, 30), 0),
        (date(2024, 9, 1), date(2024, 10, 1), 1),
        (date(2024, 9, 1), date(2026, 5, 1), 20),
        (date(2024, 1, 31), date(2024, 2, 28), 0),
        (date(2024, 1, 31), date(2024, 2, 29), 1),  # a month completes on the clamped day
        (date(2024, 9, 1), date(2028, 9, 1), 48),
    ],
)
def test_months_served(start, on, served):
    assert months_served(start, on) == served


def test_months_served_reaches_the_bond_length_on_its_end_date():
    start = date(2023, 1, 31)
    for months in range(1, 40):
        end = bond_end(start, months)
        assert months_served(start, end) == months
        assert months_served(start, date.fromordinal(end.toordinal() - 1)) == months - 1


def test_milestones_of_a_four_year_bond():
    assert milestones(date(2024, 9, 1), 48) == [
        ("start", date(2024, 9, 1)),
        ("anniversary_1", date(2025, 9, 1)),
        ("anniversary_2", date(2026, 9, 1)),
        ("anniversary_3", date(2027, 9, 1)),
        ("ends_in_90_days", date(2028, 6, 3)),
        ("ends_in_30_days", date(2028, 8, 2)),
        ("end", date(2028, 9, 1)),
    ]


def test_milestones_are_in_date_order_when_reminders_precede_an_anniversary():
    assert milestones(date(2024, 1, 31), 13) == [
        ("start", date(2024, 1, 31)),
        ("ends_in_90_days", date(2024, 11, 30)),
        ("ends_in_30_days", date(2025, 1, 29)),
        ("anniversary_1", date(2025, 1, 31)),
        ("end", date(2025, 2, 28)),
    ]


def test_a_short_bond_has_no_reminder_before_its_start():
    assert milestones(date(2025, 1, 1), 2) == [
        ("start", date(2025, 1, 1)),
        ("ends_in_30_days", date(2025, 1, 30)),
        ("end", date(2025, 3, 1)),
    ]
