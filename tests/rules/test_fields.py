"""Matching a civil servant's major against the keywords of the post's field."""

import pytest

from rules.fields import field_for, major_matches
from rules.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Địa chính - Xây dựng", "dia chinh xay dung"),
        ("  QUẢN LÝ   đất đai ", "quan ly dat dai"),
        ("Tư pháp/Hộ tịch", "tu phap ho tich"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("keywords", "major", "matches"),
    [
        (["luật"], "Luật kinh tế", True),
        (["luật"], "LUAT", True),  # typed without marks
        (["quản lý đất đai"], "Quản lý đất đai", True),
        (["y"], "Y đa khoa", True),
        (["y"], "Quản lý đất đai", False),  # whole words only: not the "y" of "lý"
        (["kế toán", "tài chính"], "Ngân hàng", False),
    ],
)
def test_major_matches(keywords, major, matches):
    assert major_matches(keywords, major) is matches


FIELDS = {"Tư pháp": ["luật"], "Tài chính": ["kế toán"], "Địa chính": ["đất đai"]}


@pytest.mark.parametrize(
    ("title_field", "field"),
    [
        ("Tư pháp - Hộ tịch", "Tư pháp"),
        ("tai chinh - ke toan", "Tài chính"),
        ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Địa chính"),
        ("Thủ quỹ", None),
        ("", None),
        (None, None),
    ],
)
def test_field_for(title_field, field):
    assert field_for(FIELDS, title_field) == field
