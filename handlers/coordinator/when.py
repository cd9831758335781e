"""Reading the days and times coordinators type. A scheduled announcement: "25/11/2026 08:00",
"8h30 25/11", "25-11 14g": a day and a time, in either order, local time. A date without a
year is in the current year."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?\b")
_TIME = re.compile(r"\b(\d{1,2})\s*(?:[:hg]\s*(\d{2})?|giờ|gio)\b", re.IGNORECASE)


def parse_moment(text: str, zone: ZoneInfo, today: date) -> datetime | None:
    """The moment ``text`` names, as an aware UTC datetime; None if it names none."""
    found_date = _DATE.search(text)
    if found_date is None:
        return None
    rest = text[: found_date.start()] + " " + text[found_date.end() :]
    found_time = _TIME.search(rest)
    if found_time is None:
        return None
    day, month, year = found_date.groups()
    hour, minute = found_time.groups()
    full_year = today.year if year is None else int(year) + (2000 if len(year) == 2 else 0)
    try:
        moment = datetime.combine(
            date(full_year, int(month), int(day)), time(int(hour), int(minute or 0)), zone
        )
    except ValueError:
        return None
    return moment.astimezone(UTC)


def parse_day(text: str) -> date | None:
    """A day written dd/mm/yyyy (or yyyy-mm-dd); None if ``text`` is not one."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    found = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if found is None:
        return None
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None
