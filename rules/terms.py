"""Whether an official has the working age for a term (nhiệm kỳ, five years).

- On first taking a post: working age left for at least one full term, 60 months, on the day
  the post is taken (Nghị định 33/2023/NĐ-CP Điều 8 khoản 1 and 3: "khi tham gia giữ chức vụ
  lần đầu"); Chỉ thị 45-CT/TW (14/04/2025) measures it at the start of the congress or
  election.
- To stand again: at least 48 months at the start of the Party congress (Chỉ thị 45-CT/TW), 36
  at the election of the HĐND and UBND leaders or the Front's congress (reported).

The thresholds are profile data (rules.requirements); the congress and election dates are
configuration (``[elections]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rules.evaluation import Citation
from rules.requirements import ReelectionRequirement, TermAgeRequirement
from rules.retirement import months_of_work_left, retirement_date
from rules.scales import Gender

TERM_YEARS = 5


@dataclass(frozen=True)
class TermEligibility:
    eligible: bool
    months_left: int  # whole months of working age from ``at`` (rules.retirement)
    required_months: int
    at: date
    retires_on: date
    citation: Citation


def first_term_eligibility(
    birth_date: date, gender: str | Gender, at: date, rule: TermAgeRequirement
) -> TermEligibility:
    """Taking a post for the first time on ``at``: ``rule.months`` of working age left."""
    return _eligibility(birth_date, gender, at, rule.months, rule.citation)


def reelection_eligibility(
    birth_date: date, gender: str | Gender, election: date, rule: ReelectionRequirement
) -> TermEligibility:
    """Standing again at the congress or election starting on ``election``."""
    return _eligibility(birth_date, gender, election, rule.months, rule.citation)


def term_opened_by(election: date) -> tuple[int, int]:
    """The term a congress or election in ``election``'s year opens: 2030 → (2030, 2035)."""
    return election.year, election.year + TERM_YEARS


def _eligibility(
    birth_date: date, gender: str | Gender, at: date, required: int, citation: Citation
) -> TermEligibility:
    left = months_of_work_left(birth_date, gender, at)
    return TermEligibility(
        eligible=left >= required,
        months_left=left,
        required_months=required,
        at=at,
        retires_on=retirement_date(birth_date, Gender.of(gender)),
        citation=citation,
    )
