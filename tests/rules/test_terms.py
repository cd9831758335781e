"""Working age for a term (Nghị định 33/2023 Điều 8; Chỉ thị 45-CT/TW)."""

from datetime import date

import pytest

from rules.profiles import load_profile
from rules.requirements import ReelectionRequirement, TermAgeRequirement
from rules.terms import first_term_eligibility, reelection_eligibility, term_opened_by
from rules.titles import TitleKind

# A man born 5/1968 retires at 62, at the end of 05/2030.
BORN = date(1968, 5, 20)
PROFILE = load_profile("reform-2025")


def first_term() -> TermAgeRequirement:
    rule = PROFILE.requirement(TitleKind.COMMITTEE_CHAIR, "term_age")
    assert isinstance(rule, TermAgeRequirement)
    return rule


def reelection(title: TitleKind) -> ReelectionRequirement:
    rule = PROFILE.requirement(title, "reelection")
    assert isinstance(rule, ReelectionRequirement)
    return rule


@pytest.mark.parametrize(
    ("at", "eligible", "left"),
    [
        (date(2025, 6, 1), True, 60),  # exactly one full term
        (date(2025, 6, 2), False, 59),
        (date(2025, 5, 1), True, 61),
    ],
)
def test_first_term_needs_sixty_months(at, eligible, left):
    result = first_term_eligibility(BORN, "nam", at, first_term())
    assert (result.eligible, result.months_left, result.required_months) == (eligible, left, 60)
    assert result.retires_on == date(2030, 5, 31)
    assert str(result.citation) == "Nghị định 33/2023/NĐ-CP, Điều 8 khoản 3"


@pytest.mark.parametrize(
    ("title", "at", "eligible", "required"),
    [
        (TitleKind.PARTY_SECRETARY, date(2026, 6, 1), True, 48),  # 48 months, then 47
        (TitleKind.PARTY_SECRETARY, date(2026, 6, 2), False, 48),
        (TitleKind.COMMITTEE_CHAIR, date(2027, 6, 1), True, 36),  # 36 months, then 35
        (TitleKind.COMMITTEE_CHAIR, date(2027, 6, 2), False, 36),
        (TitleKind.FRONT_CHAIR, date(2027, 6, 1), True, 36),
    ],
)
def test_reelection_thresholds(title, at, eligible, required):
    result = reelection_eligibility(BORN, "male", at, reelection(title))
    assert (result.eligible, result.required_months) == (eligible, required)


def test_women_are_measured_on_their_own_roadmap():
    # A woman born 5/1975 retires at 60, at the end of 05/2035.
    assert first_term_eligibility(date(1975, 5, 3), "nữ", date(2030, 6, 1), first_term()).eligible
    assert not first_term_eligibility(
        date(1975, 5, 3), "female", date(2030, 7, 1), first_term()
    ).eligible


def test_the_term_an_election_opens():
    assert term_opened_by(date(2030, 7, 1)) == (2030, 2035)
