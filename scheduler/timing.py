"""When a reminder may go out: outside quiet hours and, unless urgent, on a working day.

Working days are Monday to Friday except Vietnamese public holidays (the ``holidays``
package, including the substitute days off it knows). A reminder that falls in a quiet window
waits for the window's end; one that is not urgent and falls on a day off waits for the next
working morning (the end of the quiet window, 07:00 by default).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

MAX_STEPS = 64  # a quiet window plus holidays never needs more; more means windows cover the day


@dataclass(frozen=True)
class QuietWindow:
    """A daily window of local time, e.g. 21:00-07:00; it may wrap past midnight."""

    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietWindow:
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError(f"expected HH:MM-HH:MM, got {text!r}")
        return cls(time.fromisoformat(start.strip()), time.fromisoformat(end.strip()))

    def contains(self, moment: time) -> bool:
        if self.start < self.end:
            return self.start <= moment < self.end
        if self.start > self.end:
            return moment >= self.start or moment < self.end
        return False

    def end_after(self, local: datetime) -> datetime:
        """The first end of this window at or after ``local`` (same zone)."""
        end = datetime.combine(local.date(), self.end, local.tzinfo)
        return end if end >= local else end + timedelta(days=1)


@cache
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


@dataclass(frozen=True)
class WorkCalendar:
    zone: ZoneInfo
    quiet: QuietWindow

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def at(self, day: date, moment: time) -> datetime:
        """``day`` at local ``moment``, as an aware UTC datetime."""
        return datetime.combine(day, moment, self.zone).astimezone(UTC)

    def morning(self, day: date) -> datetime:
        """The start of ``day``'s sending hours: the end of the quiet window."""
        return self.at(day, self.quiet.end)

    def release(
        self, moment: datetime, *, urgent: bool, own: QuietWindow | None = None
    ) -> datetime:
        """The first moment at or after ``moment`` when a reminder may go out, given the
        service's quiet window and the recipient's ``own``. Should the two windows together
        cover the whole day, the recipient's is ignored rather than holding messages forever."""
        windows = (self.quiet,) if own is None else (self.quiet, own)
        local = self.local(moment)
        for _ in range(MAX_STEPS):
            shifted = local
            for window in windows:
                if window.contains(shifted.time()):
                    shifted = window.end_after(shifted)
            if not urgent and not is_working_day(shifted.date()):
                shifted = datetime.combine(shifted.date() + timedelta(days=1), time(), self.zone)
            if shifted == local:
                return local.astimezone(UTC)
            local = shifted
        return self.release(moment, urgent=urgent)
