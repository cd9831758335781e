"""Outbox payloads as text in the recipient's language, rendered when sent, not when planned.

Several reminders due for one person at once become one numbered message; each reminder the
official can act on gets the three answer buttons, whose data names the outbox row
(storage.callback_data.AnswerReminder).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from locales import N_, Translator, translator
from scheduler import kinds
from scheduler.delivery import Outgoing
from storage import broadcasts, evidence, reach, registrations
from storage.callback_data import AnswerReminder, encode
from storage.models import AnswerKind, EvidenceKind, EvidenceStatus

LIST_LIMIT = 10  # names per digest section; the rest are counted

REQUIREMENTS = {
    "general_education": N_("general education"),
    "professional_level": N_("professional level"),
    "professional_field": N_("a degree in the field of the post"),
    "political_theory": N_("political theory"),
    "state_management": N_("state management"),
    "term_age": N_("working age for a full term"),
    "refresher": N_("yearly refresher training"),
}
STEPS = {
    "selection": N_("selection"),
    "school": N_("training at the provincial political school"),
    "district_placement": N_("placement in district departments"),
    "commune_assignment": N_("commune assignment"),
    "probation": N_("probation"),
}


@dataclass(frozen=True)
class Item:
    """One outbox row to render."""

    outbox_id: int
    kind: str
    payload: dict[str, Any]


def render(items: Sequence[Item], language: str, snooze_days: int = 3) -> Outgoing:
    """One message for ``items``, all for the same recipient; several are numbered, and so
    are their buttons."""
    if len(items) == 1 and items[0].kind == broadcasts.KIND:
        # an announcement goes alone (dispatcher.batches), exactly as its author previewed it
        text, buttons = broadcasts.render(items[0].payload, language)
        return Outgoing(text, buttons)
    _ = translator(language)
    single = len(items) == 1
    texts = [line(_, item.kind, item.payload) for item in items]
    rows = tuple(
        _buttons(_, item.outbox_id, snooze_days, "" if single else f" ({number})")
        for number, item in enumerate(items, 1)
        if item.kind in kinds.ANSWERABLE
    )
    if single:
        return Outgoing(texts[0], rows)
    header = _.plural("You have {n} reminder:", "You have {n} reminders:", len(items))
    numbered = [f"{number}. {text}" for number, text in enumerate(texts, 1)]
    return Outgoing("\n\n".join([header, *numbered]), rows)


def _buttons(
    _: Translator, outbox_id: int, snooze_days: int, suffix: str
) -> tuple[tuple[str, str], ...]:
    labels = {
        AnswerKind.DONE: _("Registered"),
        AnswerKind.SNOOZE: _.plural("Remind me in {n} day", "Remind me in {n} days", snooze_days),
        AnswerKind.DECLINE: _("Cannot attend"),
    }
    return tuple(
        (label + suffix, encode(AnswerReminder(outbox_id, answer)))
        for answer, label in labels.items()
    )


def answer_reply(language: str, result: str, snooze_days: int = 3) -> str:
    """What the bot says after a reminder button (``result``: scheduler.answers.AnswerResult)."""
    _ = translator(language)
    replies = {
        "done": lambda: _("Thank you. You will get no more reminders about this."),
        "snoozed": lambda: _.plural(
            "I will remind you again in {n} day.",
            "I will remind you again in {n} days.",
            snooze_days,
        ),
        "declined": lambda: _("Noted. Your coordinator has been told that you cannot attend."),
        "already_answered": lambda: _("You have already answered this reminder."),
    }
    return replies.get(result, lambda: _("This reminder is no longer available."))()


def line(_: Translator, kind: str, payload: dict[str, Any]) -> str:
    """The text of one reminder."""
    return _LINES[kind](_, payload)


def _date(_: Translator, iso: str) -> str:
    return _.date(date.fromisoformat(iso))


def requirement(_: Translator, key: str) -> str:
    return _(REQUIREMENTS[key]) if key in REQUIREMENTS else key


def step_name(_: Translator, payload: dict[str, Any]) -> str:
    key = payload["step"]
    return _(STEPS[key])


Line = Callable[[Translator, dict[str, Any]], str]
Field = Callable[[Translator, dict[str, Any]], object]


def _text(message: str, *keys: str, **fields: Field) -> Line:
    """A line that is one ``message``: the parameters named in ``keys`` are the payload's
    values as they are, those in ``fields`` are worked out from the payload."""

    def _line(_: Translator, p: dict[str, Any]) -> str:
        params = {key: p[key] for key in keys}
        return _(message, **params, **{name: field(_, p) for name, field in fields.items()})

    return _line


def _on(key: str) -> Field:
    """The payload's ISO date at ``key``, written for the reader."""
    return lambda _, p: _date(_, p[key])


