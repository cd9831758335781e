"""Checking one official against a standard profile (rules.profiles).

Each requirement of each title the official holds gives one result: MET, MISSING, UNKNOWN when
the record lacks the data, or INFO for what is shown but never a gap. An official holding
several titles (kiêm nhiệm) must meet every title's requirements, so each requirement is
reported once, from the title whose result is strictest: a gap before a met one, then the
higher level or the fewer months to spare (``RequirementResult.post`` names the title).

- A qualification that is not met carries its deadline: the profile's transition (Nghị định
  33/2023 Điều 38: 01/08/2028), or in a difficult area the date the profile grants there (the
  2025 reform: 01/07/2030). A deadline already passed is still reported; the caller compares
  it with ``Evaluation.on``.
- Term age is a condition on first taking a post (Nghị định 33/2023 Điều 8: "khi tham gia giữ
  chức vụ lần đầu"), so it is measured on the appointment date, for appointments made under
  the rule. An official already in post who had fewer months then (a special case the
  competent body decided) is shown that as information, never as missing; one whose
  appointment is still ahead must meet it.
- Re-election (Chỉ thị 45-CT/TW) is information: the months of working age left at the body's
  next congress or election, against the threshold for standing again.

``RequirementResult.note`` holds one of the NOTE_* keys below, for presentation to translate.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rules import courses
from rules.evaluation import Evaluation, RequirementResult, Status
from rules.facts import OfficialFacts
from rules.fields import field_for, major_matches
from rules.profiles import Profile
from rules.refresher import refresher_progress
from rules.requirements import (
    GENERAL_EDUCATION,
    POLITICAL_THEORY,
    PROFESSIONAL_FIELD,
    PROFESSIONAL_LEVEL,
    REFRESHER_KEY,
    REQUIREMENT_KEYS,
    STATE_MANAGEMENT,
    TERM_AGE,
    Deadline,
    DifficultArea,
    FieldRequirement,
    LevelRequirement,
    ReelectionRequirement,
    RefresherRequirement,
    Requirement,
    TermAgeRequirement,
)
from rules.retirement import months_of_work_left
from rules.scales import Level, OrderedLevel, PoliticalTheory, ProfessionalLevel
from rules.terms import term_opened_by
from rules.titles import Post

NOTE_DIFFICULT_AREA = "difficult_area"  # the lower level accepted in difficult areas applied
NOTE_AT_APPOINTMENT = "at_appointment"  # term age measured on the appointment date
NOTE_COURSES = "courses"  # refresher counted in courses
NOTE_HOURS = "hours"  # refresher counted in hours

_TERMS = (TermAgeRequirement, ReelectionRequirement)
# How much a result weighs when several titles set the same requirement: the worst first.
_SEVERITY = {Status.MISSING: 3, Status.UNKNOWN: 2, Status.INFO: 1, Status.MET: 0}


def evaluate(
    official: OfficialFacts, profile: Profile, on: date, *, terms: bool = True
) -> Evaluation:
    """Every requirement of the official's titles, checked on ``on``. ``terms=False`` leaves
    out term age and re-election, which never set a deadline: for callers that only act on
    qualification gaps and refreshers (the planner, audiences, reports)."""
    posts = official.posts if len(official.posts) < 2 else tuple(dict.fromkeys(official.posts))
    found = [
        result
        for post in posts
        for requirement in profile.requirements_for(post)
        if (terms or not isinstance(requirement, _TERMS))
        and (result := _check(requirement, official, profile, on, post)) is not None
    ]
    if len(posts) > 1:
        found = _strictest(found)
    return Evaluation(profile=profile.name, document=profile.document, on=on, results=tuple(found))


def _strictest(results: list[RequirementResult]) -> list[RequirementResult]:
    """One result per key: the strictest, in the order of ``REQUIREMENT_KEYS``."""
    chosen: dict[str, RequirementResult] = {}
    for result in results:
        current = chosen.get(result.key)
        if current is None or _weight(result) > _weight(current):
            chosen[result.key] = result
    return sorted(chosen.values(), key=lambda r: REQUIREMENT_KEYS.index(r.key))


def _weight(result: RequirementResult) -> tuple[int, int, int]:
    """Status first; then the stricter requirement (higher level, fewer months to spare);
    then the sooner deadline."""
    if isinstance(result.required, OrderedLevel):
        demand = result.required.rank
    elif isinstance(result.required, int) and isinstance(result.actual, int):
        demand = result.required - result.actual
    else:
        demand = 0
    sooner = -result.deadline.toordinal() if result.deadline else -date.max.toordinal()
    return _SEVERITY[result.status], demand, sooner


def _check(
    requirement: Requirement, official: OfficialFacts, profile: Profile, on: date, post: Post
) -> RequirementResult | None:
    match requirement:
        case LevelRequirement():
            actual = _actual_level(official, requirement.scale)
            return _level_result(requirement, official.difficult_area, actual, post)
        case FieldRequirement():
            return _field(requirement, official, profile, post)
        case TermAgeRequirement():
            return _term_age(requirement, official, on, post)
        case ReelectionRequirement():
            return _reelection(requirement, official, profile, on, post)
        case RefresherRequirement():
            return _refresher(requirement, official, on, post)


def _actual_level(official: OfficialFacts, scale: str) -> Level | None:
    levels: dict[str, Level | None] = {
        GENERAL_EDUCATION: official.general_education,
        PROFESSIONAL_LEVEL: official.professional_level,
        POLITICAL_THEORY: official.political_theory,
        STATE_MANAGEMENT: official.state_management,
    }
    return levels[scale]


@lru_cache(maxsize=4096)  # the same few (level, area, title) recur across a whole province
def _level_result(
    requirement: LevelRequirement, difficult_area: bool, actual: Level | None, post: Post
) -> RequirementResult:
    area = requirement.difficult_area if difficult_area else None
    lowered = area is not None and area.minimum is not None
    required = (
        area.minimum if area is not None and area.minimum is not None else requirement.minimum
    )
    if actual is None:
        status = Status.UNKNOWN
    else:
        status = Status.MET if actual >= required else Status.MISSING
    return _qualification(
        requirement.key,
        requirement,
        area,
        status,
        required,
        actual,
        NOTE_DIFFICULT_AREA if lowered else None,
        post,
    )


def _field(
    requirement: FieldRequirement, official: OfficialFacts, profile: Profile, post: Post
) -> RequirementResult:
    field = requirement.field or field_for(profile.fields, post.field)
    if field is None or not official.major:
        status = Status.UNKNOWN
    else:
        matched = major_matches(profile.fields[field], official.major, profile.false_friends)
        status = Status.MET if matched else Status.MISSING
    area = requirement.difficult_area if official.difficult_area else None
    return _qualification(
        PROFESSIONAL_FIELD, requirement, area, status, field, official.major, None, post
    )


def _qualification(
    key: str,
    requirement: LevelRequirement | FieldRequirement,
    area: DifficultArea | None,
    status: Status,
    required: object,
    actual: object,
    note: str | None,
    post: Post,
) -> RequirementResult:
    """A qualification result, with the deadline that applies when it is not met: the one a
    difficult area grants, else the requirement's own."""
    deadline: Deadline | None = None
    if status is not Status.MET:
        if area is not None and area.deadline is not None:
            deadline = Deadline(area.deadline, area.citation)
        else:
            deadline = requirement.deadline
    return RequirementResult(
        key=key,
        status=status,
        required=required,
        actual=actual,
        deadline=deadline.on if deadline else None,
        citation=requirement.citation,
        note=note,
        confidence=requirement.confidence,
        # named apart only when another rule than the requirement's own sets it
        deadline_citation=(
            deadline.citation
            if deadline is not None and deadline.citation != requirement.citation
            else None
        ),
        post=post,
    )


