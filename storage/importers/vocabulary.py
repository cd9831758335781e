"""The spellings rosters use for each kind of value (IMPORT_FORMAT.md), parsed into our types.

Every parser takes a cell (text, number, date or None for an empty cell) and returns the value,
or raises ``Invalid`` with a translatable reason. Words are matched folded: without case,
diacritics (đ → d) or spaces, so "Thạc sỹ", "thac sy" and "THẠC SỸ" are one level.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeVar

from locales import N_
from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.text import fold
from rules.titles import TitleKind
from storage.importers.report import Message
from storage.models import CourseKind, EnrollmentStatus
from storage.titles import TITLE_NAMES

Cell = str | int | float | bool | date | datetime | time | None
E = TypeVar("E", bound=enum.Enum)
TitleRef = tuple[TitleKind, str]  # a title kind and, for a civil servant, the field

_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_GROUPED = re.compile(r"\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*|\d+")
_CURRENCY = re.compile(r"\s*(₫|đ|vnđ|vnd|đồng)$", re.IGNORECASE)
_PHONE_PUNCTUATION = re.compile(r"[\s.\-()]")
_DASH = re.compile(r"\s*[-–—]\s*")
MAX_MONEY = Decimal(10) ** 15  # the money columns hold 15 digits


class Invalid(ValueError):
    """A cell that does not hold what its column needs; ``message`` says why, untranslated."""

    def __init__(self, text: str, **params: object) -> None:
        super().__init__(text)
        self.message = Message(text, params)


def word(text: str) -> str:
    """The key a spelling is matched on: folded, without spaces ("Thạc sỹ" → "thacsy")."""
    return fold(text).replace(" ", "")


def as_text(cell: Cell) -> str:
    """A cell as the user would read it; a number typed into a text column loses Excel's ".0"."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return f"{cell:%d/%m/%Y}"
    return " ".join(str(cell).split())


def text(limit: int) -> Callable[[Cell], str | None]:
    def parse(cell: Cell) -> str | None:
        if cell is None:
            return None
        value = as_text(cell)
        if len(value) > limit:
            raise Invalid(N_("Too long: at most {limit} characters."), limit=limit)
        return value

    return parse


def day(cell: Cell) -> date | None:
    """dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, or a date cell."""
    if cell is None or isinstance(cell, datetime | date):
        return cell.date() if isinstance(cell, datetime) else cell
    written = as_text(cell)
    if match := _DAY_FIRST.fullmatch(written):
        d, m, y = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(written):
        y, m, d = (int(part) for part in match.groups())
    else:
        raise Invalid(N_("“{value}” is not a date; write it as dd/mm/yyyy."), value=written)
    try:
        if not 1900 <= y <= 2100:
            raise ValueError(y)
        return date(y, m, d)
    except ValueError:
        raise Invalid(
            N_("“{value}” is not a date; write it as dd/mm/yyyy."), value=written
        ) from None


def choice(
    spellings: Mapping[E, Iterable[str]], reason: str, empty: E | None = None
) -> Callable[[Cell], E | None]:
    """A parser for one of a few words; ``empty`` is what an empty cell means, if anything."""
    table = {word(spelling): member for member, names in spellings.items() for spelling in names}

    def parse(cell: Cell) -> E | None:
        if cell is None:
            return empty
        written = as_text(cell)
        member = table.get(word(written))
        if member is None:
            raise Invalid(reason, value=written)
        return member

    return parse


gender = choice(
    {Gender.MALE: ("Nam", "male"), Gender.FEMALE: ("Nữ", "female")},
    N_("“{value}” is not a gender; write Nam or Nữ."),
)
_education_levels = choice(
    {
        GeneralEducation.UPPER_SECONDARY: ("12/12", "THPT"),
        GeneralEducation.LOWER_SECONDARY: ("9/12", "THCS"),
    },
    N_("“{value}” is not a level of general education; write THPT, 12/12, THCS or 9/12."),
)
# "12/12" and "9/12" typed into a spreadsheet become 12 and 9 December of the current year: as
# a date cell, or as the text a CSV export gives ("12/12/2025", "2025-12-09", "12-Dec").
_LEVEL_DAYS = {(12, 12): "12/12", (9, 12): "9/12"}
_DAY_MONTH_WORD = re.compile(r"(\d{1,2})[-\s]*(?:dec|thg 12|thang 12)(?: \d{2,4})?")


