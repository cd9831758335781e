"""Qualification statistics of a unit's officials, as organisation boards publish them: per
scale the count at each level out of the total, the share meeting the standard of their title,
and the same per sub-unit (DOMAIN.md, "How results are reported").

Who counts: the officials in the unit and everything under it, except source trainees, who
hold no post yet. "Meeting the standard" on a scale means the requirement of their titles on
it is met (rules.standards.evaluate, the strictest title's for a concurrent post); overall,
every qualification requirement of their titles is met.

On an earlier date records keep no history, so the figures are rebuilt from what does carry a
date: officials appointed after it are left out (not yet in that post), and a level reached
through a course completed after it is taken one step back (a graduate of LLCT trung cấp in
2026 had at most sơ cấp in 2025). Other levels are taken as recorded now. The standards are
evaluated under the profile in force on that date (rules.profiles.profile_in_force).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.evaluation import Status
from rules.facts import OfficialFacts
from rules.profiles import Profile
from rules.requirements import (
    GENERAL_EDUCATION,
    LEVEL_SCALES,
    POLITICAL_THEORY,
    PROFESSIONAL_LEVEL,
    QUALIFICATION_KEYS,
    STATE_MANAGEMENT,
)
from rules.scales import Level, PoliticalTheory, ProfessionalLevel
from rules.standards import evaluate
from rules.titles import Post, TitleKind
from storage.facts import completed_trainings, official_facts
from storage.models import CourseKind, HeldTitle, Official, Title, Unit

SCALES = (GENERAL_EDUCATION, PROFESSIONAL_LEVEL, POLITICAL_THEORY, STATE_MANAGEMENT)
# Courses whose graduates reach a level on a scale.
COURSE_LEVELS: dict[str, tuple[str, Level]] = {
    CourseKind.LLCT_INTERMEDIATE.value: (POLITICAL_THEORY, PoliticalTheory.INTERMEDIATE),
    CourseKind.LLCT_ADVANCED.value: (POLITICAL_THEORY, PoliticalTheory.ADVANCED),
    CourseKind.UNIVERSITY.value: (PROFESSIONAL_LEVEL, ProfessionalLevel.UNIVERSITY),
}


@dataclass(frozen=True)
class Counted:
    """One official as counted on the report's date."""

    code: str
    name: str
    unit_id: int
    part_id: int  # the unit right under the report's unit that holds them (or that unit)
    posts: tuple[Post, ...]  # the titles they hold, main first
    levels: dict[str, Level | None]
    required: frozenset[str]  # scales on which their title sets a standard
    met: frozenset[str]  # of those, the ones they meet
    meets_all: bool  # every qualification requirement of their title


@dataclass(frozen=True)
class ScaleFigures:
    key: str
    levels: tuple[tuple[Level | None, int], ...]  # highest level first; None (not recorded) last
    total: int
    required: int  # officials whose title sets a standard on this scale
    meeting: int  # of them, meeting it


@dataclass(frozen=True)
class Figures:
    """The counts for one unit and everything under it."""

    code: str
    name: str
    total: int
    meeting_all: int
    scales: tuple[ScaleFigures, ...]

    def scale(self, key: str) -> ScaleFigures:
        return next(figures for figures in self.scales if figures.key == key)


@dataclass(frozen=True)
class Roster:
    """The officials of one unit that holds some (a commune, in practice)."""

    code: str
    name: str
    people: tuple[Counted, ...]
    figures: Figures


@dataclass(frozen=True)
class QualificationReport:
    code: str
    name: str
    on: date
    profile: str  # the name of the profile in force on ``on``
    whole: Figures
    parts: tuple[Figures, ...]  # the units right under it, each with everything below
    rosters: tuple[Roster, ...]  # every unit holding officials, by name
    earlier: QualificationReport | None = None


async def qualification_report(
    session: AsyncSession,
    unit: Unit,
    standards: Callable[[date], Profile],
    on: date,
    compare: date | None = None,
) -> QualificationReport:
    """The figures for ``unit`` on ``on``, and on ``compare`` too when given, each under the
    profile ``standards`` gives for its day."""
    holds_a_post = exists(
        select(HeldTitle.official_id)
        .join(Title, HeldTitle.title_id == Title.id)
        .where(HeldTitle.official_id == Official.id, Title.kind != TitleKind.SOURCE_TRAINEE)
    )
    found = await session.execute(
        select(Official, Unit)
        .join(Unit, Official.unit_id == Unit.id)
        .where(Unit.path.startswith(unit.path), holds_a_post)
    )
    # sorted here, not by the database, so every backend's collation gives the same order
    rows = sorted(found.all(), key=lambda row: (row[0].full_name, row[0].code))
    trainings = await completed_trainings(session, [official.id for official, _u in rows])
    units = {u.id: u for _o, u in rows}
    part_ids = {part_of(unit, u) for u in units.values()}
    missing = part_ids - set(units) - {unit.id}
    if missing:
        units.update(
            {u.id: u for u in await session.scalars(select(Unit).where(Unit.id.in_(missing)))}
        )
    units[unit.id] = unit
    facts = [
        (official, u, official_facts(official, u, trainings.get(official.id, ())))
        for official, u in rows
    ]

    def build(day: date) -> QualificationReport:
        profile = standards(day)
        people = [
            _counted(official, u, dated, part_of(unit, u), profile, day)
            for official, u, known in facts
            if (dated := as_of(known, day)) is not None
        ]
        return _report(unit, units, profile, day, people)

    report = build(on)
    return replace(report, earlier=build(compare)) if compare is not None else report


