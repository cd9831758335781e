"""/trangthai: the status card. Read at a glance on a phone: the verdict first ("Anh/chị còn
thiếu 2 tiêu chuẩn: …; hạn gần nhất 01/08/2028"), then each missing item with its deadline, the
title it comes from when the official holds several, and the course that closes it in time;
then the met items on one line, what is only for information (re-election age), and who and
under which document in force that day. The rule behind each line is one press away (the
"Căn cứ" button; a numbered option on Zalo and the terminal), so the card stays short.

``status_text`` is shared with `canbo status CODE`, which prints exactly the card the bot sends.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.courses import short_name
from handlers.formats import days_left
from handlers.labels import level_name, requirement_name, title_name, titles_name
from handlers.messages import Button, Reply
from handlers.records import Record, record
from locales import N_, Translator
from rules.evaluation import Confidence, Evaluation, RequirementResult, Status
from rules.profiles import Profile
from rules.requirements import PROFESSIONAL_FIELD, REELECTION, REFRESHER_KEY, TERM_AGE
from rules.standards import NOTE_AT_APPOINTMENT, NOTE_HOURS
from storage.callback_data import Citations
from storage.models import Official

CITATIONS = N_("Legal basis")
COURSE_NAME = 36  # characters of a course's name on the card


async def reply(context: Context, official: Official) -> Reply:
    text = await status_text(context.session, official, context.profile, context.today, context._)
    return Reply(text, buttons=((Button(context._(CITATIONS), Citations()),),))


async def status_text(
    session: AsyncSession, official: Official, profile: Profile, today: date, _: Translator
) -> str:
    """The card for ``official`` (with ``unit`` and titles loaded) on ``today``, under
    ``profile``: the one in force that day."""
    standing = await record(session, official, profile, today)
    result = standing.evaluation
    about = _(
        "{name}, {title}, {unit}. Standards of {document}, on {date}.",
        name=official.full_name,
        title=titles_name(_, official.posts),
        unit=official.unit.name,
        document=result.document,
        date=_.date(today),
    )
    if not result.results:
        return "\n".join([_("No standard of this profile applies to your title."), about])
    several = len(official.posts) > 1
    blocks = [verdict(_, standing)]
    blocks += [missing_item(_, r, standing, today, several) for r in result.missing]
    blocks += [f"❔ {requirement_name(_, r.key)}: {_finding(_, r)}" for r in result.unknown]
    if result.unknown and result.missing:  # else the verdict says it
        blocks.append("   " + _("Ask your organisation board to complete your record."))
    met = [r for r in result.results if r.status is Status.MET]
    if met:
        names = ", ".join(requirement_name(_, r.key) for r in met)
        blocks.append("✅ " + _("Met: {requirements}.", requirements=names))
    blocks += [f"ℹ️ {requirement_name(_, r.key)}: {_finding(_, r)}" for r in result.information]
    return "\n".join([*blocks, "", about])


def verdict(_: Translator, standing: Record) -> str:
    """The first line: what is missing and the nearest deadline, or that nothing is."""
    result = standing.evaluation
    if result.missing:
        names = ", ".join(requirement_name(_, r.key) for r in result.missing)
        text = _.plural(
            "You are missing {n} standard: {requirements}",
            "You are missing {n} standards: {requirements}",
            len(result.missing),
            requirements=names,
        )
        deadlines = [r.deadline for r in result.missing if r.deadline is not None]
        if deadlines:
            text += _("; nearest deadline {date}", date=_.date(min(deadlines)))
        return text + "."
    if result.unknown:
        names = ", ".join(requirement_name(_, r.key) for r in result.unknown)
        return _(
            "Your record lacks data for: {requirements}. Ask your organisation board to "
            "complete it.",
            requirements=names,
        )
    return _("You meet all the standards of your title.")


def missing_item(
    _: Translator, result: RequirementResult, standing: Record, today: date, several: bool
) -> str:
    """A missing item: what is needed (and for which title, when ``several`` are held), by
    when, and the open course that closes it in time."""
    notes = []
    if several and result.post is not None:  # the title whose requirement is strictest
        notes.append(title_name(_, result.post))
    if result.confidence is not Confidence.CONFIRMED:  # said on the card itself
        notes.append(_("rule not confirmed"))
    line = f"❌ {requirement_name(_, result.key)}: {_finding(_, result)}"
    lines = [line + (f" ({'; '.join(notes)})" if notes else "")]
    if result.deadline is not None:
        left = days_left(_, result.deadline, today)
        lines.append("   " + _("Due {date} ({left})", date=_.date(result.deadline), left=left))
    courses = standing.closing(result)
    if courses:
        course = courses[0]
        lines.append(
            "   "
            + _(
                "Course: {course}, starts {date}",
                course=short_name(course.name, COURSE_NAME),
                date=_.date(course.starts_on),
            )
        )
    elif result in standing.without_course():
        lines.append("   " + _("No open course fits yet."))
    return "\n".join(lines)


async def citations(context: Context, official: Official) -> Reply:
    """The rules behind the card (the "Căn cứ" button)."""
    standing = await record(context.session, official, context.profile, context.today)
    return Reply(citations_text(context._, standing.evaluation))


def citations_text(_: Translator, evaluation: Evaluation) -> str:
    """One line per requirement: the article it comes from, and how firmly it is known."""
    lines = [_("Legal basis:")]
    for result in evaluation.results:
        lines.append(f"• {requirement_name(_, result.key)}: {_citation(_, result)}")
    return "\n".join(lines)


def _citation(_: Translator, result: RequirementResult) -> str:
    text = str(result.citation)
    if result.deadline_citation is not None and result.status is not Status.MET:
        text += "; " + _("deadline: {citation}", citation=str(result.deadline_citation))
    if result.confidence is Confidence.REPORTED:
        text += " " + _("(reported, not confirmed in the regulation)")
    elif result.confidence is Confidence.UNCONFIRMED:
        text += " " + _("(commonly cited, not confirmed)")
    return text


def _finding(_: Translator, result: RequirementResult) -> str:
    """What was compared, in words: the level needed and held, months of working age, etc."""
    if result.key == TERM_AGE:
        return _term_age(_, result)
    if result.key == REELECTION:
        return _reelection(_, result)
    if result.key == REFRESHER_KEY:
        return _refresher(_, result)
    if result.key == PROFESSIONAL_FIELD:
        return _field(_, result)
    required = level_name(_, result.required)
    if result.status is Status.UNKNOWN:
        return _("{required} or higher needed; not in your record", required=required)
    actual = level_name(_, result.actual)
    if result.status is Status.MET:
        return _("{actual} (needed: {required})", actual=actual, required=required)
    if isinstance(result.actual, enum.Enum) and result.actual.value == "none":
        return _("{required} or higher needed, you have none", required=required)
    return _("{required} or higher needed, you have {actual}", required=required, actual=actual)


def _term_age(_: Translator, result: RequirementResult) -> str:
    assert isinstance(result.actual, int) and isinstance(result.required, int)
    if result.note == NOTE_AT_APPOINTMENT:
        return _.plural(
            "{n} month of working age left at your appointment, {required} needed",
            "{n} months of working age left at your appointment, {required} needed",
            result.actual,
            required=result.required,
        )
    return _.plural(
        "{n} month of working age left, {required} needed",
        "{n} months of working age left, {required} needed",
        result.actual,
        required=result.required,
    )


def _reelection(_: Translator, result: RequirementResult) -> str:
    """Information only: old enough to stand again at the next congress or election?"""
    assert isinstance(result.required, int) and result.term is not None
    start, end = result.term
    if isinstance(result.actual, int) and result.actual >= result.required:
        return _("old enough to stand again for the {start}–{end} term", start=start, end=end)
    if not isinstance(result.actual, int):
        return _("your birth date in the record is wrong")
    return _.plural(
        "not old enough to stand again for the {start}–{end} term: {n} month of working age "
        "left then, {required} needed",
        "not old enough to stand again for the {start}–{end} term: {n} months of working age "
        "left then, {required} needed",
        result.actual,
        start=start,
        end=end,
        required=result.required,
    )


def _refresher(_: Translator, result: RequirementResult) -> str:
    assert isinstance(result.actual, int | Decimal) and isinstance(result.required, int | Decimal)
    done, required = _.number(result.actual), _.number(result.required)
    if result.note == NOTE_HOURS:
        text = _("{done} of {required} hours this year", done=done, required=required)
    else:
        text = _("{done} of {required} courses this year", done=done, required=required)
    if result.status is Status.UNKNOWN:
        text += _("; some courses have no hours recorded")
    return text


def _field(_: Translator, result: RequirementResult) -> str:
    if result.status is Status.UNKNOWN:
        return _("your major or the field of your post is not in your record")
    if result.status is Status.MET:
        return _("{major} matches {field}", major=result.actual, field=result.required)
    return _(
        "your major {major} does not match the field {field}",
        major=result.actual,
        field=result.required,
    )
