"""Calendar-month arithmetic shared by bonds and retirement."""

from __future__ import annotations

import calendar
from datetime import date
from functools import lru_cache


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=65536)  # reminders ask for the same few deadlines' milestones again and again
def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the month's last day (31/01 + 1 → 28 or 29/02)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = month_end(year, month0 + 1)
    return last.replace(day=min(day.day, last.day))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end``: the largest n with add_months(start, n) <= end."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    return months if add_months(start, months) <= end else months - 1
