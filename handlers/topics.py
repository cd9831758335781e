"""The topics the bot answers. A command, a menu label and a free-text question all end up as
one of these, so they all get the same reply."""

from __future__ import annotations

import enum


class Topic(enum.Enum):
    STATUS = "status"
    DEADLINES = "deadlines"
    BOND = "bond"
    COURSES = "courses"
    SETTINGS = "settings"
    HELP = "help"
