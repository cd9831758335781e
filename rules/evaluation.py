"""The result of checking an official against a standard profile."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from rules.titles import Post


class Status(enum.Enum):
    MET = "met"
    MISSING = "missing"
    UNKNOWN = "unknown"  # the record lacks the data to decide
    # shown for information, never a gap: the term age of a sitting official, re-election
    INFO = "info"


class Confidence(enum.Enum):
    """How firmly a rule is established in the sources (DOMAIN.md marks the weaker ones)."""

    CONFIRMED = "confirmed"  # read in the regulation itself (or its text quoted in full)
    REPORTED = "reported"  # reported by the press or guidance, detail not confirmed
    UNCONFIRMED = "unconfirmed"  # commonly cited, not found in force: configurable data


@dataclass(frozen=True)
class Citation:
    """Where a rule comes from, e.g. ``Nghị định 33/2023/NĐ-CP, Điều 8 khoản 3``."""

    document: str
    article: str
    effective: date | None = None

    def __str__(self) -> str:
        return f"{self.document}, {self.article}" if self.article else self.document


@dataclass(frozen=True)
class RequirementResult:
    """One requirement of the profile, as it applies to one official on one day.

    ``key`` names the requirement ("general_education", "professional_level",
    "political_theory", "state_management", "professional_field", "term_age", "reelection",
    "refresher"); ``required`` and ``actual`` are the enum values (or numbers) compared, so
    presentation can translate them. When the official holds several titles, each key is
    reported once, from the title whose requirement is strictest: ``post``.
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
    post: Post | None = None  # the title the requirement comes from
    # term age and re-election: the day the months of working age are counted on (the
    # appointment; the next congress or election) and, for re-election, the term it opens
    measured_on: date | None = None
    term: tuple[int, int] | None = None


@dataclass(frozen=True)
class Evaluation:
    profile: str  # the profile's name
    document: str  # the document in force, as the status names it
    on: date
    results: tuple[RequirementResult, ...]

    @cached_property  # every reminder kind asks for it
    def missing(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is Status.MISSING)

    @property
    def unknown(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is Status.UNKNOWN)

    @property
    def information(self) -> tuple[RequirementResult, ...]:
        return tuple(r for r in self.results if r.status is Status.INFO)

    @property
    def meets_all(self) -> bool:
        """No requirement missing or undecided (information does not count)."""
        return all(r.status in (Status.MET, Status.INFO) for r in self.results)
