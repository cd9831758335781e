"""/trangthai: does the official meet the standards of their title, what is missing, by when,
under which rule, and which open courses would close each gap.

``status_text`` is shared with `canbo status CODE`, which prints exactly what the bot sends.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.context import Context
from handlers.courses import course_line
from handlers.formats import days_left
from handlers.labels import level_name, requirement_name, title_name, titles_name
from handlers.messages import Reply
from handlers.records import record
from locales import Translator
from rules.evaluation import Confidence, RequirementResult, Status
from rules.profiles import Profile
from rules.requirements import PROFESSIONAL_FIELD, REELECTION, REFRESHER_KEY, TERM_AGE
from rules.standards import NOTE_AT_APPOINTMENT, NOTE_HOURS, closing_course_kinds
from storage.models import Course, Official

MARKS = {Status.MET: "✅", Status.MISSING: "❌", Status.UNKNOWN: "❔", Status.INFO: "ℹ️"}
COURSES_PER_GAP = 3


async def reply(context: Context, official: Official) -> Reply:
    text = await status_text(context.session, official, context.profile, context.today, context._)
    return Reply(text)


async def status_text(
    session: AsyncSession, official: Official, profile: Profile, today: date, _: Translator
) -> str:
    """The status message for ``official`` (with ``unit`` and titles loaded) on ``today``,
    under ``profile``: the one in force that day."""
    standing = await record(session, official, profile, today)
    result, courses = standing.evaluation, standing.open_courses
    lines = [
        _(
            "{name}, {title}, {unit}",
            name=official.full_name,
            title=titles_name(_, official.posts),
            unit=official.unit.name,
        ),
        _("Standards of {document}, on {date}:", document=result.document, date=_.date(today)),
        "",
    ]
    if not result.results:
        lines.append(_("No standard of this profile applies to your title."))
        return "\n".join(lines)
    several = len(official.posts) > 1
    for requirement in result.results:
        lines.extend(_requirement(_, requirement, today, courses, several))
    lines.append("")
    if result.meets_all:
        lines.append(_("You meet all the standards of your title."))
    if result.missing:
        names = ", ".join(requirement_name(_, r.key) for r in result.missing)
        lines.append(_("Missing: {requirements}.", requirements=names))
    if result.unknown:
        names = ", ".join(requirement_name(_, r.key) for r in result.unknown)
        lines.append(
            _(
                "Your record lacks data for: {requirements}. Ask your organisation board to "
                "complete it.",
                requirements=names,
            )
        )
    return "\n".join(lines)


def _requirement(
    _: Translator, result: RequirementResult, today: date, courses: list[Course], several: bool
) -> list[str]:
    line = f"{MARKS[result.status]} {requirement_name(_, result.key)}: {_finding(_, result)}"
    if several and result.post is not None:  # the title whose requirement is strictest
        line += f" ({title_name(_, result.post)})"
    lines = [line]
    if result.deadline is not None and result.status is not Status.MET:
        lines.append(
            "   "
            + _(
                "Deadline: {date} ({left})",
                date=_.date(result.deadline),
                left=days_left(_, result.deadline, today),
            )
        )
    lines.append("   " + _citation(_, result))
    kinds = closing_course_kinds(result)
    for course in [c for c in courses if c.kind.value in kinds][:COURSES_PER_GAP]:
        lines.append("   " + _("Course: {course}", course=course_line(_, course)))
    return lines


def _citation(_: Translator, result: RequirementResult) -> str:
    text = _("Rule: {citation}", citation=str(result.citation))
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
