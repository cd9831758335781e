"""Evaluating an official against a profile: status, deadline, citation per requirement."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from rules.evaluation import Confidence, Evaluation, RequirementResult, Status
from rules.facts import OfficialFacts, TrainingRecord
from rules.profiles import load_profile
from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.standards import closing_course_kinds, evaluate
from rules.titles import TitleKind

ON = date(2025, 6, 1)
UNIVERSITY = ProfessionalLevel.UNIVERSITY
INTERMEDIATE = ProfessionalLevel.INTERMEDIATE
AT_APPOINTMENT = "at_appointment"
ND33 = "Nghị định 33/2023/NĐ-CP"


@pytest.fixture(scope="module")
def nd33():
    return load_profile("nd33-2023")


@pytest.fixture(scope="module")
def reform():
    return load_profile("reform-2025")


def leader(title: TitleKind = TitleKind.COMMITTEE_CHAIR, **changes: Any) -> OfficialFacts:
    """A leader who meets every standard of nd33-2023 on ON."""
    facts = OfficialFacts(
        birth_date=date(1975, 3, 10),
        gender=Gender.MALE,
        title=title,
        appointed_on=date(2021, 7, 1),
        general_education=GeneralEducation.UPPER_SECONDARY,
        professional_level=ProfessionalLevel.UNIVERSITY,
        major="Luật",
        political_theory=PoliticalTheory.INTERMEDIATE,
        trainings=(TrainingRecord("refresher", date(2025, 4, 2)),),
    )
    return replace(facts, **changes)


def civil_servant(**changes: Any) -> OfficialFacts:
    facts = leader(
        TitleKind.CIVIL_SERVANT,
        title_field="Tư pháp - Hộ tịch",
        political_theory=None,
        trainings=(TrainingRecord("refresher", date(2025, 4, 2), Decimal(40)),),
    )
    return replace(facts, **changes)


def result(evaluation: Evaluation, key: str) -> RequirementResult:
    (found,) = [r for r in evaluation.results if r.key == key]
    return found


@pytest.mark.parametrize("title", list(TitleKind))
@pytest.mark.parametrize("profile_name", ["nd33-2023", "reform-2025"])
def test_a_qualified_official_meets_every_requirement(title, profile_name):
    official = civil_servant() if title is TitleKind.CIVIL_SERVANT else leader(title)
    evaluation = evaluate(official, load_profile(profile_name), on=ON)
    assert evaluation.profile == profile_name
    assert evaluation.on == ON
    assert [r for r in evaluation.results if r.status is not Status.MET] == []
    assert all(r.deadline is None for r in evaluation.results if r.key != "refresher")
    assert (evaluation.results == ()) is (title is TitleKind.SOURCE_TRAINEE)


def test_missing_qualifications_of_a_committee_chair(nd33):
    official = leader(
        professional_level=ProfessionalLevel.COLLEGE,
        political_theory=PoliticalTheory.ELEMENTARY,
        general_education=None,
    )
    evaluation = evaluate(official, nd33, on=ON)
    assert [(r.key, r.status) for r in evaluation.results] == [
        ("general_education", Status.UNKNOWN),
        ("professional_level", Status.MISSING),
        ("political_theory", Status.MISSING),
        ("term_age", Status.MET),
        ("refresher", Status.MET),
    ]
    degree = result(evaluation, "professional_level")
    assert degree.required is ProfessionalLevel.UNIVERSITY
    assert degree.actual is ProfessionalLevel.COLLEGE
    assert degree.deadline == date(2028, 8, 1)
    assert str(degree.citation) == f"{ND33}, Điều 8"
    assert str(degree.deadline_citation) == f"{ND33}, Điều 38"
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


def test_party_secretary_political_theory_only_in_the_reform(nd33, reform):
    secretary = leader(TitleKind.PARTY_SECRETARY, political_theory=PoliticalTheory.NONE)
    assert "political_theory" not in [r.key for r in evaluate(secretary, nd33, on=ON).results]
    theory = result(evaluate(secretary, reform, on=ON), "political_theory")
    assert theory.status is Status.MISSING
    assert theory.confidence is Confidence.REPORTED
    assert theory.citation.document == "Công văn 11/CV-BCĐ"


@pytest.mark.parametrize(
    ("profile_name", "difficult", "status", "required", "deadline", "document", "note"),
    [
        # Nghị định 33/2023 Điều 10: trung cấp accepted in difficult areas
        ("nd33-2023", True, Status.MET, INTERMEDIATE, None, ND33, "difficult_area"),
        ("nd33-2023", False, Status.MISSING, UNIVERSITY, date(2028, 8, 1), ND33, None),
        # 2025 reform: đại học, with five years in difficult areas
        (
            "reform-2025",
            True,
            Status.MISSING,
            ProfessionalLevel.UNIVERSITY,
            date(2030, 7, 1),
            "Công văn 11/CV-BCĐ",
            None,
        ),
        (
            "reform-2025",
            False,
            Status.MISSING,
            ProfessionalLevel.UNIVERSITY,
            None,
            "Công văn 11/CV-BCĐ",
            None,
        ),
    ],
)
def test_civil_servant_with_trung_cap(
    profile_name, difficult, status, required, deadline, document, note
):
    official = civil_servant(
        professional_level=ProfessionalLevel.INTERMEDIATE, difficult_area=difficult
    )
    degree = result(evaluate(official, load_profile(profile_name), on=ON), "professional_level")
    assert (degree.status, degree.required, degree.deadline) == (status, required, deadline)
    assert degree.citation.document == document
    assert degree.note == note


@pytest.mark.parametrize(
    ("title_field", "major", "status", "required"),
    [
        ("Tư pháp - Hộ tịch", "Luật kinh tế", Status.MET, "Tư pháp"),
        ("Tư pháp - Hộ tịch", "luat hanh chinh", Status.MET, "Tư pháp"),  # typed without marks
        ("Tư pháp - Hộ tịch", "Quản lý môi trường", Status.MISSING, "Tư pháp"),
        ("Địa chính - Nông nghiệp - Xây dựng và Môi trường", "Đất đai", Status.MET, "Địa chính"),
        ("Tài chính - Kế toán", "Kế toán doanh nghiệp", Status.MET, "Tài chính"),
        ("Tài chính - Kế toán", "Địa chính", Status.MISSING, "Tài chính"),
        ("Văn hóa - Xã hội", "Công tác xã hội", Status.MET, "Văn hóa"),
        ("Tư pháp - Hộ tịch", None, Status.UNKNOWN, "Tư pháp"),
        (None, "Luật", Status.UNKNOWN, None),
        ("Thủ quỹ", "Luật", Status.UNKNOWN, None),  # a field the profile has no keywords for
    ],
)
def test_major_must_match_the_civil_servants_field(nd33, title_field, major, status, required):
    official = civil_servant(title_field=title_field, major=major)
    field = result(evaluate(official, nd33, on=ON), "professional_field")
    assert (field.status, field.required, field.actual) == (status, required, major)
    assert (field.deadline is None) is (status is Status.MET)


@pytest.mark.parametrize(
    ("profile_name", "appointed_on", "born", "status", "required", "actual", "note"),
    [
        # appointed under nd33-2023: measured at the appointment, against a full term
        ("nd33-2023", date(2024, 1, 1), date(1966, 12, 5), Status.MET, 60, 60, AT_APPOINTMENT),
        ("nd33-2023", date(2024, 1, 2), date(1966, 12, 5), Status.MISSING, 60, 59, AT_APPOINTMENT),
        # in post before the profile: measured on ON (retires end of 12/2028: 43 months left)
        ("nd33-2023", date(2021, 7, 1), date(1966, 12, 5), Status.MISSING, 60, 43, None),
        ("nd33-2023", None, date(1966, 12, 5), Status.MISSING, 60, 43, None),
        # the reform has a re-election threshold of 48 months
        ("reform-2025", date(2021, 7, 1), date(1968, 5, 5), Status.MET, 48, 60, "reelection"),
        ("reform-2025", None, date(1966, 5, 5), Status.MISSING, 48, 36, "reelection"),
        ("reform-2025", date(2025, 7, 1), date(1968, 5, 5), Status.MISSING, 60, 59, AT_APPOINTMENT),
    ],
)
def test_term_age(profile_name, appointed_on, born, status, required, actual, note):
    official = leader(appointed_on=appointed_on, birth_date=born)
    term = result(evaluate(official, load_profile(profile_name), on=ON), "term_age")
    assert (term.status, term.required, term.actual, term.note) == (status, required, actual, note)
    assert term.deadline is None
    assert closing_course_kinds(term) == set()


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
