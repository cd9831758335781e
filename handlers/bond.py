"""/camket: where the official's service bond stands, what leaving today would cost, and the
next milestone, under the rule in force when the official was sent for training (rules.bonds:
Nghị định 101/2017/NĐ-CP before 01/07/2025, Nghị định 171/2025/NĐ-CP from then)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from handlers.context import Context
from handlers.formats import days_left, progress_bar
from handlers.messages import Reply
from locales import N_, Translator
from rules.bonds import (
    BondOutcome,
    bond_end,
    milestones,
    months_served,
    reimbursement,
    reimbursement_rule,
)
from rules.evaluation import Confidence
from storage.models import Bond, Official, Programme


async def reply(context: Context, official: Official) -> Reply:
    _ = context._
    bonds = list(
        await context.session.scalars(
            select(Bond)
            .where(Bond.official_id == official.id, Bond.ended_on.is_(None))
            .options(selectinload(Bond.course))
            .order_by(Bond.starts_on)
        )
    )
    if not bonds:
        return Reply(_("You have no service bond in progress."))
    parts = []
    for bond in bonds:
        programme = (
            await context.session.get(Programme, bond.programme_id) if bond.programme_id else None
        )
        parts.append(bond_text(_, bond, programme, context.today))
    return Reply("\n\n".join(parts))


def bond_text(_: Translator, bond: Bond, programme: Programme | None, today: date) -> str:
    end = bond_end(bond.starts_on, bond.months)
    served = min(months_served(bond.starts_on, today), bond.months)
    if bond.course is not None:
        lines = [_("Service bond after the course {course}", course=bond.course.name)]
    elif programme is not None:
        lines = [_("Service bond of the programme {programme}", programme=programme.name)]
    else:
        lines = [_("Service bond")]
    lines += [
        _("Start: {start} · End: {end}", start=_.date(bond.starts_on), end=_.date(end)),
        _(
            "Served: {served} of {months} months, {left} left",
            served=served,
            months=bond.months,
            left=bond.months - served,
        ),
        f"{progress_bar(served, bond.months)} {_.percent(served, bond.months)}",
    ]
    if end <= today:
        lines.append(_("Your bond was fulfilled on {date}; nothing to repay.", date=_.date(end)))
        return "\n".join(lines)
    lines.append(_reimbursement(_, bond, served))
    upcoming = [(name, day) for name, day in milestones(bond.starts_on, bond.months) if day > today]
    name, day = upcoming[0]
    lines.append(
        _(
            "Next milestone: {milestone} on {date} ({left})",
            milestone=_milestone(_, name),
            date=_.date(day),
            left=days_left(_, day, today),
        )
    )
    return "\n".join(lines)


def _reimbursement(_: Translator, bond: Bond, served: int) -> str:
    if bond.cost is None:
        return _("The training cost is not in your record, so what leaving would cost is unknown.")
    amount = reimbursement(bond.cost, bond.months, served)
    # the sending date decides the rule; a bond that does not record it started after it
    rule = reimbursement_rule(sent_on=bond.sent_on or bond.starts_on)
    template = (
        N_(
            "F: training cost, T1: months required, T2: months served ({citation}). "
            "Exempt: a transfer ordered by a competent authority, or no diploma through "
            "serious illness or disaster ({exemption})."
        )
        if BondOutcome.TRANSFERRED_OUTSIDE in rule.exempt
        else N_(
            "F: training cost, T1: months required, T2: months served ({citation}). Exempt: "
            "a transfer, rotation or secondment within the political system, or no diploma "
            "through serious illness, natural disaster or epidemic ({exemption})."
        )
    )
    exempt = _(template, citation=str(rule.citation), exemption=str(rule.exemption_citation))
    if rule.confidence is Confidence.REPORTED:
        exempt += " " + _("(reported, not confirmed in the regulation)")
    return "\n".join(
        [
            _("If you left today you would repay {amount}:", amount=_.money(amount)),
            f"S = F / T1 × (T1 − T2) = {_.money(bond.cost)} / {bond.months} × "
            f"({bond.months} − {served}) = {_.money(amount)}",
            exempt,
        ]
    )


def _milestone(_: Translator, name: str) -> str:
    if name == "start":
        return _("the bond starts")
    if name == "end":
        return _("the bond ends")
    if name.startswith("anniversary_"):
        years = int(name.removeprefix("anniversary_"))
        return _.plural("{n} year served", "{n} years served", years)
    days = int(name.removeprefix("ends_in_").removesuffix("_days"))
    return _.plural("{n} day before the end", "{n} days before the end", days)
