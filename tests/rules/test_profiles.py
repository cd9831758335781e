"""Standard profiles as data: the bundled ones, a province's override, and broken files."""

from datetime import date
from decimal import Decimal

import pytest

from rules import profiles
from rules.evaluation import Confidence
from rules.profiles import Profile, ProfileError, Requirement, available_profiles, load_profile
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import TitleKind

ND33 = "Nghị định 33/2023/NĐ-CP"
PARTY_POSTS = [TitleKind.PARTY_SECRETARY, TitleKind.DEPUTY_PARTY_SECRETARY]
GOVERNMENT_POSTS = [
    TitleKind.COUNCIL_CHAIR,
    TitleKind.COUNCIL_VICE_CHAIR,
    TitleKind.COMMITTEE_CHAIR,
    TitleKind.COMMITTEE_VICE_CHAIR,
]


def keys(profile: Profile, title: TitleKind) -> list[str]:
    return [r.key for r in profile.requirements_for(title)]


def need(profile: Profile, title: TitleKind, key: str) -> Requirement:
    found = profile.requirement(title, key)
    assert found is not None, f"{profile.name} sets no {key} for {title.value}"
    return found


def test_bundled_profiles_are_listed():
    assert available_profiles() == ["nd33-2023", "reform-2025"]


def test_unknown_profile_names_the_available_ones():
    with pytest.raises(ValueError, match=r"'nd34'.*nd33-2023, reform-2025"):
        load_profile("nd34")


def test_nd33_header():
    profile = load_profile("nd33-2023")
    assert (profile.name, profile.document, profile.effective) == (
        "nd33-2023",
        ND33,
        date(2023, 8, 1),
    )


@pytest.mark.parametrize("title", PARTY_POSTS)
def test_nd33_party_posts(title):
    profile = load_profile("nd33-2023")
    assert keys(profile, title) == [
        "general_education",
        "professional_level",
        "term_age",
        "refresher",
    ]
    degree = need(profile, title, "professional_level")
    assert degree.minimum is ProfessionalLevel.UNIVERSITY
    assert str(degree.citation) == f"{ND33}, Điều 8"
    assert degree.deadline == date(2028, 8, 1)
    assert str(degree.deadline_citation) == f"{ND33}, Điều 38"
    assert need(profile, title, "term_age").months == 60


@pytest.mark.parametrize("title", GOVERNMENT_POSTS)
def test_nd33_government_posts_also_need_political_theory(title):
    profile = load_profile("nd33-2023")
    assert keys(profile, title) == [
        "general_education",
        "professional_level",
        "political_theory",
        "term_age",
        "refresher",
    ]
    theory = need(profile, title, "political_theory")
    assert theory.minimum is PoliticalTheory.INTERMEDIATE
    assert theory.confidence is Confidence.CONFIRMED
    assert need(profile, title, "general_education").minimum is GeneralEducation.UPPER_SECONDARY


def test_nd33_front_chair_is_reported_not_confirmed():
    profile = load_profile("nd33-2023")
    assert keys(profile, TitleKind.FRONT_CHAIR) == [
        "general_education",
        "professional_level",
        "term_age",
        "refresher",
    ]
    assert need(profile, TitleKind.FRONT_CHAIR, "professional_level").confidence is (
        Confidence.REPORTED
    )


def test_nd33_civil_servant():
    profile = load_profile("nd33-2023")
    title = TitleKind.CIVIL_SERVANT
    assert keys(profile, title) == [
        "general_education",
        "professional_level",
        "professional_field",
        "refresher",
    ]
    degree = need(profile, title, "professional_level")
    assert (degree.minimum, degree.difficult_area_minimum) == (
        ProfessionalLevel.UNIVERSITY,
        ProfessionalLevel.INTERMEDIATE,
    )
    assert str(degree.citation) == f"{ND33}, Điều 10"
    refresher = need(profile, title, "refresher")
    assert refresher.hours_per_year == Decimal(40)
    assert refresher.confidence is Confidence.UNCONFIRMED
    assert "Tư pháp" in profile.fields


def test_source_trainees_have_no_national_standard():
    assert load_profile("nd33-2023").requirements_for(TitleKind.SOURCE_TRAINEE) == ()
    assert load_profile("reform-2025").requirements_for(TitleKind.SOURCE_TRAINEE) == ()


