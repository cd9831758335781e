"""Whether an official has the working age for a term (nhiệm kỳ, 5 years).

Nghị định 33/2023/NĐ-CP Điều 8 and Chỉ thị 45-CT/TW (14/04/2025): whoever takes a committee or
government post for the first time needs working age left for at least one full term, 60
months, at the reference date (the appointment, or the start of the term); whoever stands again
for the Party committee needs at least 48 months.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.evaluation import Citation
from rules.retirement import months_of_work_left, retirement_date
from rules.scales import Gender

FULL_TERM_MONTHS = 60
REELECTION_MONTHS = 48

DIRECTIVE_45 = Citation("Chỉ thị 45-CT/TW", "tuổi tham gia cấp ủy", date(2025, 4, 14))


@dataclass(frozen=True)
class TermEligibility:
    eligible: bool
    months_left: int  # whole months of working age from ``at`` (rules.retirement)
    required_months: int
    at: date
    retires_on: date
    citation: Citation


def eligibility(
    birth_date: date,
    gender: str | Gender,
    at: date,
    required_months: int,
    citation: Citation = DIRECTIVE_45,
) -> TermEligibility:
    """Whether ``required_months`` of working age remain at ``at``."""
    left = months_of_work_left(birth_date, gender, at)
    return TermEligibility(
        eligible=left >= required_months,
        months_left=left,
        required_months=required_months,
        at=at,
        retires_on=retirement_date(birth_date, gender),
        citation=citation,
    )


def first_term_eligibility(birth_date: date, gender: str | Gender, at: date) -> TermEligibility:
    """Taking a post for the first time: one full term of working age."""
    return eligibility(birth_date, gender, at, FULL_TERM_MONTHS)


def reelection_eligibility(birth_date: date, gender: str | Gender, at: date) -> TermEligibility:
    """Standing again for the Party committee: at least 48 months."""
    return eligibility(birth_date, gender, at, REELECTION_MONTHS)
