"""The status card under the law in force on its day (issue 15): term age never a gap for a
sitting official, re-election as information, the title a gap comes from for a concurrent post,
the exceptions the law makes, and "reported" where the rule was not read in the original (on
the card, and in its "Căn cứ")."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.records import record
from handlers.status import citations_text, status_text
from locales import translator
from rules.profiles import profile_in_force
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind
from tests.factories import make_official

DECEMBER_2026 = date(2026, 12, 2)
vi = translator("vi")


async def status(session: AsyncSession, day: date = DECEMBER_2026, **fields: object) -> str:
    """The card of an official with ``fields``, followed by its "Căn cứ" (the citations)."""
    values: dict[str, object] = {
        "general_education": GeneralEducation.UPPER_SECONDARY,
        "professional_level": ProfessionalLevel.UNIVERSITY,
        "political_theory": PoliticalTheory.INTERMEDIATE,
        "major": "Luật",
        **fields,
    }
    official = await make_official(session, **values)  # type: ignore[arg-type]
    card = await status_text(session, official, profile_in_force(day), day, vi)
    standing = await record(session, official, profile_in_force(day), day)
    return f"{card}\n\n{citations_text(vi, standing.evaluation)}"


async def test_a_chair_appointed_in_2021_close_to_retirement_is_not_told_term_age_is_missing(
    session,
):
    """The December 2026 complaint: "❌ Tuổi công tác đủ một nhiệm kỳ: còn 41 tháng"."""
    text = await status(session, birth_date=date(1966, 12, 5), appointed_on=date(2021, 7, 1))
    assert "Tuổi công tác đủ một nhiệm kỳ" not in text  # appointed before the rule
    assert [line for line in text.splitlines() if line.startswith("❌ Tuổi")] == []
    assert "ℹ️ Tuổi tái cử: chưa đủ tuổi tái cử nhiệm kỳ 2031–2036" in text
    assert "Còn thiếu: Tuổi" not in text


async def test_re_election_is_shown_as_information(session):
    text = await status(session, birth_date=date(1975, 3, 10), appointed_on=date(2021, 7, 1))
    assert "ℹ️ Tuổi tái cử: đủ tuổi tái cử nhiệm kỳ 2031–2036" in text
    assert "• Tuổi tái cử: Chỉ thị 45-CT/TW; Công văn 8548-CV/BTCTW" in text
    assert "(theo báo cáo, chưa xác nhận trong văn bản)" in text


async def test_a_concurrent_post_shows_the_gap_once_with_its_title(session):
    text = await status(
        session,
        title=TitleKind.PARTY_SECRETARY,
        also=(TitleKind.COUNCIL_CHAIR,),
        political_theory=PoliticalTheory.ELEMENTARY,
    )
    assert "\n\nNguyễn Văn An, Bí thư Đảng ủy, Chủ tịch HĐND, " in text
    assert text.count("❌ Lý luận chính trị:") == 1
    theory = next(line for line in text.splitlines() if line.startswith("❌ Lý luận chính trị"))
    assert theory.endswith("(Chủ tịch HĐND)")


async def civil_servant(session: AsyncSession, field: str, level: ProfessionalLevel) -> str:
    return await status(
        session,
        title=TitleKind.CIVIL_SERVANT,
        title_field=field,
        professional_level=level,
        political_theory=None,
    )


async def test_trung_cap_luat_meets_the_civil_status_clerks_standard(session):
    text = await civil_servant(session, "Tư pháp - Hộ tịch", ProfessionalLevel.INTERMEDIATE)
    met = next(line for line in text.splitlines() if line.startswith("✅ Đã đạt:"))
    assert "Trình độ chuyên môn" in met
    assert "• Trình độ chuyên môn: Luật Hộ tịch 2014, Điều 72 khoản 2" in text


async def test_a_rule_not_read_in_the_original_says_so(session):
    text = await civil_servant(session, "Văn phòng - Thống kê", ProfessionalLevel.COLLEGE)
    degree = text.split("❌ Trình độ chuyên môn")[1].split("\n")[0]
    assert degree.endswith("(chưa xác nhận)")
    basis = text.split("• Trình độ chuyên môn: ")[1].split("\n")[0]
    assert basis.startswith("Công văn 11/CV-BCĐ, tiêu chuẩn công chức cấp xã")
    assert basis.endswith("(theo báo cáo, chưa xác nhận trong văn bản)")