def _requirement(_: Translator, p: dict[str, Any]) -> str:
    return requirement(_, p["requirement"])


def _standards(_: Translator, p: dict[str, Any]) -> str:
    text = _(
        "You must meet the standard for {requirement} by {date}.",
        requirement=requirement(_, p["requirement"]),
        date=_date(_, p["deadline"]),
    )
    if p.get("course"):
        advice = _(
            "The course {course}, starting {date}, would close this gap.",
            course=p["course"],
            date=_date(_, p["course_starts_on"]),
        )
    else:
        advice = _("No open course closes this gap yet; please ask your coordinator.")
    return f"{text} {advice}"


def _bond(_: Translator, p: dict[str, Any]) -> str:
    ends = _date(_, p["ends_on"])
    step = p["step"]
    if step == "start":
        return _(
            "Your service commitment starts on {date} and ends on {end}.",
            date=_date(_, p["on"]),
            end=ends,
        )
    if step == "anniversary":
        return _.plural(
            "You have served {n} year of your service commitment; it ends on {end}.",
            "You have served {n} years of your service commitment; it ends on {end}.",
            int(p["years"]),
            end=ends,
        )
    if step == "before_end":
        return _.plural(
            "Your service commitment ends in {n} day, on {end}.",
            "Your service commitment ends in {n} days, on {end}.",
            int(p["days"]),
            end=ends,
        )
    return _("Your service commitment ends on {end}. Thank you for your service.", end=ends)


def _escalate_declined(_: Translator, p: dict[str, Any]) -> str:
    answered = p["reminder"]
    return _(
        "{official} ({unit}) answered “Cannot attend” to this reminder: {reminder}",
        official=p["official"],
        unit=p["unit"],
        reminder=line(_, answered["kind"], answered["payload"]),
    )


def _digest(_: Translator, p: dict[str, Any]) -> str:
    parts = [_("Weekly summary for {units}", units=", ".join(p["units"]))]
    if p.get("reach", {}).get("officials"):  # a digest queued before reach was counted lacks it
        parts.append(_reach_line(_, p["reach"]))
    sections = (
        ("missing", N_("Not meeting the standards ({n}):"), _missing_entry),
        ("no_course", N_("No open course fits their gap ({n}):"), _missing_entry),
        ("due", N_("Due in the next {days} days ({n}):"), _due_entry),
        ("unreachable", N_("Cannot be reached ({n}):"), _unreachable_entry),
    )
    for key, heading, entry in sections:
        section = p.get(key)  # a digest queued before a section existed lacks it
        if not section or not section["total"]:
            continue
        lines = [_(heading, n=section["total"], days=p["horizon_days"])]
        lines += [f"• {entry(_, item)}" for item in section["items"]]
        hidden = section["total"] - len(section["items"])
        if hidden > 0:
            lines.append(_.plural("… and {n} more", "… and {n} more", hidden))
        parts.append("\n".join(lines))
    if len(parts) == 1:
        parts.append(_("Nothing to report this week."))
    return "\n\n".join(parts)


def _reach_line(_: Translator, counts: dict[str, Any]) -> str:
    """How many of the officials covered each channel reaches, in storage.reach's order."""
    found = counts["channels"]
    ways = [
        f"{_(name)} {_.number(found[channel.value])}"
        for channel, name in reach.NAMES.items()
        if found.get(channel.value)
    ]
    return _.plural(
        "Reach of the {n} official: {ways}",
        "Reach of the {n} officials: {ways}",
        counts["officials"],
        ways=" · ".join(ways) or _("no channel"),
    )


def _missing_entry(_: Translator, item: dict[str, Any]) -> str:
    missing = ", ".join(requirement(_, key) for key in item["requirements"])
    return f"{item['official']} ({item['unit']}): {missing}"


