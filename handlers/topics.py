"""The topics the bot answers. A command, a menu label, a button and a free-text question all
end up as one of these, so they all get the same reply."""

from __future__ import annotations

import enum


class Topic(enum.Enum):
    STATUS = "status"
    DEADLINES = "deadlines"
    BOND = "bond"
    COURSES = "courses"
    SETTINGS = "settings"
    HELP = "help"


TOPICS_BY_VALUE = {topic.value: topic for topic in Topic}

# The commands of each topic, by language: the Vietnamese ones first, then the English.
COMMAND_NAMES: dict[str, dict[Topic, str]] = {
    "vi": {
        Topic.STATUS: "trangthai",
        Topic.DEADLINES: "lichhoc",
        Topic.BOND: "camket",
        Topic.COURSES: "khoahoc",
        Topic.SETTINGS: "caidat",
        Topic.HELP: "trogiup",
    },
    "en": {topic: topic.value for topic in Topic},
}
COMMANDS: dict[str, Topic] = {
    name: topic for names in COMMAND_NAMES.values() for topic, name in names.items()
}


def command(language: str, topic: Topic) -> str:
    """The command for ``topic`` as a user of ``language`` types it, with its slash."""
    return "/" + COMMAND_NAMES.get(language, COMMAND_NAMES["vi"])[topic]


class Task(enum.Enum):
    """What a coordinator does in the chat, besides the topics."""

    ANNOUNCE = "announce"  # compose an announcement
    DELIVERIES = "deliveries"  # how announcements were delivered
    REPORT = "report"  # the units' qualification report
    CONSOLE = "console"  # a sign-in link to the browser console


TASK_COMMAND_NAMES: dict[str, dict[Task, str]] = {
    "vi": {
        Task.ANNOUNCE: "thongbao",
        Task.DELIVERIES: "thongbao_baocao",
        Task.REPORT: "baocao",
        Task.CONSOLE: "console",
    },
    "en": {
        Task.ANNOUNCE: "broadcast",
        Task.DELIVERIES: "broadcast_report",
        Task.REPORT: "report",
        Task.CONSOLE: "console",
    },
}
TASK_COMMANDS: dict[str, Task] = {
    name: task for names in TASK_COMMAND_NAMES.values() for task, name in names.items()
}


def task_command(language: str, task: Task) -> str:
    return "/" + TASK_COMMAND_NAMES.get(language, TASK_COMMAND_NAMES["vi"])[task]