def test_reform_2025_extends_nd33():
    profile = load_profile("reform-2025")
    assert (profile.name, profile.effective) == ("reform-2025", date(2025, 7, 1))
    assert profile.sources == ("nd33-2023.toml", "reform-2025.toml")
    degree = need(profile, TitleKind.CIVIL_SERVANT, "professional_level")
    assert degree.difficult_area_minimum is None  # the trung cấp exception ends
    assert degree.difficult_area_deadline == date(2030, 7, 1)
    assert degree.deadline is None
    assert degree.citation.document == "Công văn 11/CV-BCĐ"
    assert degree.confidence is Confidence.REPORTED
    # carried over from nd33-2023, with its own citation
    education = need(profile, TitleKind.CIVIL_SERVANT, "general_education")
    assert str(education.citation) == f"{ND33}, Điều 10"
    # requirements keep their canonical order after being replaced
    national = load_profile("nd33-2023")
    assert keys(profile, TitleKind.CIVIL_SERVANT) == keys(national, TitleKind.CIVIL_SERVANT)


@pytest.mark.parametrize("title", [*PARTY_POSTS, TitleKind.FRONT_CHAIR])
def test_reform_2025_leaders_need_political_theory_reported(title):
    theory = need(load_profile("reform-2025"), title, "political_theory")
    assert theory.minimum is PoliticalTheory.INTERMEDIATE
    assert theory.confidence is Confidence.REPORTED


@pytest.mark.parametrize("title", GOVERNMENT_POSTS)
def test_reform_2025_keeps_the_confirmed_rule_for_government_posts(title):
    profile = load_profile("reform-2025")
    theory = need(profile, title, "political_theory")
    assert str(theory.citation) == f"{ND33}, Điều 8"
    term = need(profile, title, "term_age")
    assert (term.months, term.reelection_months) == (60, 48)
    assert term.citation.document == "Chỉ thị 45-CT/TW"


OVERRIDE = """
[profile]
summary = "Hải Phòng"

[fields]
"Văn phòng" = ["hành chính"]

[[requirement]]
key = "refresher"
titles = ["civil_servant"]
hours_per_year = 60
citation = { document = "Quyết định UBND TP Hải Phòng", article = "Điều 3" }

[[requirement]]
key = "political_theory"
titles = ["civil_servant"]
minimum = "elementary"
citation = { document = "Quyết định UBND TP Hải Phòng", article = "Điều 4" }

[[requirement]]
key = "professional_level"
titles = ["source_trainee"]
minimum = "university"
citation = { document = "Đề án tạo nguồn Hải Phòng", effective = 2016-01-01 }
"""


def test_override_replaces_and_extends_named_titles(tmp_path):
    path = tmp_path / "haiphong.toml"
    path.write_text(OVERRIDE, encoding="utf-8")
    profile = load_profile("nd33-2023", path)
    civil = TitleKind.CIVIL_SERVANT
    assert need(profile, civil, "refresher").hours_per_year == Decimal(60)
    assert str(need(profile, civil, "refresher").citation) == "Quyết định UBND TP Hải Phòng, Điều 3"
    assert need(profile, civil, "political_theory").minimum is PoliticalTheory.ELEMENTARY
    assert keys(profile, civil) == [
        "general_education",
        "professional_level",
        "professional_field",
        "political_theory",
        "refresher",
    ]
    trainee = need(profile, TitleKind.SOURCE_TRAINEE, "professional_level")
    assert trainee.citation.effective == date(2016, 1, 1)
    assert profile.fields["Văn phòng"] == ("hành chính",)
    assert "Tư pháp" in profile.fields  # other fields kept
    assert profile.requirements_for(TitleKind.PARTY_SECRETARY) == load_profile(
        "nd33-2023"
    ).requirements_for(TitleKind.PARTY_SECRETARY)
    assert profile.name == "nd33-2023"
    assert profile.summary == "Hải Phòng"
    assert profile.sources == ("nd33-2023.toml", str(path))
    # the bundled profile is left as it was
    assert need(load_profile("nd33-2023"), civil, "refresher").hours_per_year == Decimal(40)


def test_override_may_be_given_as_text_path(tmp_path):
    path = tmp_path / "o.toml"
    path.write_text(OVERRIDE, encoding="utf-8")
    assert load_profile("nd33-2023", str(path)).summary == "Hải Phòng"