def part_of(root: Unit, unit: Unit) -> int:
    """The id of the unit right under ``root`` on the way to ``unit`` (``root`` itself when
    ``unit`` is the root)."""
    rest = unit.path[len(root.path) :].strip("/")
    return int(rest.split("/")[0]) if rest else root.id


def as_of(facts: OfficialFacts, day: date) -> OfficialFacts | None:
    """The official as they stood on ``day``, or None when they were not yet in post."""
    if facts.appointed_on is not None and facts.appointed_on > day:
        return None
    levels: dict[str, Level | None] = {key: level(facts, key) for key in SCALES}
    for training in facts.trainings:
        reached = COURSE_LEVELS.get(training.kind)
        if reached is None or training.completed_on <= day:
            continue
        scale, attained = reached
        current = levels[scale]
        if current is not None and current >= attained:
            below = [member for member in type(attained) if member < attained]
            levels[scale] = below[-1]
    earlier = tuple(t for t in facts.trainings if t.completed_on <= day)
    changes: dict[str, Any] = {**levels, "trainings": earlier}  # scale keys name the fields
    return replace(facts, **changes)


def level(facts: OfficialFacts, key: str) -> Level | None:
    levels: dict[str, Level | None] = {
        GENERAL_EDUCATION: facts.general_education,
        PROFESSIONAL_LEVEL: facts.professional_level,
        POLITICAL_THEORY: facts.political_theory,
        STATE_MANAGEMENT: facts.state_management,
    }
    return levels[key]


def _counted(
    official: Official,
    unit: Unit,
    facts: OfficialFacts,
    part_id: int,
    profile: Profile,
    day: date,
) -> Counted:
    results = evaluate(facts, profile, day, terms=False).results
    qualifications = [r for r in results if r.key in QUALIFICATION_KEYS]
    return Counted(
        code=official.code,
        name=official.full_name,
        unit_id=unit.id,
        part_id=part_id,
        posts=facts.posts,
        levels={key: level(facts, key) for key in SCALES},
        required=frozenset(r.key for r in results if r.key in SCALES),
        met=frozenset(r.key for r in results if r.key in SCALES and r.status is Status.MET),
        meets_all=all(r.status is Status.MET for r in qualifications),
    )


def _report(
    unit: Unit, units: dict[int, Unit], profile: Profile, day: date, people: Sequence[Counted]
) -> QualificationReport:
    by_part: defaultdict[int, list[Counted]] = defaultdict(list)
    by_unit: defaultdict[int, list[Counted]] = defaultdict(list)
    for person in people:
        by_part[person.part_id].append(person)
        by_unit[person.unit_id].append(person)

    def ordered(groups: dict[int, list[Counted]]) -> list[tuple[Unit, list[Counted]]]:
        return sorted(
            ((units[i], members) for i, members in groups.items()),
            key=lambda pair: (pair[0].name, pair[0].code),
        )

    return QualificationReport(
        code=unit.code,
        name=unit.name,
        on=day,
        profile=profile.name,
        whole=figures(unit.code, unit.name, people),
        parts=tuple(figures(u.code, u.name, members) for u, members in ordered(by_part)),
        rosters=tuple(
            Roster(u.code, u.name, tuple(members), figures(u.code, u.name, members))
            for u, members in ordered(by_unit)
        ),
    )


def figures(code: str, name: str, people: Iterable[Counted]) -> Figures:
    people = list(people)
    scales = []
    for key in SCALES:
        counts: dict[Level | None, int] = defaultdict(int)
        for person in people:
            counts[person.levels[key]] += 1
        ladder = [*cast("list[Level]", list(LEVEL_SCALES[key]))[::-1], None]
        scales.append(
            ScaleFigures(
                key=key,
                levels=tuple((step, counts.get(step, 0)) for step in ladder),
                total=len(people),
                required=sum(key in person.required for person in people),
                meeting=sum(key in person.met for person in people),
            )
        )
    return Figures(
        code=code,
        name=name,
        total=len(people),
        meeting_all=sum(person.meets_all for person in people),
        scales=tuple(scales),
    )
