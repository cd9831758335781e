"""Checks on the values the rules are given, so a wrong argument fails loudly and names itself
instead of yielding a plausible wrong answer (True counting as one month, 2.5 months)."""

from __future__ import annotations

from datetime import date, datetime


def whole_months(value: object, name: str, *, positive: bool = False) -> int:
    """``value`` as a number of months: a whole number, not negative (above zero when
    ``positive``); a boolean or a fraction raises ValueError naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number of months, got {value!r}")
    if value < 0 or (positive and value == 0):
        bound = "above zero" if positive else "zero or more"
        raise ValueError(f"{name} must be {bound}, got {value}")
    return value


def day(value: object, name: str) -> date:
    """``value`` as a calendar day (a datetime is not one)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{name} must be a date, got {value!r}")
    return value


def born_by(birth_date: object, on: date) -> date:
    """A birth date that is not after ``on``."""
    born = day(birth_date, "birth_date")
    if born > on:
        raise ValueError(f"birth_date {born:%d/%m/%Y} is after {on:%d/%m/%Y}")
    return born
