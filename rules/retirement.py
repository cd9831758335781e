"""Retirement age (Bộ luật Lao động 2019, Điều 169; Nghị định 135/2020/NĐ-CP, Điều 3 and 4).

Under normal working conditions the retirement age rose from 1 January 2021 by a fixed step each
year: men from 60 years 3 months by 3 months a year until 62 (reached in 2028), women from 55
years 4 months by 4 months a year until 60 (reached in 2035). Before 2021 it was 60 and 55.
The age that applies is the one in force in the calendar year in which the person reaches it,
and retirement takes effect at the end of the month that age is reached (Nghị định 135/2020
Điều 3: "kết thúc ngày cuối cùng của tháng đủ tuổi nghỉ hưu"). Gender is taken as a
``Gender`` or its spelling, English or Vietnamese ("Nam", "nữ").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rules.checks import born_by, day
from rules.dates import month_end
from rules.evaluation import Citation
from rules.scales import Gender

CITATION = Citation("Bộ luật Lao động 2019", "Điều 169; Nghị định 135/2020/NĐ-CP, Điều 3, Điều 4")

ROADMAP_START = 2021  # Điều 169 khoản 2: the roadmap begins on 1 January 2021


@dataclass(frozen=True)
class _Roadmap:
    """One gender's roadmap, in months of age."""

    before: int  # the age before the roadmap started
    step: int  # added each year from ROADMAP_START
    final: int  # the age the roadmap ends at

    def age_in(self, year: int) -> int:
        """The retirement age, in months, in force during ``year``."""
        if year < ROADMAP_START:
            return self.before
        return min(self.before + self.step * (year - ROADMAP_START + 1), self.final)


_ROADMAPS = {
    Gender.MALE: _Roadmap(before=60 * 12, step=3, final=62 * 12),
    Gender.FEMALE: _Roadmap(before=55 * 12, step=4, final=60 * 12),
}


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _retirement_age_months(birth_date: date, gender: Gender) -> int:
    """The age (months) in force in the year it is reached.

    The step added each year (3 or 4 months) is shorter than a year, so exactly one year Y
    satisfies "the age in force in Y is reached during Y"; search the few candidate years.
    """
    roadmap = _ROADMAPS[gender]
    born = _month_index(birth_date)
    first = birth_date.year + roadmap.before // 12
    for year in range(first, birth_date.year + roadmap.final // 12 + 1):
        age = roadmap.age_in(year)
        if (born + age) // 12 == year:
            return age
    raise AssertionError("the roadmap always has a year in which its age is reached")


def retirement_age(birth_date: date, gender: str | Gender) -> tuple[int, int]:
    """The retirement age that applies to this person, as (years, months)."""
    return divmod(_retirement_age_months(birth_date, Gender.of(gender)), 12)


@lru_cache(maxsize=65536)  # asked for every official on every planning run
def retirement_date(birth_date: date, gender: str | Gender) -> date:
    """The last day of the month in which the retirement age is reached."""
    birth_date = day(birth_date, "birth_date")
    year, month0 = divmod(
        _month_index(birth_date) + _retirement_age_months(birth_date, Gender.of(gender)), 12
    )
    return month_end(year, month0 + 1)


def months_of_work_left(birth_date: date, gender: str | Gender, on: date) -> int:
    """Whole calendar months of working age from ``on`` to retirement (0 once retired).

    The month of ``on`` counts only when ``on`` is its first day: someone appointed on
    01/06/2025 who retires at the end of 05/2030 has exactly 60 months.
    """
    born_by(birth_date, on)
    last_month = _month_index(retirement_date(birth_date, gender))
    months = last_month - _month_index(on) + (1 if on.day == 1 else 0)
    return max(0, months)
