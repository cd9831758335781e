"""Evaluating an official against a profile: status, deadline, citation per requirement."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from rules.evaluation import Confidence, Evaluation, RequirementResult, Status
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import load_profile, profile_in_force
from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.standards import closing_course_kinds, evaluate
from rules.titles import Post, TitleKind

ON = date(2025, 6, 1)
UNIVERSITY = ProfessionalLevel.UNIVERSITY
INTERMEDIATE = ProfessionalLevel.INTERMEDIATE
AT_APPOINTMENT = "at_appointment"
ND33 = "Nghị định 33/2023/NĐ-CP"
LAW_2025 = "Luật Cán bộ, công chức 2025"
FIELDS = {
    TitleKind.CIVIL_SERVANT: "Tư pháp - Hộ tịch",
    TitleKind.DEPARTMENT_HEAD: "Trưởng phòng Kinh tế",
    TitleKind.DEPUTY_DEPARTMENT_HEAD: "Phó Chánh Văn phòng HĐND và UBND",
}


@pytest.fixture(scope="module")
def nd33():
    return load_profile("nd33-2023")


@pytest.fixture(scope="module")
def reform():
    return load_profile("reform-2025")


def leader(title: TitleKind = TitleKind.COMMITTEE_CHAIR, **changes: Any) -> OfficialFacts:
    """A leader who meets every standard on ON, appointed before any term-age rule."""
    facts = OfficialFacts(
        birth_date=date(1975, 3, 10),
        gender=Gender.MALE,
        posts=(Post(title, FIELDS.get(title, "")),),
        appointed_on=date(2021, 7, 1),
        general_education=GeneralEducation.UPPER_SECONDARY,
        professional_level=ProfessionalLevel.UNIVERSITY,
        major="Luật",
        political_theory=PoliticalTheory.INTERMEDIATE,
        trainings=(TrainingRecord("refresher", date(2025, 4, 2), Decimal(40)),),
    )
    return replace(facts, **changes)


def civil_servant(field: str = "Tư pháp - Hộ tịch", **changes: Any) -> OfficialFacts:
    facts = leader(
        TitleKind.CIVIL_SERVANT,
        posts=(Post(TitleKind.CIVIL_SERVANT, field),),
        political_theory=None,
    )
    return replace(facts, **changes)


def result(evaluation: Evaluation, key: str) -> RequirementResult:
    (found,) = [r for r in evaluation.results if r.key == key]
    return found


@pytest.mark.parametrize("title", list(TitleKind))
@pytest.mark.parametrize("profile_name", ["nd33-2023", "reform-2025", "nd334-2025"])
def test_a_qualified_official_meets_every_requirement(title, profile_name):
    official = leader(
        title, major="Quân sự cơ sở" if title is TitleKind.MILITARY_COMMANDER else "Luật"
    )
    evaluation = evaluate(official, load_profile(profile_name), on=ON)
    assert evaluation.profile == profile_name
    assert evaluation.on == ON
    assert [r for r in evaluation.results if r.status not in (Status.MET, Status.INFO)] == []
    assert evaluation.meets_all
    assert all(r.deadline is None for r in evaluation.results if r.key != "refresher")
    # source trainees hold no post; the commune's department heads exist from the reform on
    nothing = title is TitleKind.SOURCE_TRAINEE or (
        profile_name == "nd33-2023" and title in FIELDS and title is not TitleKind.CIVIL_SERVANT
    )
    assert (evaluation.results == ()) is nothing


@pytest.mark.parametrize(
    ("day", "document", "citation"),
    [
        (date(2025, 6, 30), ND33, f"{ND33}, Điều 10 khoản 2"),
        (date(2025, 7, 1), LAW_2025, "Công văn 11/CV-BCĐ, tiêu chuẩn công chức cấp xã"),
    ],
)
def test_the_law_changes_on_1_july_2025(day, document, citation):
    """A civil servant with a college degree: under Nghị định 33/2023 until 30/06/2025, under
    the 2025 law from 01/07/2025."""
    official = civil_servant("Văn hóa - Xã hội", professional_level=ProfessionalLevel.COLLEGE)
    evaluation = evaluate(official, profile_in_force(day), on=day)
    assert evaluation.document == document
    degree = result(evaluation, "professional_level")
    assert str(degree.citation) == citation
    assert degree.status is Status.MISSING


def test_missing_qualifications_of_a_committee_chair(nd33):
    official = leader(
        professional_level=ProfessionalLevel.COLLEGE,
        political_theory=PoliticalTheory.ELEMENTARY,
        general_education=None,
        trainings=(TrainingRecord("refresher", date(2025, 4, 2)),),
    )
    evaluation = evaluate(official, nd33, on=ON)
    assert [(r.key, r.status) for r in evaluation.results] == [
        ("general_education", Status.UNKNOWN),
        ("professional_level", Status.MISSING),
        ("political_theory", Status.MISSING),
        ("refresher", Status.MET),
    ]
    degree = result(evaluation, "professional_level")
    assert degree.required is ProfessionalLevel.UNIVERSITY
    assert degree.actual is ProfessionalLevel.COLLEGE
    assert degree.deadline == date(2028, 8, 1)
    assert str(degree.citation) == f"{ND33}, Điều 8 khoản 3"
    assert str(degree.deadline_citation) == f"{ND33}, Điều 38"
    assert degree.post == Post(TitleKind.COMMITTEE_CHAIR)
    theory = result(evaluation, "political_theory")
    assert theory.required is PoliticalTheory.INTERMEDIATE
    assert theory.actual is PoliticalTheory.ELEMENTARY
    assert result(evaluation, "general_education").actual is None
    assert not evaluation.meets_all
    assert [r.key for r in evaluation.missing] == ["professional_level", "political_theory"]
    assert [r.key for r in evaluation.unknown] == ["general_education"]


def test_a_deadline_already_passed_is_still_reported(nd33):
    official = leader(professional_level=ProfessionalLevel.COLLEGE)
    degree = result(evaluate(official, nd33, on=date(2029, 1, 1)), "professional_level")
    assert degree.status is Status.MISSING
    assert degree.deadline == date(2028, 8, 1)


@pytest.mark.parametrize(
    ("profile_name", "difficult", "status", "required", "deadline", "citation", "note"),
    [
        # Nghị định 33/2023 Điều 10 khoản 3: trung cấp accepted in difficult areas
        (
            "nd33-2023",
            True,
            Status.MET,
            INTERMEDIATE,
            None,
            f"{ND33}, Điều 10 khoản 2",
            "difficult_area",
        ),
        (
            "nd33-2023",
            False,
            Status.MISSING,
            UNIVERSITY,
            date(2028, 8, 1),
            f"{ND33}, Điều 10 khoản 2",
            None,
        ),
        # 2025 reform: đại học, with five years in difficult areas; no deadline elsewhere
        (
            "reform-2025",
            True,
            Status.MISSING,
            UNIVERSITY,
            date(2030, 7, 1),
            "Công văn 11/CV-BCĐ, tiêu chuẩn công chức cấp xã",
            None,
        ),
        (
            "reform-2025",
            False,
            Status.MISSING,
            UNIVERSITY,
            None,
            "Công văn 11/CV-BCĐ, tiêu chuẩn công chức cấp xã",
            None,
        ),
    ],
)
def test_civil_servant_with_trung_cap(
    profile_name, difficult, status, required, deadline, citation, note
):
    official = civil_servant(
        "Văn phòng - Thống kê", professional_level=INTERMEDIATE, difficult_area=difficult
    )
    degree = result(evaluate(official, load_profile(profile_name), on=ON), "professional_level")
    assert (degree.status, degree.required, degree.deadline) == (status, required, deadline)
    assert str(degree.citation) == citation
    assert degree.note == note
    if profile_name == "reform-2025":
        assert degree.confidence is Confidence.REPORTED


@pytest.mark.parametrize("profile_name", ["nd33-2023", "reform-2025", "nd334-2025"])
def test_trung_cap_luat_is_enough_for_the_civil_status_clerk(profile_name):
    """Luật Hộ tịch 2014 Điều 72 khoản 2: trung cấp luật (the December 2026 complaint)."""
    clerk = civil_servant(professional_level=INTERMEDIATE, major="Luật")
    evaluation = evaluate(clerk, load_profile(profile_name), on=date(2026, 12, 2))
    degree = result(evaluation, "professional_level")
    assert (degree.status, degree.required) == (Status.MET, INTERMEDIATE)
    assert str(degree.citation) == "Luật Hộ tịch 2014, Điều 72 khoản 2"
    assert result(evaluation, "professional_field").status is Status.MET
    # but not trung cấp in another field
    other = civil_servant(professional_level=INTERMEDIATE, major="Kế toán")
    field = result(evaluate(other, load_profile(profile_name), on=ON), "professional_field")
    assert field.status is Status.MISSING


@pytest.mark.parametrize(
    ("level", "major", "degree", "field"),
    [
        (INTERMEDIATE, "Quân sự cơ sở", Status.MET, Status.MET),
        (ProfessionalLevel.ELEMENTARY, "Quân sự cơ sở", Status.MISSING, Status.MET),
        (UNIVERSITY, "Kế toán", Status.MET, Status.MISSING),
    ],
)
def test_the_military_commander_follows_military_law(level, major, degree, field):
    """Luật Dân quân tự vệ 2019 Điều 26: trung cấp quân sự cơ sở, no đại học required."""
    commander = leader(TitleKind.MILITARY_COMMANDER, professional_level=level, major=major)
    evaluation = evaluate(commander, load_profile("nd33-2023"), on=ON)
    assert [r.key for r in evaluation.results] == [
        "professional_level",
        "professional_field",
        "refresher",
    ]
    assert result(evaluation, "professional_level").status is degree
    assert result(evaluation, "professional_field").status is field
    assert str(result(evaluation, "professional_level").citation) == (
        "Luật Dân quân tự vệ 2019, Điều 26"
    )


@pytest.mark.parametrize(
    "title",
    [
        TitleKind.YOUTH_UNION_SECRETARY,
        TitleKind.WOMEN_UNION_CHAIR,
        TitleKind.FARMERS_UNION_CHAIR,
        TitleKind.VETERANS_CHAIR,
    ],
)
def test_the_heads_of_the_mass_organisations_are_titles(title):
    """Nghị định 33/2023 Điều 8 khoản 2 (reported): đại học, unless their charter says so."""
    head = leader(title, professional_level=ProfessionalLevel.COLLEGE)
    degree = result(evaluate(head, load_profile("nd33-2023"), on=ON), "professional_level")
    assert (degree.status, degree.confidence) == (Status.MISSING, Confidence.REPORTED)
    assert str(degree.citation) == f"{ND33}, Điều 8 khoản 2"


CADRES_IN_DIFFICULT_AREAS = """
[[requirement]]
key = "professional_level"
titles = ["cadres"]
minimum = "university"
difficult_area_minimum = "intermediate"
citation = { document = "Nghị định 33/2023/NĐ-CP", article = "Điều 8", effective = 2023-08-01 }
difficult_area_citation = { document = "Quyết định 12/2024/QĐ-UBND", article = "Điều 2" }
"""


def test_the_trung_cap_floor_for_cadres_applies_where_the_province_adopts_it(nd33, tmp_path):
    """Nghị định 33/2023 Điều 8 khoản 4: the province decides; the bundled profile does not."""
    chair = leader(professional_level=INTERMEDIATE, difficult_area=True)
    assert result(evaluate(chair, nd33, on=ON), "professional_level").status is Status.MISSING
    path = tmp_path / "province.toml"
    path.write_text(CADRES_IN_DIFFICULT_AREAS, encoding="utf-8")
    province = load_profile("nd33-2023", path)
    degree = result(evaluate(chair, province, on=ON), "professional_level")
    assert (degree.status, degree.required, degree.note) == (
        Status.MET,
        INTERMEDIATE,
        "difficult_area",
    )
    lowland = replace(chair, difficult_area=False)
    assert result(evaluate(lowland, province, on=ON), "professional_level").status is (
        Status.MISSING
    )


@pytest.mark.parametrize(
    ("title_field", "major", "status", "required"),
    [
        ("Tư pháp - Hộ tịch", "Luật kinh tế", Status.MET, "Tư pháp"),
        ("Tư pháp - Hộ tịch", "luat hanh chinh", Status.MET, "Tư pháp"),  # typed without marks
        ("Tư pháp - Hộ tịch", "Quản lý môi trường", Status.MISSING, "Tư pháp"),
        ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Đất đai", Status.MET, "Địa chính"),
        ("Địa chính - Xây dựng", "Kỹ thuật xây dựng", Status.MET, "Địa chính"),
        # issue 16: Party work is not construction
        (
            "Địa chính - Xây dựng",
            "Xây dựng Đảng và chính quyền nhà nước",
            Status.MISSING,
            "Địa chính",
        ),
        ("Tài chính - Kế toán", "Kế toán doanh nghiệp", Status.MET, "Tài chính"),
        ("Tài chính - Kế toán", "Kinh tế chính trị", Status.MISSING, "Tài chính"),
        ("Tài chính - Kế toán", "Địa chính", Status.MISSING, "Tài chính"),
        ("Văn hóa - Xã hội", "Công tác xã hội", Status.MET, "Văn hóa"),
        ("Văn hóa - Xã hội", "Công nghệ thông tin", Status.MISSING, "Văn hóa"),
        ("Tư pháp - Hộ tịch", None, Status.UNKNOWN, "Tư pháp"),
        ("", "Luật", Status.UNKNOWN, None),
        ("Thủ quỹ", "Luật", Status.UNKNOWN, None),  # a field the profile has no phrases for
    ],
)
def test_major_must_match_the_civil_servants_field(nd33, title_field, major, status, required):
    official = civil_servant(title_field, major=major)
    field = result(evaluate(official, nd33, on=ON), "professional_field")
    assert (field.status, field.required, field.actual) == (status, required, major)
    assert (field.deadline is None) is (status is Status.MET)


# --- term age ---------------------------------------------------------------------------------

# A man born 5/1968 retires at the end of 05/2030: 60 months from 01/06/2025.
BORN = date(1968, 5, 20)


@pytest.mark.parametrize(
    ("appointed_on", "status", "left"),
    [
        (date(2025, 5, 1), Status.MET, 61),
        (date(2025, 6, 1), Status.MET, 60),
        (date(2025, 6, 2), Status.MISSING, 59),
    ],
)
def test_term_age_on_first_appointment(nd33, appointed_on, status, left):
    """Checked on the day the post is taken: a post still to be taken with 59 months is a
    gap; 60 or more meets it."""
    official = leader(birth_date=BORN, appointed_on=appointed_on)
    term = result(evaluate(official, nd33, on=date(2025, 4, 1)), "term_age")
    assert (term.status, term.required, term.actual, term.note) == (
        status,
        60,
        left,
        AT_APPOINTMENT,
    )
    assert term.measured_on == appointed_on
    assert str(term.citation) == f"{ND33}, Điều 8 khoản 3"
    assert term.deadline is None
    assert closing_course_kinds(term) == set()


@pytest.mark.parametrize("profile_name", ["nd33-2023", "reform-2025", "nd334-2025"])
@pytest.mark.parametrize("on", [date(2025, 6, 1), date(2026, 12, 2), date(2030, 5, 31)])
def test_a_sitting_official_close_to_retirement_is_never_missing_term_age(profile_name, on):
    """Appointed in 2021 (before the rule), or in 2024 with 59 months left (a special case the
    competent body decided): never ❌, however close retirement is."""
    for appointed_on in (date(2021, 7, 1), date(2024, 1, 2)):
        official = leader(birth_date=date(1966, 12, 5), appointed_on=appointed_on)
        evaluation = evaluate(official, load_profile(profile_name), on=on)
        assert all(r.key not in ("term_age", "reelection") for r in evaluation.missing)
        assert all(r.key not in ("term_age", "reelection") for r in evaluation.unknown)


def test_an_appointment_before_the_rule_says_nothing_about_term_age(nd33):
    official = leader(birth_date=date(1966, 12, 5), appointed_on=date(2021, 7, 1))
    assert "term_age" not in [r.key for r in evaluate(official, nd33, on=ON).results]


def test_an_appointment_under_the_rule_with_too_few_months_is_information(nd33):
    official = leader(birth_date=date(1966, 12, 5), appointed_on=date(2024, 1, 2))
    term = result(evaluate(official, nd33, on=ON), "term_age")
    assert (term.status, term.actual, term.required) == (Status.INFO, 59, 60)


@pytest.mark.parametrize(
    ("title", "born", "on", "left", "required", "term", "measured_on"),
    [
        # the Party congress of 07/2030 (term 2030-2035): 48 months, measured on 01/07/2030
        (
            TitleKind.PARTY_SECRETARY,
            date(1972, 6, 20),
            date(2026, 12, 2),
            48,
            48,
            (2030, 2035),
            date(2030, 7, 1),
        ),
        (
            TitleKind.PARTY_SECRETARY,
            date(1972, 5, 20),
            date(2026, 12, 2),
            47,
            48,
            (2030, 2035),
            date(2030, 7, 1),
        ),
        # the HĐND election of 03/2031 (term 2031-2036): 36 months
        (
            TitleKind.COMMITTEE_CHAIR,
            date(1972, 2, 20),
            date(2026, 12, 2),
            36,
            36,
            (2031, 2036),
            date(2031, 3, 1),
        ),
        (
            TitleKind.COMMITTEE_CHAIR,
            date(1972, 1, 20),
            date(2026, 12, 2),
            35,
            36,
            (2031, 2036),
            date(2031, 3, 1),
        ),
        # on the day of the 2025 congress itself, measured that day
        (
            TitleKind.DEPUTY_PARTY_SECRETARY,
            date(1967, 6, 20),
            date(2025, 7, 1),
            48,
            48,
            (2025, 2030),
            date(2025, 7, 1),
        ),
    ],
)
def test_reelection_is_information_at_the_next_congress(
    title, born, on, left, required, term, measured_on
):
    official = leader(title, birth_date=born)
    evaluation = evaluate(official, profile_in_force(on), on=on)
    again = result(evaluation, "reelection")
    assert again.status is Status.INFO
    assert (again.actual, again.required, again.term, again.measured_on) == (
        left,
        required,
        term,
        measured_on,
    )
    assert again not in evaluation.missing


def test_reelection_thresholds_are_cited(reform):
    secretary = result(evaluate(leader(TitleKind.PARTY_SECRETARY), reform, on=ON), "reelection")
    assert (secretary.citation.document, secretary.confidence) == (
        "Chỉ thị 45-CT/TW",
        Confidence.CONFIRMED,
    )
    chair = result(evaluate(leader(), reform, on=ON), "reelection")
    assert chair.confidence is Confidence.REPORTED


# --- concurrent posts -------------------------------------------------------------------------


def test_secretary_chairing_the_council_needs_political_theory_through_the_council(nd33):
    """Bí thư kiêm Chủ tịch HĐND with LLCT sơ cấp: the secretary's standard does not ask for
    it, the council chair's does; the gap is shown once, from the council chair's title."""
    both = leader(
        TitleKind.PARTY_SECRETARY,
        posts=(Post(TitleKind.PARTY_SECRETARY), Post(TitleKind.COUNCIL_CHAIR)),
        political_theory=PoliticalTheory.ELEMENTARY,
    )
    alone = replace(both, posts=(Post(TitleKind.PARTY_SECRETARY),))
    assert "political_theory" not in [r.key for r in evaluate(alone, nd33, on=ON).results]
    evaluation = evaluate(both, nd33, on=ON)
    keys = [r.key for r in evaluation.results]
    assert len(keys) == len(set(keys))  # each requirement once
    theory = result(evaluation, "political_theory")
    assert (theory.status, theory.post) == (Status.MISSING, Post(TitleKind.COUNCIL_CHAIR))
    assert str(theory.citation) == f"{ND33}, Điều 8 khoản 3"
    assert [r.key for r in evaluation.missing] == ["political_theory"]


def test_the_strictest_title_wins(nd33):
    """A civil status clerk (trung cấp luật is enough) who is also Phó Chủ tịch UBND (đại học):
    the degree requirement comes from the vice chair's post."""
    official = civil_servant(
        posts=(
            Post(TitleKind.CIVIL_SERVANT, "Tư pháp - Hộ tịch"),
            Post(TitleKind.COMMITTEE_VICE_CHAIR),
        ),
        professional_level=INTERMEDIATE,
        political_theory=PoliticalTheory.INTERMEDIATE,
    )
    degree = result(evaluate(official, nd33, on=ON), "professional_level")
    assert (degree.status, degree.required, degree.post) == (
        Status.MISSING,
        UNIVERSITY,
        Post(TitleKind.COMMITTEE_VICE_CHAIR),
    )
    qualified = replace(official, professional_level=UNIVERSITY)
    degree = result(evaluate(qualified, nd33, on=ON), "professional_level")
    assert (degree.status, degree.required) == (Status.MET, UNIVERSITY)


