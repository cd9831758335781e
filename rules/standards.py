"""Checking one official against a standard profile (rules/profiles.py).

Each requirement of the official's title gives one result: MET, MISSING, or UNKNOWN when the
record lacks the data. A qualification that is not met carries its deadline: the profile's
transition date (Nghị định 33/2023 Điều 38: 01/08/2028), or in a difficult area the date the
profile grants there (the 2025 reform: 01/07/2030). A deadline already passed is still reported;
the caller compares it with ``Evaluation.on``.

Term age (Nghị định 33/2023 Điều 8; Chỉ thị 45-CT/TW) is a condition for taking a post, so it is
measured when the official took it if that was under this profile (appointed on or after its
effective date). For an official already in post before, or whose appointment date is unknown,
it is measured on ``on`` against the re-election threshold when the profile has one (they would
stand again), else against the full term: can they still be (re)appointed today.

``RequirementResult.note`` holds one of the NOTE_* keys below, for presentation to translate.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rules import courses
from rules.evaluation import Evaluation, RequirementResult, Status
from rules.facts import OfficialFacts
from rules.fields import field_for, major_matches
from rules.profiles import (
    GENERAL_EDUCATION,
    LEVEL_SCALES,
    POLITICAL_THEORY,
    PROFESSIONAL_FIELD,
    PROFESSIONAL_LEVEL,
    REFRESHER_KEY,
    STATE_MANAGEMENT,
    TERM_AGE,
    Profile,
    Requirement,
)
from rules.refresher import refresher_progress
from rules.retirement import months_of_work_left
from rules.scales import Level, PoliticalTheory, ProfessionalLevel

NOTE_DIFFICULT_AREA = "difficult_area"  # the lower level accepted in difficult areas applied
NOTE_AT_APPOINTMENT = "at_appointment"  # term age measured on the appointment date
NOTE_REELECTION = "reelection"  # term age measured on ``on`` against the re-election threshold
NOTE_COURSES = "courses"  # refresher counted in courses
NOTE_HOURS = "hours"  # refresher counted in hours


def evaluate(official: OfficialFacts, profile: Profile, on: date) -> Evaluation:
    """Every requirement of the official's title, checked on ``on``."""
    results = tuple(
        _check(requirement, official, profile, on)
        for requirement in profile.requirements_for(official.title)
    )
    return Evaluation(profile=profile.name, on=on, results=results)


def _check(
    requirement: Requirement, official: OfficialFacts, profile: Profile, on: date
) -> RequirementResult:
    if requirement.key in LEVEL_SCALES:
        return _level(requirement, official)
    if requirement.key == PROFESSIONAL_FIELD:
        return _field(requirement, official, profile)
    if requirement.key == TERM_AGE:
        return _term_age(requirement, official, profile, on)
    if requirement.key == REFRESHER_KEY:
        return _refresher(requirement, official, on)
    raise ValueError(f"no check for requirement {requirement.key!r}")


def _actual_level(official: OfficialFacts, key: str) -> Level | None:
    levels: dict[str, Level | None] = {
        GENERAL_EDUCATION: official.general_education,
        PROFESSIONAL_LEVEL: official.professional_level,
        POLITICAL_THEORY: official.political_theory,
        STATE_MANAGEMENT: official.state_management,
    }
    return levels[key]


def _level(requirement: Requirement, official: OfficialFacts) -> RequirementResult:
    actual = _actual_level(official, requirement.key)
    return _level_result(requirement, official.difficult_area, actual)


@lru_cache(maxsize=4096)  # the same few (level, area) pairs recur across a whole province
def _level_result(
    requirement: Requirement, difficult_area: bool, actual: Level | None
) -> RequirementResult:
    assert requirement.minimum is not None
    lowered = difficult_area and requirement.difficult_area_minimum is not None
    required = requirement.difficult_area_minimum if lowered else requirement.minimum
    assert required is not None
    if actual is None:
        status = Status.UNKNOWN
    else:
        status = Status.MET if actual >= required else Status.MISSING
    return _qualification(
        requirement,
        difficult_area,
        status,
        required,
        actual,
        NOTE_DIFFICULT_AREA if lowered else None,
    )


def _field(
    requirement: Requirement, official: OfficialFacts, profile: Profile
) -> RequirementResult:
    field = field_for(profile.fields, official.title_field)
    if field is None or not official.major:
        status = Status.UNKNOWN
    else:
        matched = major_matches(profile.fields[field], official.major)
        status = Status.MET if matched else Status.MISSING
    return _qualification(requirement, official.difficult_area, status, field, official.major, None)


def _qualification(
    requirement: Requirement,
    difficult_area: bool,
    status: Status,
    required: object,
    actual: object,
    note: str | None,
) -> RequirementResult:
    """A qualification result, with the deadline that applies when it is not met."""
    deadline, deadline_citation = None, None
    if status is not Status.MET:
        if difficult_area and requirement.difficult_area_deadline is not None:
            deadline = requirement.difficult_area_deadline
        elif requirement.deadline is not None:
            deadline, deadline_citation = requirement.deadline, requirement.deadline_citation
    return RequirementResult(
        key=requirement.key,
        status=status,
        required=required,
        actual=actual,
        deadline=deadline,
        citation=requirement.citation,
        note=note,
        confidence=requirement.confidence,
        deadline_citation=deadline_citation,
    )


def _term_age(
    requirement: Requirement, official: OfficialFacts, profile: Profile, on: date
) -> RequirementResult:
    assert requirement.months is not None
    appointed = official.appointed_on
    if appointed is not None and appointed >= profile.effective:
        at, required, note = appointed, requirement.months, NOTE_AT_APPOINTMENT
    elif requirement.reelection_months is not None:
        at, required, note = on, requirement.reelection_months, NOTE_REELECTION
    else:
        at, required, note = on, requirement.months, None
    left = months_of_work_left(official.birth_date, official.gender, at)
    return RequirementResult(
        key=requirement.key,
        status=Status.MET if left >= required else Status.MISSING,
        required=required,
        actual=left,
        deadline=None,
        citation=requirement.citation,
        note=note,
        confidence=requirement.confidence,
    )


def _refresher(requirement: Requirement, official: OfficialFacts, on: date) -> RequirementResult:
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
