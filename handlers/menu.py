"""The reply keyboard of main topics. Pressing a label sends it as text, so a label in either
language means its topic."""

from __future__ import annotations

from handlers.topics import Topic
from locales import LANGUAGES, N_, Translator, translator
from rules.text import fold

LABELS: dict[Topic, str] = {
    Topic.STATUS: N_("Standards status"),
    Topic.DEADLINES: N_("Training deadlines"),
    Topic.BOND: N_("Bond"),
    Topic.COURSES: N_("Courses"),
    Topic.SETTINGS: N_("Settings"),
    Topic.HELP: N_("Help"),
}

_LAYOUT = (
    (Topic.STATUS, Topic.DEADLINES),
    (Topic.BOND, Topic.COURSES),
    (Topic.SETTINGS, Topic.HELP),
)


def menu(_: Translator) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_(LABELS[topic]) for topic in row) for row in _LAYOUT)


def _labels_in_every_language() -> dict[str, Topic]:
    return {
        fold(translator(language)(label)): topic
        for language in LANGUAGES
        for topic, label in LABELS.items()
    }


def topic_for_label(text: str) -> Topic | None:
    """The topic whose menu label ``text`` is, in any language."""
    return _labels_in_every_language().get(fold(text))
