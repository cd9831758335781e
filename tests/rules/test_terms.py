"""Working age for a term (Nghị định 33/2023 Điều 8; Chỉ thị 45-CT/TW)."""

from datetime import date

import pytest

from rules.terms import first_term_eligibility, reelection_eligibility

# A man born 5/1968 retires at 62, at the end of 05/2030.
BORN = date(1968, 5, 20)


@pytest.mark.parametrize(
    ("at", "eligible", "left"),
    [
        (date(2025, 6, 1), True, 60),  # exactly one full term
        (date(2025, 6, 2), False, 59),
        (date(2025, 5, 1), True, 61),
    ],
)
def test_first_term_needs_sixty_months(at, eligible, left):
    result = first_term_eligibility(BORN, "male", at)
    assert (result.eligible, result.months_left, result.required_months) == (eligible, left, 60)
    assert result.retires_on == date(2030, 5, 31)
    assert result.citation.document == "Chỉ thị 45-CT/TW"


@pytest.mark.parametrize(
    ("at", "eligible"),
    [(date(2026, 6, 1), True), (date(2026, 6, 2), False)],  # 48 months, then 47
)
def test_reelection_needs_forty_eight_months(at, eligible):
    result = reelection_eligibility(BORN, "male", at)
    assert result.eligible is eligible
    assert result.required_months == 48


def test_women_are_measured_on_their_own_roadmap():
    # A woman born 5/1975 retires at 60, at the end of 05/2035.
    assert first_term_eligibility(date(1975, 5, 3), "female", date(2030, 6, 1)).eligible
    assert not first_term_eligibility(date(1975, 5, 3), "female", date(2030, 7, 1)).eligible
