"""How figures read in coordinators' reports: "78/109 (71,6%)", level and scale names."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.labels import level_name, requirement_name
from locales import N_, Translator
from rules.scales import Level
from storage.audience import Headcount
from storage.reach import Reach

REACH_NAMES = {
    Reach.REACHABLE: N_("linked"),
    Reach.ON_VISIT: N_("web chat only"),
    Reach.NOT_LINKED: N_("no linked chat"),
    Reach.BLOCKED: N_("blocked the bot"),
}


def share(_: Translator, part: int, whole: int) -> str:
    """A count out of a total with its share, as boards print it: 78/109 (71,6%)."""
    return f"{_.number(part)}/{_.number(whole)} ({_.percent(part, whole)})"


def level_label(_: Translator, level: Level | None) -> str:
    """A level as a heading ("Đại học"); an unrecorded level as such."""
    if level is None:
        return _("Not recorded")
    name = level_name(_, level)
    return name[:1].upper() + name[1:]


def reach_name(_: Translator, reach: Reach) -> str:
    """How an official can be reached, in a word or two ("chưa liên kết")."""
    return _(REACH_NAMES[reach])


def scale_name(_: Translator, key: str) -> str:
    return requirement_name(_, key)


def local_time(_: Translator, moment: datetime, zone: ZoneInfo) -> str:
    """An aware datetime as local "HH:MM dd/mm/yyyy"."""
    return _.datetime(moment.astimezone(zone))


def headcount_text(_: Translator, count: Headcount) -> str:
    """ "Recipients: 37 officials. 5 of them cannot be reached (3 not linked, 2 blocked
    the bot)." """
    text = _.plural("Recipients: {n} official.", "Recipients: {n} officials.", count.total)
    if count.unreachable:
        text += " " + unreachable_text(_, count)
    if count.on_visit:
        text += " " + on_visit_text(_, count)
    return text


def unreachable_text(_: Translator, count: Headcount) -> str:
    return _.plural(
        "{n} of them cannot be reached ({not_linked} not linked, {blocked} blocked the bot).",
        "{n} of them cannot be reached ({not_linked} not linked, {blocked} blocked the bot).",
        count.unreachable,
        not_linked=count.not_linked,
        blocked=count.blocked,
    )


def on_visit_text(_: Translator, count: Headcount) -> str:
    """Web-chat-only officials: counted as reached, the message waits for their visit."""
    return _.plural(
        "{n} of them uses only the web chat and will see it on their next visit.",
        "{n} of them use only the web chat and will see it on their next visit.",
        count.on_visit,
    )
