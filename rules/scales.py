"""Ordered qualification scales (DOMAIN.md, "Qualification scales").

Each scale is an ordered enum: comparing two members compares levels, so a rule reads
``official.political_theory >= PoliticalTheory.INTERMEDIATE``.
"""

from __future__ import annotations

import enum
from functools import cache, total_ordering

from rules.text import fold


@total_ordering
class OrderedLevel(enum.Enum):
    """An enum whose members compare by their declaration order."""

    @property
    def rank(self) -> int:
        return _ranks(type(self))[self]

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedLevel)
        return self.rank < other.rank


@cache  # every official's every qualification is compared: number each scale once
def _ranks(scale: type[OrderedLevel]) -> dict[OrderedLevel, int]:
    return {member: place for place, member in enumerate(scale)}


class GeneralEducation(OrderedLevel):
    """Học vấn: THCS (9/12) < THPT (12/12)."""

    LOWER_SECONDARY = "lower_secondary"
    UPPER_SECONDARY = "upper_secondary"


class ProfessionalLevel(OrderedLevel):
    """Chuyên môn: chưa qua đào tạo < sơ cấp < trung cấp < cao đẳng < đại học < ThS < TS."""

    NONE = "none"
    ELEMENTARY = "elementary"
    INTERMEDIATE = "intermediate"
    COLLEGE = "college"
    UNIVERSITY = "university"
    MASTER = "master"
    DOCTOR = "doctor"


class PoliticalTheory(OrderedLevel):
    """Lý luận chính trị: chưa có < sơ cấp < trung cấp < cao cấp (cử nhân counts as cao cấp)."""

    NONE = "none"
    ELEMENTARY = "elementary"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class StateManagement(OrderedLevel):
    """Quản lý nhà nước: chưa có < chuyên viên < chuyên viên chính < chuyên viên cao cấp."""

    NONE = "none"
    SPECIALIST = "specialist"
    PRINCIPAL = "principal"
    SENIOR = "senior"


class Gender(enum.Enum):
    MALE = "male"
    FEMALE = "female"

    @classmethod
    def of(cls, value: Gender | str) -> Gender:
        """A gender from its value or its Vietnamese spelling, in any case and with or without
        marks: "male", "Nam", "female", "nữ", "NỮ", "nu"."""
        if isinstance(value, Gender):
            return value
        if isinstance(value, str):
            found = _GENDER_SPELLINGS.get(fold(value))
            if found is not None:
                return found
        raise ValueError(f"gender must be male/female or Nam/Nữ, got {value!r}")


_GENDER_SPELLINGS = {
    "male": Gender.MALE,
    "nam": Gender.MALE,
    "female": Gender.FEMALE,
    "nu": Gender.FEMALE,
}

Level = GeneralEducation | ProfessionalLevel | PoliticalTheory | StateManagement