def _due_entry(_: Translator, item: dict[str, Any]) -> str:
    what = _DUE[item["kind"]](_, item["payload"])
    return f"{_date(_, item['date'])}: {item['official']} ({item['unit']}): {what}"


def _unreachable_entry(_: Translator, item: dict[str, Any]) -> str:
    reasons = {
        "not_linked": lambda: _("not linked"),
        "missed": lambda: _("a message this week reached them by no channel"),
    }
    reason = reasons.get(item["reason"], lambda: _("blocked the bot"))()
    return f"{item['official']} ({item['unit']}): {reason}"


_DUE: dict[str, Line] = {
    kinds.COURSE_START: _text(N_("course {course} starts"), "course"),
    kinds.ENROL_BY: _text(N_("enrolment for {course} closes"), "course"),
    kinds.REFRESHER: _text(N_("refresher training for {year}"), "year"),
    kinds.STANDARDS: _text(N_("deadline for {requirement}"), requirement=_requirement),
    kinds.BOND: _text(N_("service commitment ends")),
    kinds.PROGRAMME_STEP: _text(N_("{programme}: {step} starts"), "programme", step=step_name),
}


def _registration_decided(_: Translator, p: dict[str, Any]) -> str:
    if p["decision"] == registrations.CONFIRMED:
        return _(
            "Your organisation board confirmed your place in {course}, starting {starts_on}.",
            course=p["course"],
            starts_on=_date(_, p["starts_on"]),
        )
    return _(
        "Your organisation board declined your registration for {course}: {reason}",
        course=p["course"],
        reason=p["reason"],
    )


def _evidence_decided(_: Translator, p: dict[str, Any]) -> str:
    what = evidence.name(_, EvidenceKind(p["kind"]))
    if p["decision"] == EvidenceStatus.CONFIRMED.value:
        return _(
            "Your organisation board checked the file you sent ({what}) and updated your record.",
            what=what,
        )
    return _(
        "Your organisation board could not accept the file you sent ({what}): {reason}",
        what=what,
        reason=p["reason"],
    )


_LINES: dict[str, Line] = {
    kinds.COURSE_START: _text(
        N_("Your course {course} starts on {date}."), "course", date=_on("starts_on")
    ),
    kinds.ENROL_BY: _text(
        N_(
            "Enrolment for {course} (starting {start}) closes on {date}. "
            "The course would close your gap in {requirement}."
        ),
        "course",
        start=_on("starts_on"),
        date=_on("enroll_by"),
        requirement=_requirement,
    ),
    kinds.REFRESHER: _text(
        N_(
            "You have not yet completed the refresher training required for {year}. "
            "Please attend a refresher course before the end of the year."
        ),
        "year",
    ),
    kinds.STANDARDS: _standards,
    kinds.BOND: _bond,
    kinds.PROGRAMME_STEP: _text(
        N_("{programme}: the step “{step}” starts on {date}."),
        "programme",
        step=step_name,
        date=_on("starts_on"),
    ),
    kinds.ESCALATE_STANDARDS: _text(
        N_(
            "{official} ({unit}) does not yet meet the standard for {requirement}, due {date}, "
            "and has no course booked."
        ),
        "official",
        "unit",
        requirement=_requirement,
        date=_on("deadline"),
    ),
    kinds.ESCALATE_REFRESHER: _text(
        N_("{official} ({unit}) has not completed the refresher training for {year}."),
        "official",
        "unit",
        "year",
    ),
    kinds.ESCALATE_DECLINED: _escalate_declined,
    kinds.DIGEST: _digest,
    kinds.REGISTRATION_DECIDED: _registration_decided,
    kinds.EVIDENCE_DECIDED: _evidence_decided,
    kinds.EVIDENCE_SENT: _text(
        N_("{name} ({code}, {unit}) sent {what} to be checked: see Evidence in the console."),
        "code",
        "unit",
        name=lambda _, p: p["official"],
        what=lambda _, p: evidence.name(_, EvidenceKind(p["kind"])),
    ),
    kinds.COURSE_REGISTRATION: _text(
        N_(
            "{name} ({code}, {unit}) registered for the course {course} ({course_code}), "
            "starting {starts_on}. Confirm or decline the place under Registrations in the "
            "console."
        ),
        "code",
        "unit",
        "course",
        "course_code",
        name=lambda _, p: p["official"],
        starts_on=_on("starts_on"),
    ),
}
