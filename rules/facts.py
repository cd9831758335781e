"""What the rules need to know about one official, independent of how it is stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import Post


@dataclass(frozen=True)
class TrainingRecord:
    """A completed course that counts towards the yearly refresher."""

    kind: str  # the course kind key, e.g. "refresher", "state_management"
    completed_on: date
    hours: Decimal | None = None


@dataclass(frozen=True)
class OfficialFacts:
    """One official's record as the regulations see it. ``None`` means the data is absent.

    ``posts`` are the titles they hold, the main one first; ``appointed_on`` is when they took
    the current one (rosters give one date)."""

    birth_date: date
    gender: Gender
    posts: tuple[Post, ...]
    appointed_on: date | None = None
    general_education: GeneralEducation | None = None
    professional_level: ProfessionalLevel | None = None
    major: str | None = None
    political_theory: PoliticalTheory | None = None
    state_management: StateManagement | None = None
    party_member: bool | None = None
    difficult_area: bool = False
    trainings: tuple[TrainingRecord, ...] = field(default=())
