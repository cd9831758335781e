"""Reminder offsets and timing, with the defaults of issue 4; the service builds one from its
settings (time zone, quiet hours, standards profile). The bond milestones' offsets (90 and 30
days before the end) are the rules' own: rules.bonds.REMINDER_DAYS."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from functools import cached_property
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from rules.profiles import Standards
from scheduler.timing import QuietWindow, WorkCalendar


@dataclass(frozen=True)
class ReminderConfig:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    quiet_hours: QuietWindow = field(default_factory=lambda: QuietWindow(time(21), time(7)))
    # the standards of the day planned for (a pin and a province override may apply)
    standards: Standards = field(default_factory=Standards)

    course_start_days: tuple[int, ...] = (14, 3, 1)
    enrol_by_days: tuple[int, ...] = (14, 3)
    refresher_dates: tuple[tuple[int, int], ...] = ((9, 1), (11, 1), (12, 1))  # (month, day)
    standards_months: tuple[int, ...] = (12, 6, 3, 1)
    programme_step_days: tuple[int, ...] = (7, 1)
    # coordinators hear of a standard still missing this close to its deadline, no course booked
    escalation_months: int = 6
    digest_weekday: int = 0  # Monday
    digest_horizon_days: int = 30
    # A milestone missed while the service was down is still sent if at most this many days
    # late; older ones are skipped (the next milestone of the chain will come).
    grace_days: int = 7
    snooze_days: int = 3

    @cached_property  # the planner asks for every reminder it queues
    def calendar(self) -> WorkCalendar:
        return WorkCalendar(self.zone, self.quiet_hours)

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> ReminderConfig:
        return cls(
            zone=ZoneInfo(settings.timezone),
            quiet_hours=QuietWindow.parse(settings.quiet_hours),
            standards=Standards(
                settings.standards_profile,
                Path(settings.standards_override) if settings.standards_override else None,
            ),
        )


class ServiceSettings(Protocol):
    """The service settings the reminders read (bot.settings.Settings has them)."""

    @property
    def timezone(self) -> str: ...
    @property
    def quiet_hours(self) -> str: ...
    @property
    def standards_profile(self) -> str | None: ...
    @property
    def standards_override(self) -> str | None: ...