def _term_age(
    requirement: TermAgeRequirement, official: OfficialFacts, on: date, post: Post
) -> RequirementResult | None:
    """Measured on the appointment date; nothing to say when it is unknown or the post was
    taken before the rule."""
    appointed = official.appointed_on
    if appointed is None or appointed < requirement.since:
        return None
    left = _months_left(official, appointed)
    if left is None:
        status = Status.UNKNOWN
    elif left >= requirement.months:
        status = Status.MET
    else:
        status = Status.MISSING if appointed > on else Status.INFO
    return RequirementResult(
        key=TERM_AGE,
        status=status,
        required=requirement.months,
        actual=left,
        deadline=None,
        citation=requirement.citation,
        note=NOTE_AT_APPOINTMENT,
        confidence=requirement.confidence,
        post=post,
        measured_on=appointed,
    )


def _reelection(
    requirement: ReelectionRequirement,
    official: OfficialFacts,
    profile: Profile,
    on: date,
    post: Post,
) -> RequirementResult | None:
    election = profile.next_election(requirement.body, on)
    if election is None:
        return None
    return RequirementResult(
        key=requirement.key,
        status=Status.INFO,
        required=requirement.months,
        actual=_months_left(official, election),
        deadline=None,
        citation=requirement.citation,
        confidence=requirement.confidence,
        post=post,
        measured_on=election,
        term=term_opened_by(election),
    )


def _months_left(official: OfficialFacts, at: date) -> int | None:
    """Months of working age from ``at``; None when the record's birth date is after it."""
    if official.birth_date > at:
        return None
    return months_of_work_left(official.birth_date, official.gender, at)


def _refresher(
    requirement: RefresherRequirement, official: OfficialFacts, on: date, post: Post
) -> RequirementResult:
    progress = refresher_progress(requirement, official.trainings, on.year)
    return RequirementResult(
        key=requirement.key,
        status=progress.status,
        required=progress.required,
        actual=progress.done,
        deadline=progress.deadline,
        citation=requirement.citation,
        note=NOTE_HOURS if requirement.hours_per_year is not None else NOTE_COURSES,
        confidence=requirement.confidence,
        post=post,
    )


def closing_course_kinds(result: RequirementResult) -> set[str]:
    """The course kinds (rules.courses keys) whose completion closes a MISSING requirement.

    Empty when the requirement is met or undecided, or no course closes it (general education,
    term age). A political-theory gap is closed by the course of the required level.
    """
    if result.status is not Status.MISSING:
        return set()
    if result.key in (PROFESSIONAL_LEVEL, PROFESSIONAL_FIELD):
        beyond_degree = (
            isinstance(result.required, ProfessionalLevel)
            and result.required > ProfessionalLevel.UNIVERSITY
        )
        return {courses.OTHER if beyond_degree else courses.UNIVERSITY}
    if result.key == POLITICAL_THEORY:
        if result.required is PoliticalTheory.ADVANCED:
            return {courses.LLCT_ADVANCED}
        if result.required is PoliticalTheory.INTERMEDIATE:
            return {courses.LLCT_INTERMEDIATE}
        return {courses.OTHER}
    if result.key == STATE_MANAGEMENT:
        return {courses.STATE_MANAGEMENT}
    if result.key == REFRESHER_KEY:
        return {courses.REFRESHER}
    return set()
