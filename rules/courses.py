"""Course kind keys, as the course catalogue names them (IMPORT_FORMAT.md, "courses" › Loại).

The rules speak of courses by these keys only; storage maps its own enum onto the same values.
"""

from __future__ import annotations

LLCT_INTERMEDIATE = "llct_intermediate"  # Trung cấp LLCT
LLCT_ADVANCED = "llct_advanced"  # Cao cấp LLCT
UNIVERSITY = "university"  # Đại học
SOURCE = "source"  # Dự nguồn
REFRESHER = "refresher"  # Cập nhật kiến thức
STATE_MANAGEMENT = "state_management"  # QLNN
OTHER = "other"  # Khác

COURSE_KINDS = frozenset(
    {LLCT_INTERMEDIATE, LLCT_ADVANCED, UNIVERSITY, SOURCE, REFRESHER, STATE_MANAGEMENT, OTHER}
)
