"""The words boards write above each column, beside the names IMPORT_FORMAT.md gives.

Headers are compared by ``header_key``: without case, diacritics (đ → d), spaces or punctuation,
and with a trailing note in brackets dropped ("Họ và tên (1)", "Mã CB (*)"). So "Ngày, tháng,
năm sinh" and "NGAY THANG NAM SINH" are one header.

Where the words come from:
- Mẫu 2C-BNV/2008 and 2C-TCTW-98, the sơ yếu lý lịch of cán bộ, công chức, and the Ban Tổ chức
  Trung ương's guidance on filling them in: "Số hiệu cán bộ, công chức", "Họ và tên khai sinh",
  "Sinh ngày", "Giới tính", "Dân tộc", "Chức vụ hiện tại", "Ngày vào Đảng Cộng sản Việt Nam",
  "Trình độ giáo dục phổ thông", "Trình độ chuyên môn cao nhất", "Lý luận chính trị",
  "Quản lý nhà nước".
- The Party's own lý lịch (Mẫu 2-KNĐ, Hướng dẫn 09 of the Ban Tổ chức Trung ương): "Họ và tên
  đang dùng", "Nam, nữ", "Ngày, tháng, năm sinh".
- The boards' statistics tables (Thông tư 11/2012/TT-BNV Biểu BM02/BNV on commune cán bộ, công
  chức; the BTCTW Biểu số 1…18 as public cadre-management software reproduces them) and the
  column names of that software's roster screens and Excel exports: "STT", "Mã CB", "Họ tên",
  "Chức danh", "Chức vụ CQ", "Trình độ CM", "Trình độ LLCT", "Trình độ QLNN", "Trình độ văn
  hóa", "Ngày vào Đảng", "Thời gian vào Đảng", "SĐT", "Số ĐT", "Mã ĐV".
- IMPORT_FORMAT.md, "Files as boards really keep them".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rules.text import fold

Synonyms = Mapping[str, tuple[str, ...]]  # column key → the other names boards give it


@dataclass(frozen=True)
class Column:
    """A column we read: its English key and the Vietnamese header the format names."""

    key: str
    header: str
    required: bool = False


_NOTE = re.compile(r"\s*[(\[][^)\]]*[)\]]\s*$")


def header_key(text: str) -> str:
    """The form a header is matched on: "Ngày, tháng, năm sinh" → "ngaythangnamsinh"."""
    return fold(text).replace(" ", "")


def header_keys(text: str) -> tuple[str, ...]:
    """The forms to try for a header as written: whole, then without a bracketed note."""
    bare = _NOTE.sub("", text)
    return tuple(dict.fromkeys(key for key in (header_key(text), header_key(bare)) if key))


OFFICIAL_CODE = (
    "Mã CB",
    "Mã CBCC",
    "Mã cán bộ, công chức",
    "Mã số cán bộ",
    "Mã số CB",
    "Mã nhân sự",
    "Số hiệu cán bộ",
    "Số hiệu cán bộ, công chức",
    "Số hiệu công chức",
)
COURSE_CODE = ("Mã lớp học", "Mã khóa học", "Mã khóa", "Mã khoá học")

OFFICIALS: Synonyms = {
    "code": OFFICIAL_CODE,
    "full_name": (
        "Họ tên",
        "Họ và tên khai sinh",
        "Họ và tên đang dùng",
        "Họ và tên cán bộ",
        "Họ tên cán bộ",
        "Họ tên CB",
    ),
    "birth_date": (
        "Ngày, tháng, năm sinh",
        "Ngày tháng năm sinh",
        "Sinh ngày",
        "Năm sinh",
    ),
    "gender": ("Nam, nữ", "Nam/Nữ", "Giới"),
    "unit_code": ("Mã ĐV", "Mã xã", "Mã đơn vị hành chính", "Mã ĐVHC"),
    "title": (
        "Chức danh",
        "Chức vụ, chức danh",
        "Chức danh, chức vụ",
        "Chức vụ hiện tại",
        "Chức vụ hiện nay",
        "Chức danh hiện nay",
        "Chức vụ CQ",
    ),
    "appointed_on": (
        "Ngày bầu, bổ nhiệm",
        "Ngày được bầu, bổ nhiệm",
        "Ngày bổ nhiệm, bầu cử",
        "Ngày giữ chức vụ",
        "Ngày nhận chức",
    ),
    "planned_titles": ("Quy hoạch", "Quy hoạch chức danh", "Chức danh được quy hoạch"),
    "general_education": (
        "Trình độ học vấn",
        "Văn hóa",
        "Trình độ văn hóa",
        "Trình độ VH",
        "Giáo dục phổ thông",
        "Trình độ giáo dục phổ thông",
        "Trình độ GDPT",
        "GDPT",
    ),
    "professional_level": (
        "Trình độ chuyên môn",
        "Trình độ CM",
        "Trình độ chuyên môn, nghiệp vụ",
        "Chuyên môn, nghiệp vụ",
        "Trình độ chuyên môn cao nhất",
        "Trình độ đào tạo",
    ),
    "major": ("Chuyên ngành đào tạo", "Ngành đào tạo", "Ngành học"),
    "political_theory": (
        "LLCT",
        "Trình độ LLCT",
        "Trình độ lý luận chính trị",
        "Trình độ chính trị",
        "Chính trị",
    ),
    "state_management": ("QLNN", "Trình độ QLNN", "Trình độ quản lý nhà nước"),
    "party_member": ("Là đảng viên",),
    "party_joined_on": (
        "Ngày vào Đảng Cộng sản Việt Nam",
        "Ngày kết nạp Đảng",
        "Ngày kết nạp",
        "Thời gian vào Đảng",
    ),
    "phone": (
        "Số điện thoại",
        "SĐT",
        "Số ĐT",
        "ĐT",
        "Điện thoại di động",
        "Số di động",
        "Di động",
        "ĐTDĐ",
    ),
}

COURSES: Synonyms = {
    "code": COURSE_CODE,
    "name": ("Tên lớp học", "Tên khóa học", "Tên khoá học", "Lớp"),
    "kind": ("Loại lớp", "Loại hình"),
    "provider": ("Đơn vị đào tạo", "Nơi đào tạo", "Cơ sở đào tạo, bồi dưỡng"),
    "starts_on": ("Ngày bắt đầu", "Từ ngày"),
    "ends_on": ("Ngày kết thúc", "Đến ngày"),
    "enroll_by": ("Hạn đăng ký học", "Hạn cuối đăng ký"),
    "capacity": ("Số lượng học viên", "Chỉ tiêu"),
    "hours": ("Số tiết",),
    "cost_per_trainee": ("Kinh phí mỗi học viên", "Kinh phí/người", "Học phí"),
}

ENROLLMENTS: Synonyms = {
    "official_code": OFFICIAL_CODE,
    "course_code": COURSE_CODE,
    "status": ("Tình trạng",),
    "completed_on": ("Ngày tốt nghiệp",),
}

BONDS: Synonyms = {
    "official_code": OFFICIAL_CODE,
    "course_code": COURSE_CODE,
    "starts_on": ("Ngày bắt đầu cam kết", "Cam kết từ ngày"),
    "months": ("Thời gian cam kết (tháng)", "Số tháng"),
    "cost": ("Chi phí đào tạo",),
}

UNITS: Synonyms = {
    "code": ("Mã ĐV", "Mã ĐVHC"),
    "name": ("Đơn vị", "Tên ĐV"),
    "kind": ("Loại đơn vị", "Cấp"),
    "parent_code": ("Mã cấp trên", "Mã ĐV cấp trên"),
    "difficult_area": ("Vùng đặc biệt khó khăn", "ĐBKK"),
}
