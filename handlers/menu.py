"""The reply keyboard of main topics, and a coordinator's tasks below them. Pressing a label
sends it as text, so a label in either language means its topic or task."""

from __future__ import annotations

from functools import cache

from handlers.topics import Task, Topic
from locales import LANGUAGES, N_, Translator, translator
from rules.text import fold

Menu = tuple[tuple[str, ...], ...]

LABELS: dict[Topic | Task, str] = {
    Topic.STATUS: N_("Standards status"),
    Topic.DEADLINES: N_("Training deadlines"),
    Topic.BOND: N_("Bond"),
    Topic.COURSES: N_("Courses"),
    Topic.SETTINGS: N_("Settings"),
    Topic.HELP: N_("Help"),
    Task.ANNOUNCE: N_("Announce"),
    Task.DELIVERIES: N_("Deliveries"),
    Task.REPORT: N_("Report"),
}

_LAYOUT: tuple[tuple[Topic | Task, ...], ...] = (
    (Topic.STATUS, Topic.DEADLINES),
    (Topic.BOND, Topic.COURSES),
    (Topic.SETTINGS, Topic.HELP),
)
_COORDINATOR_LAYOUT: tuple[tuple[Topic | Task, ...], ...] = (
    (Task.ANNOUNCE, Task.DELIVERIES, Task.REPORT),
)


def menu(_: Translator, *, coordinator: bool = False) -> Menu:
    layout = _LAYOUT + (_COORDINATOR_LAYOUT if coordinator else ())
    return tuple(tuple(_(LABELS[item]) for item in row) for row in layout)


@cache
def _labels_in_every_language() -> dict[str, Topic | Task]:
    return {
        fold(translator(language)(label)): item
        for language in LANGUAGES
        for item, label in LABELS.items()
    }


def label_meaning(text: str) -> Topic | Task | None:
    """The topic or task whose menu label ``text`` is, in any language."""
    return _labels_in_every_language().get(fold(text))
