"""When a reminder may go out: quiet windows, weekends and Vietnamese public holidays."""

from __future__ import annotations

from datetime import date, time

import pytest

from scheduler.timing import QuietWindow, WorkCalendar, is_working_day
from tests.scheduler.helpers import ZONE, local

CALENDAR = WorkCalendar(ZONE, QuietWindow(time(21), time(7)))


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 11, 23), True),  # a Monday
        (date(2026, 11, 22), False),  # a Sunday
        (date(2026, 9, 2), False),  # National Day
        (date(2027, 2, 8), False),  # Tết
        (date(2028, 5, 2), False),  # Reunification Day, observed
    ],
)
def test_working_days(day, working):
    assert is_working_day(day) is working


def test_a_window_may_wrap_past_midnight():
    window = QuietWindow.parse("21:00-07:00")
    assert window.contains(time(23, 59)) and window.contains(time(6, 59))
    assert not window.contains(time(7)) and not window.contains(time(20, 59))
    assert not QuietWindow.parse("07:00-07:00").contains(time(7))
    with pytest.raises(ValueError):
        QuietWindow.parse("9 to 5")


def test_inside_quiet_hours_waits_for_the_morning():
    wednesday = date(2026, 11, 25)
    assert CALENDAR.release(local(wednesday, time(22)), urgent=False) == local(
        date(2026, 11, 26), time(7)
    )
    # 24/11 is Vietnam Cultural Day: from Monday night, the morning after is not a working one
    assert CALENDAR.release(local(date(2026, 11, 23), time(22)), urgent=False) == local(
        wednesday, time(7)
    )


def test_a_day_off_waits_for_the_next_working_morning_unless_urgent():
    friday_night = local(date(2027, 4, 29), time(22))  # 30/04 and 01/05 holidays, then Sunday
    assert CALENDAR.release(friday_night, urgent=False) == local(date(2027, 5, 4), time(7))
    assert CALENDAR.release(friday_night, urgent=True) == local(date(2027, 4, 30), time(7))


def test_the_recipients_own_window_counts_too():
    own = QuietWindow.parse("06:00-09:30")
    monday = local(date(2026, 11, 23), time(7, 30))
    assert CALENDAR.release(monday, urgent=False, own=own) == local(date(2026, 11, 23), time(9, 30))
    # a window that with the service's covers the whole day is ignored, not obeyed forever
    always = QuietWindow.parse("06:30-21:30")
    assert CALENDAR.release(monday, urgent=False, own=always) == monday