# --- refreshers and courses -------------------------------------------------------------------


def test_refresher_counts_only_the_year_of_the_evaluation(nd33):
    official = leader(trainings=(TrainingRecord("refresher", date(2024, 11, 20)),))
    refresher = result(evaluate(official, nd33, on=ON), "refresher")
    assert (refresher.status, refresher.required, refresher.actual) == (Status.MISSING, 1, 0)
    assert refresher.deadline == date(2025, 12, 31)
    assert refresher.note == "courses"
    assert refresher.confidence is Confidence.UNCONFIRMED
    assert closing_course_kinds(refresher) == {"refresher"}


def test_civil_servant_refresher_in_hours(nd33):
    official = civil_servant(
        trainings=(
            TrainingRecord("refresher", date(2025, 2, 1), Decimal(16)),
            TrainingRecord("state_management", date(2025, 3, 1)),
        )
    )
    refresher = result(evaluate(official, nd33, on=ON), "refresher")
    assert (refresher.status, refresher.required, refresher.actual, refresher.note) == (
        Status.UNKNOWN,
        Decimal(40),
        Decimal(16),
        "hours",
    )


@pytest.mark.parametrize(
    ("key", "changes", "kinds"),
    [
        ("professional_level", {"professional_level": ProfessionalLevel.COLLEGE}, {"university"}),
        ("political_theory", {"political_theory": PoliticalTheory.NONE}, {"llct_intermediate"}),
        ("general_education", {"general_education": GeneralEducation.LOWER_SECONDARY}, set()),
        ("professional_level", {"professional_level": None}, set()),  # unknown: fix the data first
        ("professional_level", {}, set()),  # met
    ],
)
def test_closing_course_kinds(nd33, key, changes, kinds):
    evaluation = evaluate(leader(**changes), nd33, on=ON)
    assert closing_course_kinds(result(evaluation, key)) == kinds


