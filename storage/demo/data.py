"""What the demo province is made of, drawn from the seeds (DOMAIN.md, "The programmes in the
seeds"). Change the demo here; ``people`` and ``load`` only turn this into rows.

Bắc Ninh absorbed Bắc Giang on 1/7/2025, so the picks mix former Bắc Giang communes (seeds 000
and 004) with Bắc Ninh wards. Levels follow seeds 002 and 004: mostly đại học, some cao đẳng or
trung cấp; LLCT mostly cao cấp or trung cấp, a few sơ cấp or none; some degrees in majors
unrelated to the post; some records with unknown values.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel, StateManagement
from rules.titles import TitleKind
from storage.models import CourseKind, ProgrammeStepKind

SEED = 2025  # fixed, so every run draws the same people
PROVINCE = "24"  # Bắc Ninh
CODE_PREFIX = "DEMO-"


@dataclass(frozen=True)
class Commune:
    code: str  # catalogue code; the name comes from the catalogue
    highland: bool = False  # mountainous, ethnic minorities: a difficult area (NĐ 33/2023 Đ.10)
    # the Bí thư is also Chủ tịch HĐND (kiêm nhiệm), as Chỉ thị 35-CT/TW and 45-CT/TW ask where
    # possible; the council then has two vice chairs
    secretary_chairs_council: bool = False


COMMUNES = (
    Commune("07615", highland=True),  # Xã Sơn Động
    Commune("07616", highland=True),  # Xã Tây Yên Tử
    Commune("07582", highland=True),  # Xã Lục Ngạn
    Commune("07444", secretary_chairs_council=True),  # Xã Lục Nam
    Commune("07375", secretary_chairs_council=True),  # Xã Lạng Giang
    Commune("07210"),  # Phường Bắc Giang
    Commune("07777"),  # Phường Việt Yên
    Commune("09187"),  # Phường Kinh Bắc
    Commune("09367"),  # Phường Từ Sơn
    Commune("09454"),  # Xã Gia Bình
)

# Every commune has these posts: the key officials, then the civil servants by field.
KEY_POSTS = (
    TitleKind.PARTY_SECRETARY,
    TitleKind.DEPUTY_PARTY_SECRETARY,
    TitleKind.COUNCIL_CHAIR,
    TitleKind.COUNCIL_VICE_CHAIR,
    TitleKind.COMMITTEE_CHAIR,
    TitleKind.COMMITTEE_VICE_CHAIR,
    TitleKind.COMMITTEE_VICE_CHAIR,
    TitleKind.FRONT_CHAIR,
)
CIVIL_SERVANT_FIELDS = (
    "Văn phòng - Thống kê",
    "Địa chính - Xây dựng",
    "Địa chính - Xây dựng",
    "Tài chính - Kế toán",
    "Tư pháp - Hộ tịch",
    "Văn hóa - Xã hội",
)
SOURCE_TRAINEES = 15

# Who people are. Weights are relative; None means the record leaves the value unknown.
ETHNICITIES_LOWLAND = (("Kinh", 100),)
ETHNICITIES_HIGHLAND = (("Kinh", 50), ("Tày", 22), ("Nùng", 22), ("Sán Dìu", 6))
ETHNICITIES_TRAINEES = (("Kinh", 76), ("Tày", 12), ("Khmer", 12))  # graduates from anywhere

SURNAMES = {
    "Kinh": (
        ("Nguyễn", 30),
        ("Trần", 9),
        ("Lê", 8),
        ("Phạm", 6),
        ("Hoàng", 5),
        ("Vũ", 5),
        ("Đỗ", 4),
        ("Ngô", 4),
        ("Dương", 3),
        ("Bùi", 3),
        ("Đặng", 3),
        ("Thân", 3),
        ("Giáp", 2),
        ("Đào", 2),
    ),
    "Tày": (("Hoàng", 5), ("Nông", 4), ("Lường", 2), ("Ma", 2), ("Triệu", 2), ("Lục", 1)),
    "Nùng": (("Hoàng", 4), ("Vi", 3), ("Lăng", 2), ("Nông", 2), ("Lương", 2), ("Mã", 1)),
    "Sán Dìu": (("Trương", 2), ("Diệp", 2), ("Lỷ", 1), ("Dương", 1)),
}
MIDDLE_NAMES = {
    "male": ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Công", "Tiến", "Ngọc"),
    "female": ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Phương"),
}
GIVEN_NAMES = {
    "male": (
        "Hùng",
        "Dũng",
        "Tuấn",
        "Hải",
        "Thắng",
        "Cường",
        "Long",
        "Nam",
        "Sơn",
        "Quân",
        "Hưng",
        "Thành",
        "Trung",
        "Hiếu",
        "Phong",
        "Toàn",
        "Khánh",
        "Định",
        "Bình",
        "Vinh",
        "Tùng",
    ),
    "female": (
        "Lan",
        "Hương",
        "Hà",
        "Thảo",
        "Hằng",
        "Nga",
        "Huyền",
        "Trang",
        "Linh",
        "Mai",
        "Yến",
        "Thủy",
        "Hạnh",
        "Nhung",
        "Loan",
        "Dung",
        "Oanh",
        "Quyên",
    ),
}
# Khmer names do not follow the surname-middle-given pattern: whole names (seed 002).
KHMER_NAMES = {
    "male": ("Thạch Sô Phol", "Sơn Văn Huỳnh", "Danh Hoàng Sang", "Lâm Sô Khom"),
    "female": ("Thạch Thị Sa Rươne", "Kim Thị Sóc Kha", "Lý Thị Sà Phanh"),
}

FEMALE_SHARE = {"key": 0.25, "civil_servant": 0.55, "trainee": 0.45}
PARTY_SHARE = {"key": 1.0, "civil_servant": 0.65, "trainee": 0.6}
PHONE_SHARE = 0.9

# Ages in whole years this year; a share of each group sits near retirement age.
AGES = {
    ("key", "male"): (33, 58),
    ("key", "female"): (31, 53),
    ("civil_servant", "male"): (24, 55),
    ("civil_servant", "female"): (23, 52),
    ("trainee", "male"): (23, 29),  # under 30 (seed 003)
    ("trainee", "female"): (23, 29),
}
NEAR_RETIREMENT = {"male": (58, 60), "female": (53, 56)}
NEAR_RETIREMENT_SHARE = 0.12

GENERAL_EDUCATION = (
    (GeneralEducation.UPPER_SECONDARY, 95),
    (GeneralEducation.LOWER_SECONDARY, 2),
    (None, 3),
)
PROFESSIONAL = {
    "key": (
        (ProfessionalLevel.MASTER, 12),
        (ProfessionalLevel.UNIVERSITY, 72),
        (ProfessionalLevel.COLLEGE, 7),
        (ProfessionalLevel.INTERMEDIATE, 5),
        (None, 4),
    ),
    "civil_servant": (
        (ProfessionalLevel.UNIVERSITY, 74),
        (ProfessionalLevel.COLLEGE, 10),
        (ProfessionalLevel.INTERMEDIATE, 12),
        (None, 4),
    ),
    "trainee": ((ProfessionalLevel.UNIVERSITY, 90), (ProfessionalLevel.MASTER, 10)),
}
POLITICAL = {
    "key": (
        (PoliticalTheory.ADVANCED, 30),
        (PoliticalTheory.INTERMEDIATE, 55),
        (PoliticalTheory.ELEMENTARY, 8),
        (PoliticalTheory.NONE, 3),
        (None, 4),
    ),
    "civil_servant": (
        (PoliticalTheory.INTERMEDIATE, 35),
        (PoliticalTheory.ELEMENTARY, 40),
        (PoliticalTheory.NONE, 20),
        (None, 5),
    ),
    "trainee": ((PoliticalTheory.INTERMEDIATE, 100),),  # from the school step (seed 000, step 3)
}
STATE_MANAGEMENT = {
    "key": (
        (StateManagement.PRINCIPAL, 20),
        (StateManagement.SPECIALIST, 60),
        (StateManagement.NONE, 15),
        (None, 5),
    ),
    "civil_servant": ((StateManagement.SPECIALIST, 55), (StateManagement.NONE, 40), (None, 5)),
    "trainee": ((StateManagement.SPECIALIST, 100),),
}

KEY_MAJORS = (
    "Xây dựng Đảng và chính quyền nhà nước",
    "Luật",
    "Quản lý nhà nước",
    "Hành chính học",
    "Kinh tế nông nghiệp",
    "Quản lý kinh tế",
)
FIELD_MAJORS = {
    "Văn phòng - Thống kê": ("Hành chính học", "Thống kê", "Quản trị văn phòng"),
    "Địa chính - Xây dựng": ("Quản lý đất đai", "Kỹ thuật xây dựng"),
    "Tài chính - Kế toán": ("Kế toán", "Tài chính - Ngân hàng"),
    "Tư pháp - Hộ tịch": ("Luật",),
    "Văn hóa - Xã hội": ("Văn hóa học", "Công tác xã hội", "Quản lý văn hóa"),
}
# Degrees earned "just to meet the standard" in an unrelated field (seed 002).
UNRELATED_MAJORS = ("Khoa học môi trường", "Quản lý đất đai", "Kế toán", "Chăn nuôi thú y")
UNRELATED_SHARE = 0.15

# Quy hoạch: who is planned for which title, and how often.
PLANNED_FOR = {
    TitleKind.DEPUTY_PARTY_SECRETARY: ((TitleKind.PARTY_SECRETARY,), 0.7),
    TitleKind.COUNCIL_VICE_CHAIR: ((TitleKind.COUNCIL_CHAIR,), 0.5),
    TitleKind.COMMITTEE_VICE_CHAIR: ((TitleKind.COMMITTEE_CHAIR,), 0.6),
    TitleKind.CIVIL_SERVANT: ((TitleKind.COMMITTEE_VICE_CHAIR,), 0.15),
}
# Seed 003: trainees are planned for Bí thư, Phó Bí thư, Chủ tịch or Phó Chủ tịch UBND.
TRAINEE_PLANS = (
    (TitleKind.PARTY_SECRETARY, TitleKind.COMMITTEE_CHAIR),
    (TitleKind.DEPUTY_PARTY_SECRETARY, TitleKind.COMMITTEE_VICE_CHAIR),
)


@dataclass(frozen=True)
class When:
    """A date relative to today, so the demo never goes stale: ``count`` weeks from this week's
    Monday (classes open on Mondays), or ``count`` months from the first of this month; then
    ``days`` more (-3 from a Monday is the Friday before; -1 from the 1st, a month's last day)."""

    count: int
    unit: Literal["week", "month"]
    days: int = 0


def weeks(count: int, days: int = 0) -> When:
    return When(count, "week", days)


def months(count: int, days: int = 0) -> When:
    return When(count, "month", days)


@dataclass(frozen=True)
class CourseSpec:
    code: str
    name: str
    kind: CourseKind
    starts: When
    ends: When
    enroll_by: When | None = None
    capacity: int | None = None
    hours: Decimal | None = None
    cost: Decimal | None = None
    provider: str = "Trường Chính trị tỉnh Bắc Ninh"


def vnd(amount: int) -> Decimal:
    return Decimal(amount)


# Classes running or about to open: they close the gaps the demo officials have (seeds 000, 003).
LLCT_CLASS = CourseSpec(
    "DEMO-LOP-TCLLCT-01",
    "Trung cấp lý luận chính trị - hành chính, hệ không tập trung, lớp 01",
    CourseKind.LLCT_INTERMEDIATE,
    weeks(3),
    weeks(43, days=-3),
    weeks(2, days=-3),
    capacity=80,
    cost=vnd(12_000_000),
)
LLCT_CLASS_LATER = CourseSpec(
    "DEMO-LOP-TCLLCT-02",
    "Trung cấp lý luận chính trị - hành chính, hệ không tập trung, lớp 02",
    CourseKind.LLCT_INTERMEDIATE,
    weeks(9),
    weeks(49, days=-3),
    weeks(6, days=-3),
    capacity=80,
    cost=vnd(12_000_000),
)
SOURCE_CLASS = CourseSpec(
    "DEMO-LOP-DUNGUON-01",
    "Bồi dưỡng dự nguồn chức danh Bí thư Đảng ủy, Chủ tịch UBND cấp xã",
    CourseKind.SOURCE,
    weeks(5),
    weeks(8, days=-3),
    weeks(3, days=-3),
    capacity=100,
    hours=Decimal(120),
    cost=vnd(3_500_000),  # seed 000: 2–4 weeks, 80–100 trainees
)
UNIVERSITY_CLASS = CourseSpec(
    "DEMO-LOP-DH-01",
    "Đại học Xây dựng Đảng và chính quyền nhà nước, vừa làm vừa học",
    CourseKind.UNIVERSITY,
    weeks(12),
    weeks(168, days=-3),
    weeks(8, days=-3),
    capacity=60,
    cost=vnd(45_000_000),
    provider="Học viện Chính trị khu vực I",
)
STATE_MANAGEMENT_CLASS = CourseSpec(
    "DEMO-LOP-QLNN-01",
    "Bồi dưỡng kiến thức quản lý nhà nước chương trình chuyên viên",
    CourseKind.STATE_MANAGEMENT,
    weeks(4),
    weeks(12, days=-3),
    weeks(2, days=-3),
    capacity=70,
    hours=Decimal(240),
    cost=vnd(5_000_000),
)
LLCT_CLASS_RUNNING = CourseSpec(
    "DEMO-LOP-TCLLCT-K2",
    "Trung cấp lý luận chính trị - hành chính, hệ không tập trung, khóa K2",
    CourseKind.LLCT_INTERMEDIATE,
    months(-3),
    months(5, days=-1),
    capacity=80,
    cost=vnd(12_000_000),
)
CURRENT_CLASSES = (
    LLCT_CLASS,
    LLCT_CLASS_LATER,
    SOURCE_CLASS,
    UNIVERSITY_CLASS,
    STATE_MANAGEMENT_CLASS,
    LLCT_CLASS_RUNNING,
)

# Classes already finished; their graduates serve bonds of twice the training time
# (Nghị định 101/2017 Điều 5), one nearly served, one served, one half-way.
LLCT_BOND_NEAR_END = CourseSpec(
    "DEMO-LOP-TCLLCT-K1",
    "Trung cấp lý luận chính trị - hành chính, khóa K1",
    CourseKind.LLCT_INTERMEDIATE,
    months(-23),
    months(-15, days=-1),
    capacity=80,
    cost=vnd(12_000_000),
)
LLCT_BOND_SERVED = CourseSpec(
    "DEMO-LOP-TCLLCT-K0",
    "Trung cấp lý luận chính trị - hành chính, khóa K0",
    CourseKind.LLCT_INTERMEDIATE,
    months(-30),
    months(-22, days=-1),
    capacity=80,
    cost=vnd(12_000_000),
)
UNIVERSITY_BOND_HALFWAY = CourseSpec(
    "DEMO-LOP-DH-K0",
    "Đại học Luật, vừa làm vừa học, khóa K0",
    CourseKind.UNIVERSITY,
    months(-72),
    months(-36, days=-1),
    capacity=60,
    cost=vnd(45_000_000),
    provider="Trường Đại học Luật Hà Nội",
)
PAST_UNIVERSITY_MAJOR = "Luật"  # its graduates are the officials with that major
GRADUATES_PER_PAST_CLASS = 3
BOND_MULTIPLIER = 2  # Nghị định 101/2017 Điều 5: at least twice the training time

# The yearly refresher (seed 002: at least once a year; Quy định 145-QĐ/TW): a session held
# earlier this year, one still to come this year, and next year's first.
REFRESHER_NAME = "Bồi dưỡng cập nhật kiến thức cho cán bộ chủ chốt cấp xã năm {year}, đợt {round}"
REFRESHER_CODE = "DEMO-LOP-CNKT-{year}-{round}"
REFRESHER_HOURS = Decimal(40)
REFRESHER_COST = vnd(1_500_000)
REFRESHER_DONE_SHARE = 0.65  # of key officials, in this year's first session

# The source programme: the five steps of seed 000 around today, Hải Phòng's 5-year bond (seed 003).
PROGRAMME_CODE = "DEMO-TAONGUON"
PROGRAMME_NAME = "Đề án tạo nguồn Bí thư Đảng ủy, Chủ tịch UBND cấp xã (tỉnh mẫu)"
PROGRAMME_BOND_MONTHS = 60
PROGRAMME_STEPS = (
    (ProgrammeStepKind.SELECTION, months(-12), months(-11, days=-1)),
    (ProgrammeStepKind.SCHOOL, months(-11), months(-4, days=-1)),
    (ProgrammeStepKind.DISTRICT_PLACEMENT, months(-4), months(-1, days=-1)),
    (ProgrammeStepKind.COMMUNE_ASSIGNMENT, months(-1), months(5, days=-1)),
    (ProgrammeStepKind.PROBATION, months(5), months(17, days=-1)),
)
PROGRAMME_SCHOOL = CourseSpec(
    "DEMO-LOP-TAONGUON-01",
    "Trung cấp lý luận chính trị và nghiệp vụ, lớp tạo nguồn khóa 01",
    CourseKind.LLCT_INTERMEDIATE,
    months(-11),
    months(-4, days=-1),
    capacity=100,
    cost=vnd(38_000_000),
)
