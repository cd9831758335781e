"""The reach report as text (`canbo report reach`): how many officials each channel reaches,
who is reached by none and why, and this month's paid ZNS messages. The console's reach page
says the reasons and the paid messages in the same words (``why_text``, ``paid_text``)."""

from __future__ import annotations

from handlers.coordinator.figures import share
from locales import N_, Translator
from storage import reach
from storage.models import Channel
from storage.reports.reach import BLOCKED, NO_CHAT, NO_PHONE, ZNS, ZNS_REFUSED, ReachReport

LIST_LIMIT = 30  # names listed; the rest are counted

REASONS = {
    NO_CHAT: N_("no linked chat"),
    BLOCKED: N_("every linked chat refuses messages"),
    NO_PHONE: N_("no mobile number in the roster"),
    ZNS_REFUSED: N_("ZNS refused the number"),
}


def reach_text(_: Translator, report: ReachReport) -> str:
    lines = [
        _("Reach of officials: {unit}", unit=report.name),
        _.plural("{n} official", "{n} officials", report.officials),
    ]
    for channel, count in report.channels:
        name = _(reach.NAMES[Channel(channel)])
        lines.append(f"• {name}: {share(_, count, report.officials)}")
    lines.append(
        _("Reached by at least one: {share}", share=share(_, report.reached, report.officials))
    )
    if report.unreached:
        lines += ["", _("Reached by none ({n}):", n=_.number(len(report.unreached)))]
        for person in report.unreached[:LIST_LIMIT]:
            why = why_text(_, person.why)
            lines.append(f"• {person.official} ({person.code}, {person.unit}): {why}")
        rest = len(report.unreached) - LIST_LIMIT
        if rest > 0:
            lines.append(_.plural("… and {n} more", "… and {n} more", rest))
    paid = paid_text(_, report)
    if paid:
        lines += ["", paid]
    return "\n".join(lines)


def why_text(_: Translator, why: str) -> str:
    """The reasons an official is reached by none ("no linked chat, ZNS refused the number")."""
    return ", ".join(_(REASONS[reason]) for reason in why.split("+"))


def paid_text(_: Translator, report: ReachReport) -> str:
    """This month's paid ZNS messages, when ZNS is set up or sent some; else empty."""
    if not any(channel == ZNS for channel, _count in report.channels) and not report.zns_paid:
        return ""
    return _.plural(
        "ZNS in {month}: {n} message sent (paid)",
        "ZNS in {month}: {n} messages sent (paid)",
        report.zns_paid,
        month=f"{report.month[5:]}/{report.month[:4]}",
    )