def test_a_field_mismatch_is_closed_by_a_degree(nd33):
    official = civil_servant(major="Quản lý môi trường")
    assert closing_course_kinds(result(evaluate(official, nd33, on=ON), "professional_field")) == {
        "university"
    }


STRICTER = """
[[requirement]]
key = "state_management"
titles = ["civil_servant"]
minimum = "specialist"
citation = { document = "Quy định của tỉnh", article = "Điều 2" }

[[requirement]]
key = "political_theory"
titles = ["committee_chair"]
minimum = "advanced"
citation = { document = "Quy định của tỉnh", article = "Điều 3" }

[[requirement]]
key = "professional_level"
titles = ["committee_chair"]
minimum = "master"
deadline = 2027-01-01
citation = { document = "Quy định của tỉnh", article = "Điều 4" }
"""


@pytest.fixture
def stricter(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(STRICTER, encoding="utf-8")
    return load_profile("nd33-2023", path)


def test_state_management_when_a_province_requires_it(stricter):
    missing = civil_servant(state_management=StateManagement.NONE)
    qlnn = result(evaluate(missing, stricter, on=ON), "state_management")
    assert (qlnn.status, qlnn.required) == (Status.MISSING, StateManagement.SPECIALIST)
    assert qlnn.deadline is None  # an override states its own deadlines
    assert str(qlnn.citation) == "Quy định của tỉnh, Điều 2"
    assert closing_course_kinds(qlnn) == {"state_management"}
    met = civil_servant(state_management=StateManagement.PRINCIPAL)
    assert result(evaluate(met, stricter, on=ON), "state_management").status is Status.MET
    unknown = civil_servant()
    assert result(evaluate(unknown, stricter, on=ON), "state_management").status is Status.UNKNOWN


def test_stricter_levels_are_closed_by_the_matching_course(stricter):
    evaluation = evaluate(leader(), stricter, on=ON)
    theory = result(evaluation, "political_theory")
    assert (theory.status, closing_course_kinds(theory)) == (Status.MISSING, {"llct_advanced"})
    degree = result(evaluation, "professional_level")
    assert (degree.status, closing_course_kinds(degree)) == (Status.MISSING, {"other"})
    assert degree.deadline == date(2027, 1, 1)  # its own deadline wins over the transition


def test_a_deadline_set_by_the_requirements_own_rule_is_not_cited_twice(reform):
    official = civil_servant(
        "Văn phòng - Thống kê", professional_level=ProfessionalLevel.COLLEGE, difficult_area=True
    )
    degree = result(evaluate(official, reform, on=ON), "professional_level")
    assert degree.deadline == date(2030, 7, 1)
    assert degree.deadline_citation is None  # the same Công văn 11/CV-BCĐ as the rule


def test_callers_that_act_only_on_gaps_may_leave_term_age_out(reform):
    official = leader(TitleKind.PARTY_SECRETARY, appointed_on=date(2025, 8, 1))
    keys = [r.key for r in evaluate(official, reform, on=ON).results]
    assert {"term_age", "reelection"} <= set(keys)
    gaps_only = [r.key for r in evaluate(official, reform, on=ON, terms=False).results]
    assert gaps_only == [key for key in keys if key not in ("term_age", "reelection")]