def requirement(**fields: str | None) -> str:
    body: dict[str, str | None] = {
        "key": '"general_education"',
        "titles": '["civil_servant"]',
        "minimum": '"upper_secondary"',
        "citation": '{ article = "Điều 1" }',
    }
    body.update(fields)
    return "[[requirement]]\n" + "\n".join(f"{k} = {v}" for k, v in body.items() if v is not None)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[requirement]\n", "not valid TOML"),
        ("colour = 1", r"colour: unknown key"),
        ("[profile]\nauthor = 'x'", r"profile\.author: unknown key"),
        (requirement(key='"age"'), r"requirement\[0\]\.key: 'age' is not one of"),
        (requirement(minimum='"phd"'), r"requirement\[0\]\.minimum: 'phd' is not one of"),
        (requirement(minimum=None), r"requirement\[0\]\.minimum: missing"),
        (requirement(titles='["mayor"]'), r"requirement\[0\]\.titles: unknown title 'mayor'"),
        (requirement(titles="[]"), r"requirement\[0\]\.titles: expected a non-empty list"),
        (requirement(citation=None), r"requirement\[0\]\.citation: missing"),
        (requirement(citation='"Điều 1"'), r"requirement\[0\]\.citation: expected a table"),
        (requirement(citation="{ page = 2 }"), r"requirement\[0\]\.citation\.page: unknown key"),
        (requirement(deadline='"01/08/2028"'), r"requirement\[0\]\.deadline: expected a date"),
        (requirement(deadline="2028-08-01T08:00:00"), r"\.deadline: expected a date"),
        (requirement(months="60"), r"requirement\[0\]\.months: unknown key"),
        (requirement(confidence='"rumoured"'), r"requirement\[0\]\.confidence: 'rumoured'"),
        (
            requirement(difficult_area_minimum='"upper_secondary"', minimum='"lower_secondary"'),
            r"difficult_area_minimum: must not exceed minimum",
        ),
        (
            requirement() + "\n" + requirement(),
            r"requirement\[1\]: general_education is given twice for civil_servant",
        ),
        (
            requirement(key='"term_age"', minimum=None, months="0"),
            r"requirement\[0\]\.months: expected a positive whole number",
        ),
        (
            requirement(key='"refresher"', minimum=None),
            r"requirement\[0\]: needs exactly one of courses_per_year and hours_per_year",
        ),
        (
            requirement(key='"refresher"', minimum=None, courses_per_year="1", hours_per_year="40"),
            "needs exactly one of",
        ),
        (
            requirement(key='"refresher"', minimum=None, hours_per_year='"forty"'),
            r"hours_per_year: expected a positive number of hours",
        ),
        (
            requirement(
                key='"refresher"', minimum=None, courses_per_year="1", counted_kinds='["yoga"]'
            ),
            r"counted_kinds: unknown course kind 'yoga'",
        ),
        ("[fields]\n'Tư pháp' = 'luật'", r"fields\.Tư pháp: expected a non-empty list of text"),
        ("requirement = 3", "requirement: must be an array of tables"),
    ],
)
def test_broken_override_is_rejected_naming_file_and_key(tmp_path, text, message):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message) as error:
        load_profile("nd33-2023", path)
    assert str(error.value).startswith(f"{path}: ")


def test_missing_override_file_is_reported(tmp_path):
    with pytest.raises(ProfileError, match="cannot read the override file"):
        load_profile("nd33-2023", tmp_path / "absent.toml")


@pytest.fixture
def profile_dir(tmp_path, monkeypatch):
    """Bundled profiles read from ``tmp_path`` instead of rules/profiles/."""
    monkeypatch.setattr(profiles, "_profile_dir", lambda: tmp_path)
    profiles._bundled.cache_clear()
    yield tmp_path
    profiles._bundled.cache_clear()


HEADER = '[profile]\nname = "{name}"\ndocument = "D"\neffective = 2025-01-01\n'


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a": "[profile]\nname = 'a'\n"}, r"a\.toml: profile\.document: missing"),
        ({"a": HEADER.format(name="b")}, r"a\.toml: profile\.name: 'b' must match the file name"),
        ({"a": HEADER.format(name="a") + 'extends = "a"\n'}, r"a\.toml: profile\.extends: 'a'"),
        (
            {
                "a": HEADER.format(name="a") + 'extends = "b"\n',
                "b": HEADER.format(name="b") + 'extends = "a"\n',
            },
            r"profile\.extends",
        ),
        (
            {"a": HEADER.format(name="a") + requirement(key='"professional_field"', minimum=None)},
            r"requirement\[0\]: professional_field needs a \[fields\] table",
        ),
    ],
)
def test_broken_bundled_profile_is_rejected(profile_dir, files, message):
    for name, text in files.items():
        (profile_dir / f"{name}.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError, match=message):
        load_profile("a")
