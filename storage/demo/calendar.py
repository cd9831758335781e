"""Date arithmetic for placing the demo's courses, steps and bonds around today."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from storage.demo.data import When


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), kept inside shorter months (31/1 → 28/2)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to the day after ``end``: a course's length for its bond."""
    after = end + timedelta(days=1)
    return (after.year - start.year) * 12 + after.month - start.month


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def resolve(when: When, today: date) -> date:
    if when.unit == "week":
        base = monday(today) + timedelta(weeks=when.count)
    else:
        base = add_months(today.replace(day=1), when.count)
    return base + timedelta(days=when.days)
