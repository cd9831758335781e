"""The kinds of requirement a standard profile sets for a title, one typed class per kind.

- ``LevelRequirement``: a minimum level on one qualification scale (general education,
  professional level, political theory, state management);
- ``FieldRequirement``: a degree in a field that matches the post (rules.fields);
- ``TermAgeRequirement``: working age for a full term when the post is first taken;
- ``ReelectionRequirement``: working age at the next congress or election to stand again;
- ``RefresherRequirement``: the yearly knowledge-update training, in courses or hours.

Every requirement carries the citation of the rule it encodes and how firmly the sources
establish it. The checks live in rules.standards; reading them from TOML in rules.profiles.

A requirement is one object of its profile, equal only to itself: hashed by identity, it keys
the caches of rules.standards without hashing its citation on every official.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rules.courses import REFRESHER
from rules.evaluation import Citation, Confidence
from rules.scales import (
    GeneralEducation,
    Level,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)

GENERAL_EDUCATION = "general_education"
PROFESSIONAL_LEVEL = "professional_level"
POLITICAL_THEORY = "political_theory"
STATE_MANAGEMENT = "state_management"
PROFESSIONAL_FIELD = "professional_field"
TERM_AGE = "term_age"
REELECTION = "reelection"
REFRESHER_KEY = "refresher"

LEVEL_SCALES: dict[str, type[Level]] = {
    GENERAL_EDUCATION: GeneralEducation,
    PROFESSIONAL_LEVEL: ProfessionalLevel,
    POLITICAL_THEORY: PoliticalTheory,
    STATE_MANAGEMENT: StateManagement,
}
QUALIFICATION_KEYS = frozenset({*LEVEL_SCALES, PROFESSIONAL_FIELD})
# The order requirements are listed in, for every title.
REQUIREMENT_KEYS = (
    GENERAL_EDUCATION,
    PROFESSIONAL_LEVEL,
    PROFESSIONAL_FIELD,
    POLITICAL_THEORY,
    STATE_MANAGEMENT,
    TERM_AGE,
    REELECTION,
    REFRESHER_KEY,
)


@dataclass(frozen=True)
class Deadline:
    """By when an official who lacks a qualification must reach it, and the rule that says so
    (None: the requirement's own citation)."""

    on: date
    citation: Citation | None = None


@dataclass(frozen=True)
class DifficultArea:
    """What a mountainous, border, island, ethnic-minority or especially difficult area changes:
    a lower level accepted (Nghị định 33/2023 Điều 10 khoản 3: trung cấp), or more time to
    reach the level (Công văn 11/CV-BCĐ: five years), under ``citation``."""

    citation: Citation
    minimum: Level | None = None
    deadline: date | None = None


@dataclass(frozen=True, eq=False)
class LevelRequirement:
    scale: str  # one of LEVEL_SCALES
    minimum: Level
    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED
    deadline: Deadline | None = None
    difficult_area: DifficultArea | None = None

    @property
    def key(self) -> str:
        return self.scale


@dataclass(frozen=True, eq=False)
class FieldRequirement:
    """The degree's major must match the field of the post: the field named here, else the
    one the civil servant's title names (``Profile.fields``)."""

    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED
    field: str | None = None
    deadline: Deadline | None = None
    difficult_area: DifficultArea | None = None

    @property
    def key(self) -> str:
        return PROFESSIONAL_FIELD


@dataclass(frozen=True, eq=False)
class TermAgeRequirement:
    """``months`` of working age left on first taking the post, for appointments from
    ``since`` (the rule's own start: older appointments were made under other rules)."""

    months: int
    since: date
    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED

    @property
    def key(self) -> str:
        return TERM_AGE


class Body(enum.Enum):
    """Whose congress or election a post is renewed at (Chỉ thị 45-CT/TW, thời điểm tính tuổi)."""

    PARTY_COMMITTEE = "party_committee"  # đại hội đảng bộ
    PEOPLES_COUNCIL = "peoples_council"  # bầu cử HĐND, which elects the HĐND and UBND leaders
    FRONT = "front"  # đại hội Mặt trận Tổ quốc and its member organisations


@dataclass(frozen=True, eq=False)
class ReelectionRequirement:
    """``months`` of working age left at the start of the body's next congress or election, to
    be put forward again. Shown as information: it never makes a sitting official fall short."""

    body: Body
    months: int
    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED

    @property
    def key(self) -> str:
        return REELECTION


@dataclass(frozen=True, eq=False)
class RefresherRequirement:
    """Courses (or hours of courses) of the ``counted_kinds`` to complete each calendar year;
    exactly one of ``courses_per_year`` and ``hours_per_year`` is set."""

    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED
    courses_per_year: int | None = None
    hours_per_year: Decimal | None = None
    counted_kinds: frozenset[str] = frozenset({REFRESHER})

    @property
    def key(self) -> str:
        return REFRESHER_KEY


Requirement = (
    LevelRequirement
    | FieldRequirement
    | TermAgeRequirement
    | ReelectionRequirement
    | RefresherRequirement
)
