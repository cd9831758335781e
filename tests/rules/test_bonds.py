"""Bond length, dates, milestones and reimbursement (Nghị định 101/2017, 171/2025)."""

from datetime import date
from decimal import Decimal

import pytest

from rules.bonds import (
    BondOutcome,
    bond_end,
    length_rule,
    milestones,
    months_served,
    reimbursement,
    reimbursement_due,
    reimbursement_rule,
    required_months,
)
from rules.evaluation import Confidence
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


BEFORE = date(2025, 6, 30)  # sent under Nghị định 101/2017 (as amended by 89/2021)
FROM = date(2025, 7, 1)  # sent under Nghị định 171/2025


@pytest.mark.parametrize(
    ("outcome", "sent_on", "due"),
    [
        ("left", BEFORE, Decimal(35_000_000)),
        (BondOutcome.LEFT, FROM, Decimal(35_000_000)),
        ("dropped_out", BEFORE, Decimal(60_000_000)),  # the whole cost, whatever was served
        ("dropped_out", FROM, Decimal(60_000_000)),  # Nghị định 171/2025 Điều 6
        ("transferred", BEFORE, Decimal(0)),  # ordered rotation: exempt
        ("transferred", FROM, Decimal(0)),  # within the political system: Điều 8 khoản 1 b
        ("transferred_outside", BEFORE, Decimal(0)),
        ("transferred_outside", FROM, Decimal(35_000_000)),  # outside it: not exempt
        ("illness_or_disaster", BEFORE, Decimal(0)),
        ("illness_or_disaster", FROM, Decimal(0)),  # Điều 8 khoản 1 a
        ("epidemic", BEFORE, Decimal(60_000_000)),  # no diploma: not exempt before 171/2025
        ("epidemic", FROM, Decimal(0)),  # an epidemic beside illness and disaster
        ("served", FROM, Decimal(0)),
    ],
)
def test_reimbursement_by_outcome_and_sending_date(outcome, sent_on, due):
    assert reimbursement_due(60_000_000, 48, 20, outcome, sent_on=sent_on) == due


def test_unknown_outcome_is_rejected():
    with pytest.raises(ValueError, match="fired"):
        reimbursement_due(60_000_000, 48, 20, "fired", sent_on=FROM)


@pytest.mark.parametrize(
    ("sent_on", "citation", "exemption", "confidence"),
    [
        (
            BEFORE,
            "Nghị định 101/2017/NĐ-CP, Điều 7, Điều 8",
            "Nghị định 101/2017/NĐ-CP, Điều 7, Điều 8",
            Confidence.REPORTED,
        ),
        (
            FROM,
            "Nghị định 171/2025/NĐ-CP, Điều 6, Điều 7",
            "Nghị định 171/2025/NĐ-CP, Điều 8 khoản 1",
            Confidence.CONFIRMED,
        ),
    ],
)
def test_reimbursement_cites_the_rule_of_the_sending_date(sent_on, citation, exemption, confidence):
    rule = reimbursement_rule(sent_on=sent_on)
    assert (str(rule.citation), str(rule.exemption_citation), rule.confidence) == (
        citation,
        exemption,
        confidence,
    )


@pytest.mark.parametrize(
    ("training", "level", "minimum", "sent_on", "months"),
    [
        # trung cấp to đại học: twice the training, before and after the reform (reported)
        (24, ProfessionalLevel.UNIVERSITY, None, BEFORE, 48),
        (24, ProfessionalLevel.UNIVERSITY, None, FROM, 48),
        (18, "college", None, BEFORE, 36),
        (18, "college", None, FROM, 36),
        (12, "intermediate", None, BEFORE, 24),
        (12, "intermediate", None, FROM, 24),
        # postgraduate: 2× until 30/06/2025, 3× from 01/07/2025
        (24, ProfessionalLevel.MASTER, None, BEFORE, 48),
        (24, ProfessionalLevel.MASTER, None, FROM, 72),
        (36, "doctor", None, BEFORE, 72),
        (36, "doctor", None, FROM, 108),
        # a programme's own minimum when it is longer than the multiple, not when shorter
        (15, "university", 60, BEFORE, 60),  # Hải Phòng's 5-year programme minimum wins
        (36, "university", 60, BEFORE, 72),  # twice the training is longer than the minimum
        (24, "master", 60, BEFORE, 60),  # 48 < 60
        (24, "master", 60, FROM, 72),  # 72 > 60
        (2, "elementary", 12, FROM, 12),  # no statutory bond: the programme's own
    ],
)
def test_required_months(training, level, minimum, sent_on, months):
    assert required_months(training, level, minimum, sent_on=sent_on) == months


@pytest.mark.parametrize(
    ("level", "sent_on", "multiple", "citation", "confidence"),
    [
        (
            "master",
            BEFORE,
            2,
            "Nghị định 101/2017/NĐ-CP, sửa đổi bởi Nghị định 89/2021/NĐ-CP, Điều 6 khoản 1",
            Confidence.CONFIRMED,
        ),
        ("master", FROM, 3, "Nghị định 171/2025/NĐ-CP, Điều 5 khoản 3", Confidence.CONFIRMED),
        ("university", FROM, 2, "Nghị định 101/2017/NĐ-CP, Điều 5", Confidence.REPORTED),
    ],
)
def test_the_bond_rule_names_its_source(level, sent_on, multiple, citation, confidence):
    rule = length_rule(level, sent_on=sent_on)
    assert rule is not None
    assert (rule.multiple, str(rule.citation), rule.confidence) == (multiple, citation, confidence)


@pytest.mark.parametrize(
    ("training", "level", "minimum", "message"),
    [
        (0, "university", None, "training_months must be above zero"),
        (-3, "university", None, "training_months must be above zero"),
        (2.5, "university", None, "training_months must be a whole number"),
        (True, "university", None, "training_months must be a whole number"),
        (12, "university", 0.5, "programme_minimum must be a whole number"),
        (12, "university", False, "programme_minimum must be a whole number"),
        (3, "elementary", None, "elementary"),
        (3, "postdoc", None, "postdoc"),
    ],
)
def test_required_months_rejects(training, level, minimum, message):
    with pytest.raises(ValueError, match=message):
        required_months(training, level, minimum, sent_on=FROM)


@pytest.mark.parametrize(
    ("required", "served", "message"),
    [
        (True, 0, "required_months must be a whole number"),
        (48.0, 0, "required_months must be a whole number"),
        (48, 2.5, "served_months must be a whole number"),
        (48, False, "served_months must be a whole number"),
        (48, -1, "served_months must be zero or more"),
    ],
)
def test_reimbursement_rejects_booleans_and_fractions(required, served, message):
    with pytest.raises(ValueError, match=message):
        reimbursement(1_000, required, served)


def test_bond_end_rejects_a_fraction_of_a_month():
    with pytest.raises(ValueError, match="months must be a whole number"):
        bond_end(date(2025, 1, 1), 1.5)  # type: ignore[arg-type]


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