def general_education(cell: Cell) -> GeneralEducation | None:
    """THPT (12/12) or THCS (9/12), also when a spreadsheet turned "12/12" into a date."""
    return _education_levels(_level_of_date(cell) or cell)


def _level_of_date(cell: Cell) -> str | None:
    if isinstance(cell, datetime | date):
        return _LEVEL_DAYS.get((cell.day, cell.month))
    if not isinstance(cell, str):
        return None
    if match := _DAY_FIRST.fullmatch(cell.strip()):
        return _LEVEL_DAYS.get((int(match[1]), int(match[2])))
    if match := _ISO.fullmatch(cell.strip()):
        return _LEVEL_DAYS.get((int(match[3]), int(match[2])))
    if match := _DAY_MONTH_WORD.fullmatch(fold(cell)):
        return _LEVEL_DAYS.get((int(match[1]), 12))
    return None


professional_level = choice(
    {
        ProfessionalLevel.DOCTOR: ("Tiến sĩ", "Tiến sỹ", "TS"),
        ProfessionalLevel.MASTER: ("Thạc sĩ", "Thạc sỹ", "ThS"),
        ProfessionalLevel.UNIVERSITY: ("Đại học", "ĐH", "Cử nhân", "Kỹ sư"),
        ProfessionalLevel.COLLEGE: ("Cao đẳng", "CĐ"),
        ProfessionalLevel.INTERMEDIATE: ("Trung cấp", "TC"),
        ProfessionalLevel.ELEMENTARY: ("Sơ cấp",),
        ProfessionalLevel.NONE: ("Chưa qua đào tạo",),
    },
    N_(
        "“{value}” is not a professional level; write Tiến sĩ, Thạc sĩ, Đại học, Cao đẳng, "
        "Trung cấp, Sơ cấp or Chưa qua đào tạo."
    ),
)
political_theory = choice(
    {
        PoliticalTheory.ADVANCED: ("Cử nhân", "Cao cấp", "CC"),
        PoliticalTheory.INTERMEDIATE: ("Trung cấp", "TC"),
        PoliticalTheory.ELEMENTARY: ("Sơ cấp", "SC"),
    },
    N_(
        "“{value}” is not a level of political theory; write Cử nhân, Cao cấp, Trung cấp, "
        "Sơ cấp, or leave the cell empty."
    ),
    empty=PoliticalTheory.NONE,
)
state_management = choice(
    {
        StateManagement.SENIOR: ("Chuyên viên cao cấp", "CVCC"),
        StateManagement.PRINCIPAL: ("Chuyên viên chính", "CVC"),
        StateManagement.SPECIALIST: ("Chuyên viên", "CV"),
    },
    N_(
        "“{value}” is not a level of state management; write Chuyên viên cao cấp, "
        "Chuyên viên chính, Chuyên viên, or leave the cell empty."
    ),
    empty=StateManagement.NONE,
)
course_kind = choice(
    {
        CourseKind.LLCT_INTERMEDIATE: ("Trung cấp LLCT", "Trung cấp lý luận chính trị"),
        CourseKind.LLCT_ADVANCED: ("Cao cấp LLCT", "Cao cấp lý luận chính trị"),
        CourseKind.UNIVERSITY: ("Đại học",),
        CourseKind.SOURCE: ("Dự nguồn",),
        CourseKind.REFRESHER: ("Cập nhật kiến thức", "Bồi dưỡng cập nhật kiến thức"),
        CourseKind.STATE_MANAGEMENT: ("QLNN", "Quản lý nhà nước"),
        CourseKind.OTHER: ("Khác",),
    },
    N_(
        "“{value}” is not a kind of course; write Trung cấp LLCT, Cao cấp LLCT, Đại học, "
        "Dự nguồn, Cập nhật kiến thức, QLNN or Khác."
    ),
)
enrollment_status = choice(
    {
        EnrollmentStatus.REGISTERED: ("Đăng ký",),
        EnrollmentStatus.STUDYING: ("Đang học",),
        EnrollmentStatus.COMPLETED: ("Hoàn thành",),
        EnrollmentStatus.FAILED: ("Không đạt",),
        EnrollmentStatus.DROPPED: ("Bỏ học",),
    },
    N_(
        "“{value}” is not an enrollment status; write Đăng ký, Đang học, Hoàn thành, "
        "Không đạt or Bỏ học."
    ),
)

_YES = frozenset({"co", "x"})
_NO = frozenset({"khong"})


