"""Commune titles (DOMAIN.md, "Who and where"; IMPORT_FORMAT.md, "Titles").

A title kind is what the standards are written against; a civil servant's title also names a
field ("Công chức Tư pháp - Hộ tịch"), and a department head's the office they lead, kept
beside the kind. An official may hold several titles at once (kiêm nhiệm: Bí thư kiêm Chủ
tịch HĐND), each a ``Post``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class TitleKind(enum.Enum):
    # cán bộ: elected for a term (Nghị định 33/2023/NĐ-CP, Điều 5 khoản 1)
    PARTY_SECRETARY = "party_secretary"  # Bí thư Đảng ủy
    DEPUTY_PARTY_SECRETARY = "deputy_party_secretary"  # Phó Bí thư Đảng ủy
    COUNCIL_CHAIR = "council_chair"  # Chủ tịch HĐND
    COUNCIL_VICE_CHAIR = "council_vice_chair"  # Phó Chủ tịch HĐND
    COMMITTEE_CHAIR = "committee_chair"  # Chủ tịch UBND
    COMMITTEE_VICE_CHAIR = "committee_vice_chair"  # Phó Chủ tịch UBND
    FRONT_CHAIR = "front_chair"  # Chủ tịch UB MTTQ
    YOUTH_UNION_SECRETARY = "youth_union_secretary"  # Bí thư Đoàn TNCS Hồ Chí Minh
    WOMEN_UNION_CHAIR = "women_union_chair"  # Chủ tịch Hội Liên hiệp Phụ nữ
    FARMERS_UNION_CHAIR = "farmers_union_chair"  # Chủ tịch Hội Nông dân
    VETERANS_CHAIR = "veterans_chair"  # Chủ tịch Hội Cựu chiến binh
    # công chức (Điều 5 khoản 2; after 01/07/2025, job positions of the commune)
    MILITARY_COMMANDER = "military_commander"  # Chỉ huy trưởng Ban Chỉ huy Quân sự
    DEPARTMENT_HEAD = "department_head"  # Trưởng phòng và tương đương (with the office)
    DEPUTY_DEPARTMENT_HEAD = "deputy_department_head"  # Phó Trưởng phòng và tương đương
    CIVIL_SERVANT = "civil_servant"  # Công chức (with a field)
    SOURCE_TRAINEE = "source_trainee"  # Học viên dự nguồn

    @property
    def is_key(self) -> bool:
        """Cán bộ chủ chốt: the leadership posts."""
        return self in KEY_TITLES

    @property
    def has_field(self) -> bool:
        """Whether the title names a field or an office beside its kind."""
        return self in FIELD_TITLES


KEY_TITLES = frozenset(
    {
        TitleKind.PARTY_SECRETARY,
        TitleKind.DEPUTY_PARTY_SECRETARY,
        TitleKind.COUNCIL_CHAIR,
        TitleKind.COUNCIL_VICE_CHAIR,
        TitleKind.COMMITTEE_CHAIR,
        TitleKind.COMMITTEE_VICE_CHAIR,
        TitleKind.FRONT_CHAIR,
    }
)

# HĐND and UBND posts, for which LLCT trung cấp is confirmed (Nghị định 33/2023 Điều 8 khoản 3).
GOVERNMENT_POSTS = frozenset(
    {
        TitleKind.COUNCIL_CHAIR,
        TitleKind.COUNCIL_VICE_CHAIR,
        TitleKind.COMMITTEE_CHAIR,
        TitleKind.COMMITTEE_VICE_CHAIR,
    }
)

# Heads of the Front's member organisations (Nghị định 33/2023 Điều 5 khoản 1 đ–h).
UNION_HEADS = frozenset(
    {
        TitleKind.YOUTH_UNION_SECRETARY,
        TitleKind.WOMEN_UNION_CHAIR,
        TitleKind.FARMERS_UNION_CHAIR,
        TitleKind.VETERANS_CHAIR,
    }
)

# Cán bộ cấp xã: every elected post.
CADRE_TITLES = KEY_TITLES | UNION_HEADS

DEPARTMENT_HEADS = frozenset({TitleKind.DEPARTMENT_HEAD, TitleKind.DEPUTY_DEPARTMENT_HEAD})

FIELD_TITLES = frozenset({TitleKind.CIVIL_SERVANT, *DEPARTMENT_HEADS})


@dataclass(frozen=True, slots=True)
class Post:
    """One title an official holds: its kind and, for a civil servant or a department head,
    the field or office ("Tư pháp - Hộ tịch", "Văn phòng HĐND và UBND"); else ""."""

    kind: TitleKind
    field: str = ""
