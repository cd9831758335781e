"""The retirement roadmap of Bộ luật Lao động 2019 Điều 169, checked at every step boundary."""

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from rules.retirement import months_of_work_left, retirement_age, retirement_date
from rules.scales import Gender

# (first birth month, last birth month, age) per step, as the published roadmap lists them.
MEN = [
    ((1960, 1), (1960, 12), (60, 0)),  # before 2021
    ((1961, 1), (1961, 9), (60, 3)),  # 2021
    ((1961, 10), (1962, 6), (60, 6)),
    ((1962, 7), (1963, 3), (60, 9)),
    ((1963, 4), (1963, 12), (61, 0)),
    ((1964, 1), (1964, 9), (61, 3)),
    ((1964, 10), (1965, 6), (61, 6)),
    ((1965, 7), (1966, 3), (61, 9)),  # 2027
    ((1966, 4), (1980, 12), (62, 0)),  # from 2028 on
]
WOMEN = [
    ((1965, 1), (1965, 12), (55, 0)),  # before 2021
    ((1966, 1), (1966, 8), (55, 4)),  # 2021
    ((1966, 9), (1967, 4), (55, 8)),
    ((1967, 5), (1967, 12), (56, 0)),
    ((1968, 1), (1968, 8), (56, 4)),
    ((1968, 9), (1969, 4), (56, 8)),
    ((1969, 5), (1969, 12), (57, 0)),
    ((1970, 1), (1970, 8), (57, 4)),
    ((1970, 9), (1971, 4), (57, 8)),
    ((1971, 5), (1971, 12), (58, 0)),
    ((1972, 1), (1972, 8), (58, 4)),
    ((1972, 9), (1973, 4), (58, 8)),
    ((1973, 5), (1973, 12), (59, 0)),
    ((1974, 1), (1974, 8), (59, 4)),
    ((1974, 9), (1975, 4), (59, 8)),  # 2034
    ((1975, 5), (1985, 12), (60, 0)),  # from 2035 on
]


def _boundaries(gender: str, steps: list[Any]) -> Iterator[Any]:
    for first, last, age in steps:
        for year, month in (first, last):
            yield pytest.param(gender, date(year, month, 15), age, id=f"{gender}-{month}/{year}")


@pytest.mark.parametrize(
    ("gender", "born", "age"), [*_boundaries("male", MEN), *_boundaries("female", WOMEN)]
)
def test_age_at_every_step_boundary(gender, born, age):
    assert retirement_age(born, gender) == age


@pytest.mark.parametrize(
    ("gender", "born", "retires"),
    [
        ("male", date(1961, 9, 30), date(2021, 12, 31)),  # 60y3m, last month of 2021
        ("male", date(1961, 10, 1), date(2022, 4, 30)),  # a step later: 60y6m
        ("male", date(1962, 6, 30), date(2022, 12, 31)),
        ("male", date(1962, 7, 1), date(2023, 4, 30)),
        ("male", date(1966, 3, 31), date(2027, 12, 31)),
        ("male", date(1966, 4, 1), date(2028, 4, 30)),  # the roadmap reaches 62
        ("male", date(1970, 2, 10), date(2032, 2, 29)),  # a leap February
        ("male", date(1960, 12, 31), date(2020, 12, 31)),  # before the roadmap: 60
        ("female", date(1966, 8, 31), date(2021, 12, 31)),
        ("female", date(1966, 9, 1), date(2022, 5, 31)),
        ("female", date(1967, 4, 30), date(2022, 12, 31)),
        ("female", date(1967, 5, 1), date(2023, 5, 31)),
        ("female", date(1975, 4, 30), date(2034, 12, 31)),
        ("female", date(1975, 5, 1), date(2035, 5, 31)),  # the roadmap reaches 60
        ("female", date(1965, 12, 1), date(2020, 12, 31)),  # before the roadmap: 55
    ],
)
def test_retirement_takes_effect_at_the_end_of_the_month(gender, born, retires):
    assert retirement_date(born, gender) == retires


@pytest.mark.parametrize("gender", ["male", "Male", " MALE ", "nam", "Nam", "NAM", Gender.MALE])
def test_gender_spellings(gender):
    assert retirement_date(date(1966, 4, 1), gender) == date(2028, 4, 30)


@pytest.mark.parametrize("gender", ["female", "nữ", "Nữ", "NỮ", "nu", "Nu"])
def test_vietnamese_spellings_of_female(gender):
    assert retirement_date(date(1975, 5, 1), gender) == date(2035, 5, 31)
    assert months_of_work_left(date(1975, 5, 1), gender, date(2035, 5, 1)) == 1


def test_a_birth_date_after_the_day_counted_from_is_refused():
    with pytest.raises(ValueError, match=r"birth_date 02/01/2026 is after 01/01/2026"):
        months_of_work_left(date(2026, 1, 2), "nam", date(2026, 1, 1))


def test_a_birth_date_must_be_a_date():
    with pytest.raises(ValueError, match="birth_date must be a date"):
        retirement_date("1966-04-01", "nam")


@pytest.mark.parametrize("gender", ["other", True, 1])
def test_unknown_gender_is_rejected_by_name(gender):
    with pytest.raises(ValueError, match="gender must be"):
        retirement_date(date(1966, 4, 1), gender)


@pytest.mark.parametrize(
    ("on", "left"),
    [
        (date(2025, 6, 1), 60),  # June 2025 .. May 2030 in full
        (date(2025, 6, 2), 59),  # June 2025 only partly
        (date(2030, 5, 1), 1),
        (date(2030, 5, 31), 0),
        (date(2031, 1, 1), 0),  # retired: never negative
    ],
)
def test_months_of_work_left(on, left):
    # A man born 5/1968 retires at 62, at the end of 05/2030.
    assert months_of_work_left(date(1968, 5, 20), "male", on) == left