def party_member(cell: Cell) -> bool:
    """Có / x for a member; Không or an empty cell for a non-member."""
    if cell is None:
        return False
    if isinstance(cell, bool):
        return cell
    written = as_text(cell)
    if word(written) in _YES | _NO:
        return word(written) in _YES
    raise Invalid(
        N_("“{value}” does not say yes or no; write Có, Không, x, or leave the cell empty."),
        value=written,
    )


def phone(cell: Cell) -> str | None:
    """A Vietnamese number in international form, "+84912345678". A number cell has lost its
    leading zero (912345678), which is why a bare national number is accepted too.

    The value is never echoed in the error: rosters are personal data."""
    if cell is None:
        return None
    digits = _PHONE_PUNCTUATION.sub("", as_text(cell))
    if digits.startswith("+84"):
        national = digits[3:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = digits[2:]
    else:
        national = digits
    mobile = len(national) == 9 and national[0] in "35789"
    landline = len(national) == 10 and national[0] == "2"
    if not national.isdigit() or not (mobile or landline):
        raise Invalid(
            N_("This is not a Vietnamese phone number (0912 345 678, +84912345678, 024 3825 1234).")
        )
    return f"+84{national}"


def money(cell: Cell) -> Decimal | None:
    """Whole đồng: 35000000, "35.000.000", "35,000,000", "35.000.000 ₫" or "… đ"."""
    if cell is None:
        return None
    written = as_text(cell)
    amount = _CURRENCY.sub("", written).replace(" ", "")
    if not isinstance(cell, bool) and _GROUPED.fullmatch(amount):
        value = Decimal(amount.replace(".", "").replace(",", ""))
        if value < MAX_MONEY:
            return value
    raise Invalid(N_("“{value}” is not an amount in đồng, such as 35.000.000."), value=written)


def count(cell: Cell) -> int | None:
    """A whole number from 1 to 99999 (a capacity, a number of months)."""
    if cell is None:
        return None
    written = as_text(cell)
    if written.isdigit() and 0 < int(written) < 100_000:
        return int(written)
    raise Invalid(N_("“{value}” is not a whole number from 1 to 99999."), value=written)


def hours(cell: Cell) -> Decimal | None:
    """A number of hours, to one decimal: 40, 40,5 or 40.5."""
    if cell is None:
        return None
    written = as_text(cell)
    number = written.replace(".", "").replace(",", ".") if "," in written else written
    try:
        value = Decimal(number)
    except InvalidOperation:
        value = Decimal("NaN")
    if isinstance(cell, bool) or not (value.is_finite() and 0 <= value < 100_000):
        raise Invalid(N_("“{value}” is not a number of hours."), value=written)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_ABBREVIATIONS: dict[TitleKind, tuple[str, ...]] = {
    TitleKind.PARTY_SECRETARY: ("Bí thư", "Bí thư ĐU", "BT"),
    TitleKind.DEPUTY_PARTY_SECRETARY: ("Phó Bí thư", "Phó Bí thư ĐU", "PBT"),
    TitleKind.COUNCIL_CHAIR: ("CT HĐND",),
    TitleKind.COUNCIL_VICE_CHAIR: ("PCT HĐND",),
    TitleKind.COMMITTEE_CHAIR: ("CT UBND",),
    TitleKind.COMMITTEE_VICE_CHAIR: ("PCT UBND",),
    TitleKind.FRONT_CHAIR: ("CT MTTQ", "CT UB MTTQ", "Chủ tịch MTTQ"),
    TitleKind.YOUTH_UNION_SECRETARY: (
        "Bí thư Đoàn",
        "Bí thư Đoàn TN",
        "Bí thư Đoàn Thanh niên",
        "Bí thư Đoàn TNCS HCM",
        "BT Đoàn",
    ),
    TitleKind.WOMEN_UNION_CHAIR: (
        "Chủ tịch Hội Phụ nữ",
        "Chủ tịch Hội LHPN",
        "CT Hội Phụ nữ",
        "CT Hội LHPN",
        "CT HPN",
    ),
    TitleKind.FARMERS_UNION_CHAIR: ("CT Hội Nông dân", "CT Hội ND", "CT HND"),
    TitleKind.VETERANS_CHAIR: ("Chủ tịch Hội CCB", "CT Hội CCB", "CT CCB", "CT HCCB"),
    TitleKind.MILITARY_COMMANDER: (
        "Chỉ huy trưởng Quân sự",
        "Chỉ huy trưởng BCHQS",
        "Chỉ huy trưởng Ban CHQS",
        "CHT BCHQS",
        "CHT Quân sự",
    ),
}
_TITLES: dict[str, TitleKind] = {
    word(spelling): kind
    for kind in TitleKind
    if not kind.has_field
    for spelling in (TITLE_NAMES[kind], *_ABBREVIATIONS.get(kind, ()))
}
_UNIT_SUFFIXES = ("xa", "phuong", "thitran", "dackhu")
# The commune's leadership posts, named with their office: "Trưởng phòng Kinh tế", "Chánh Văn
# phòng HĐND và UBND", "Giám đốc Trung tâm Phục vụ hành chính công", and their deputies.
_HEADS = ("truong phong ", "chanh van phong ", "giam doc trung tam ")
# How a roster joins the titles of one person: "Bí thư Đảng ủy, Chủ tịch HĐND",
# "Bí thư ĐU; CT HĐND", "Bí thư Đảng ủy kiêm Chủ tịch HĐND" (also "kiêm nhiệm").
_SEPARATOR = re.compile(
    r"\s*[,;]\s*(?:ki[eê]m(?:\s+nhi[eệ]m)?\s+)?|\s+ki[eê]m(?:\s+nhi[eệ]m)?\s+", re.IGNORECASE
)
ACCEPTED_TITLES = ", ".join(
    [
        *(TITLE_NAMES[kind] for kind in TitleKind if not kind.has_field),
        "Trưởng phòng …, Chánh Văn phòng HĐND và UBND, Giám đốc Trung tâm Phục vụ hành chính công",
        "Phó Trưởng phòng …",
        "Công chức Tư pháp - Hộ tịch (Công chức + lĩnh vực)",
    ]
)


def title(cell: Cell) -> TitleRef | None:
    """One title or its usual abbreviation. A civil servant names the field after "Công chức"
    or "CC"; a department head is named with the office. A trailing "xã" or "phường" ("Chủ
    tịch UBND xã") is ignored."""
    if cell is None:
        return None
    written = as_text(cell)
    words = written.split()
    folded = [fold(part) for part in words]
    prefix = 2 if folded[:2] == ["cong", "chuc"] else 1 if folded[:1] == ["cc"] else 0
    if prefix:
        field = _DASH.sub(" - ", " ".join(words[prefix:])).strip(" -:")
        if not field:
            raise Invalid(
                N_("Name the field of the civil servant, e.g. “Công chức Tư pháp - Hộ tịch”.")
            )
        if len(field) > 120:
            raise Invalid(N_("Too long: at most {limit} characters."), limit=120)
        if fold(field).startswith("chi huy truong"):
            return TitleKind.MILITARY_COMMANDER, ""
        return TitleKind.CIVIL_SERVANT, field
    head = _department_head(written)
    if head is not None:
        return head
    key = word(written)
    for suffix in _UNIT_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in _TITLES:
            key = key[: -len(suffix)]
    if key in _TITLES:
        return _TITLES[key], ""
    raise Invalid(
        N_(
            "“{value}” is not a title we know. Write one of: {titles}; separate several titles "
            "with “,”, “;” or “kiêm”."
        ),
        value=written,
        titles=ACCEPTED_TITLES,
    )


def _department_head(written: str) -> TitleRef | None:
    folded = f"{fold(written)} "
    deputy = folded.startswith("pho ")
    if not any(folded.removeprefix("pho ").startswith(head) for head in _HEADS):
        return None
    if len(written) > 120:
        raise Invalid(N_("Too long: at most {limit} characters."), limit=120)
    kind = TitleKind.DEPUTY_DEPARTMENT_HEAD if deputy else TitleKind.DEPARTMENT_HEAD
    return kind, _DASH.sub(" - ", written)


def titles(cell: Cell) -> tuple[TitleRef, ...]:
    """Titles separated by ",", ";" or "kiêm": the titles one official holds (Chức vụ) or is
    planned for (Chức danh quy hoạch), in the order written; empty means none."""
    if cell is None:
        return ()
    found: list[TitleRef] = []
    for part in _SEPARATOR.split(unicodedata.normalize("NFC", as_text(cell))):
        ref = title(part.strip(" ,;") or None)
        if ref is not None and ref not in found:
            found.append(ref)
    return tuple(found)
