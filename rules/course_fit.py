"""Which open course can close an official's gap: one of a kind that closes it
(rules.standards.closing_course_kinds), that ends by the gap's deadline, and that is meant for
the official's group. A course that ends after the deadline leaves the official short on the
day that counts (a refresher for this year that runs next March does not make this year's),
and a class for cán bộ chủ chốt does not take civil servants.

Course rosters carry no audience column, so the audience is read from the name the
organisation board gave the class, as their plans word it: "… cho cán bộ chủ chốt cấp xã",
"… công chức cấp xã", "lớp tạo nguồn …", "lớp dự nguồn …". A name that names no group is open
to everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rules.evaluation import RequirementResult
from rules.standards import closing_course_kinds
from rules.text import fold
from rules.titles import CADRE_TITLES, KEY_TITLES, TitleKind

SOURCE_TRAINEES = frozenset({TitleKind.SOURCE_TRAINEE})
# Công chức: every title that is neither elected (cán bộ) nor a trainee; department heads too.
CIVIL_SERVANTS = frozenset(TitleKind) - CADRE_TITLES - SOURCE_TRAINEES
# (words in the folded name, the titles the class is for); the first that matches decides.
AUDIENCES: tuple[tuple[str, frozenset[TitleKind]], ...] = (
    ("chu chot", KEY_TITLES),
    ("tao nguon", SOURCE_TRAINEES),
    ("du nguon", SOURCE_TRAINEES),
)


def audience(course_name: str) -> frozenset[TitleKind] | None:
    """The titles a class is meant for, by its name; None when it names no group."""
    name = f" {fold(course_name)} "
    for words, titles in AUDIENCES:
        if f" {words} " in name:
            return titles
    if " cong chuc " in name and " can bo " not in name:  # "cán bộ, công chức" is everyone
        return CIVIL_SERVANTS
    return None


def meant_for(course_name: str, titles: Iterable[TitleKind]) -> bool:
    """Is the class open to someone holding ``titles`` (any one of them is enough)?"""
    group = audience(course_name)
    return group is None or not group.isdisjoint(titles)


def in_time(ends_on: date, deadline: date | None, today: date) -> bool:
    """Does a course ending on ``ends_on`` close the gap by its deadline? A gap already
    overdue is closed soonest by any course."""
    return deadline is None or deadline < today or ends_on <= deadline


def closes(
    requirement: RequirementResult,
    kind: str,
    name: str,
    ends_on: date,
    titles: Iterable[TitleKind],
    today: date,
) -> bool:
    """Would completing the course (``kind``, ``name``, ``ends_on``) close ``requirement``
    for an official holding ``titles``, in time?"""
    return (
        kind in closing_course_kinds(requirement)
        and in_time(ends_on, requirement.deadline, today)
        and meant_for(name, titles)
    )
