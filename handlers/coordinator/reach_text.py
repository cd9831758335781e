"""The reach report as text (`canbo report reach`): how many officials each channel reaches,
who is reached by none and why, and this month's paid ZNS messages."""

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
            why = ", ".join(_(REASONS[reason]) for reason in person.why.split("+"))
            lines.append(f"• {person.official} ({person.code}, {person.unit}): {why}")
        rest = len(report.unreached) - LIST_LIMIT
        if rest > 0:
            lines.append(_.plural("… and {n} more", "… and {n} more", rest))
    if any(channel == ZNS for channel, _count in report.channels) or report.zns_paid:
        month = f"{report.month[5:]}/{report.month[:4]}"
        lines += [
            "",
            _.plural(
                "ZNS in {month}: {n} message sent (paid)",
                "ZNS in {month}: {n} messages sent (paid)",
                report.zns_paid,
                month=month,
            ),
        ]
    return "\n".join(lines)
