"""Commune titles (DOMAIN.md, "Who and where"; IMPORT_FORMAT.md, "Titles").

A title kind is what the standards are written against; a civil servant's title also names a
field ("Công chức Tư pháp - Hộ tịch"), kept beside the kind.
"""

from __future__ import annotations

import enum


class TitleKind(enum.Enum):
    PARTY_SECRETARY = "party_secretary"  # Bí thư Đảng ủy
    DEPUTY_PARTY_SECRETARY = "deputy_party_secretary"  # Phó Bí thư Đảng ủy
    COUNCIL_CHAIR = "council_chair"  # Chủ tịch HĐND
    COUNCIL_VICE_CHAIR = "council_vice_chair"  # Phó Chủ tịch HĐND
    COMMITTEE_CHAIR = "committee_chair"  # Chủ tịch UBND
    COMMITTEE_VICE_CHAIR = "committee_vice_chair"  # Phó Chủ tịch UBND
    FRONT_CHAIR = "front_chair"  # Chủ tịch UB MTTQ
    CIVIL_SERVANT = "civil_servant"  # Công chức (with a field)
    SOURCE_TRAINEE = "source_trainee"  # Học viên dự nguồn

    @property
    def is_key(self) -> bool:
        """Cán bộ chủ chốt: the leadership posts."""
        return self in KEY_TITLES


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

# HĐND and UBND posts, for which LLCT trung cấp is confirmed (Nghị định 33/2023 Điều 8).
GOVERNMENT_POSTS = frozenset(
    {
        TitleKind.COUNCIL_CHAIR,
        TitleKind.COUNCIL_VICE_CHAIR,
        TitleKind.COMMITTEE_CHAIR,
        TitleKind.COMMITTEE_VICE_CHAIR,
    }
)
