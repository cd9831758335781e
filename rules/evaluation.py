"""The result of checking an official against a standard profile."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from functools import cached_property


class Status(enum.Enum):
    MET = "met"
    MISSING = "missing"
    UNKNOWN = "unknown"  # the record lacks the data to decide


class Confidence(enum.Enum):
    """How firmly a rule is established in the sources (DOMAIN.md marks the weaker ones)."""

    CONFIRMED = "confirmed"  # read in the regulation itself
    REPORTED = "reported"  # reported by the press or guidance, detail not confirmed
    UNCONFIRMED = "unconfirmed"  # commonly cited, not found in force: configurable data


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from, e.g. ``Nghị định 33/2023/NĐ-CP, Điều 8, khoản 1``."""

    document: str
    article: str
    effective: date | None = None

    def __str__(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@dataclass(frozen=True)
class RequirementResult:
    """One requirement of the profile, as it applies to one official on one day.

    ``key`` names the requirement ("general_education", "professional_level",
    "political_theory", "state_management", "term_age", "refresher", ...); ``required`` and
    ``actual`` are the enum values (or numbers) compared, so presentation can translate them.
    """

    key: str
    status: Status
    required: object
    actual: object
    deadline: date | None
    citation: Citation
    note: str | None = None
    confidence: Confidence = Confidence.CONFIRMED
    # where the deadline comes from, when another rule than ``citation`` sets it
    deadline_citation: Citation | None = None


@dataclass(frozen=True)
class Evaluation:
    profile: str
    on: date
    results: tuple[RequirementResult, ...]

    @cached_property  # every reminder kind asks for it
    def missing(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is Status.MISSING)

    @property
    def unknown(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is Status.UNKNOWN)

    @property
    def meets_all(self) -> bool:
        return all(r.status is Status.MET for r in self.results)
