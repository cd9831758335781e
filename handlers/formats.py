"""Small presentation pieces several replies share: time left to a date, a progress bar."""

from __future__ import annotations

from datetime import date

from locales import Translator

BAR_CELLS = 10


def days_left(_: Translator, deadline: date, today: date) -> str:
    """ "còn 1.157 ngày", or how long ago it passed."""
    days = (deadline - today).days
    if days >= 0:
        return _.plural("{days} day left", "{days} days left", days, days=_.number(days))
    return _.plural("{days} day overdue", "{days} days overdue", -days, days=_.number(-days))


def progress_bar(done: int, whole: int) -> str:
    """▓▓▓▓░░░░░░ for 4 of 10; never more than full."""
    filled = 0 if whole <= 0 else min(BAR_CELLS, round(BAR_CELLS * done / whole))
    return "▓" * filled + "░" * (BAR_CELLS - filled)
