"""Standard profiles as data: the bundled ones, a province's override, and broken files."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from rules.evaluation import Confidence
from rules.profiles import (
    Profile,
    ProfileError,
    Standards,
    available_profiles,
    choice,
    load_profile,
    profile_in_force,
)
from rules.requirements import Body, Requirement
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel
from rules.titles import Post, TitleKind

ND33 = "Nghị định 33/2023/NĐ-CP"
PARTY_POSTS = [TitleKind.PARTY_SECRETARY, TitleKind.DEPUTY_PARTY_SECRETARY]
GOVERNMENT_POSTS = [
    TitleKind.COUNCIL_CHAIR,
    TitleKind.COUNCIL_VICE_CHAIR,
    TitleKind.COMMITTEE_CHAIR,
    TitleKind.COMMITTEE_VICE_CHAIR,
]
UNION_HEADS = [
    TitleKind.YOUTH_UNION_SECRETARY,
    TitleKind.WOMEN_UNION_CHAIR,
    TitleKind.FARMERS_UNION_CHAIR,
    TitleKind.VETERANS_CHAIR,
]


def keys(profile: Profile, title: TitleKind | Post) -> list[str]:
    post = title if isinstance(title, Post) else Post(title)
    return [r.key for r in profile.requirements_for(post)]


def need(profile: Profile, title: TitleKind | Post, key: str) -> Any:
    """The requirement, typed loosely: each test reads the fields of the kind it expects."""
    found: Requirement | None = profile.requirement(title, key)
    assert found is not None, f"{profile.name} sets no {key} for {title}"
    return found


def test_bundled_profiles_are_listed():
    assert available_profiles() == ["nd33-2023", "nd334-2025", "reform-2025"]


def test_unknown_profile_names_the_available_ones():
    with pytest.raises(ValueError, match=r"'nd34'.*nd33-2023, nd334-2025, reform-2025"):
        load_profile("nd34")


@pytest.mark.parametrize(
    ("day", "name", "document"),
    [
        (date(2023, 8, 1), "nd33-2023", ND33),
        (date(2025, 6, 30), "nd33-2023", ND33),  # the last day of Nghị định 33/2023's rules
        (date(2025, 7, 1), "reform-2025", "Luật Cán bộ, công chức 2025"),
        (date(2025, 12, 20), "reform-2025", "Luật Cán bộ, công chức 2025"),
        (date(2025, 12, 21), "nd334-2025", "Luật Cán bộ, công chức 2025"),
        (date(2026, 12, 2), "nd334-2025", "Luật Cán bộ, công chức 2025"),
        (date(2020, 1, 1), "nd33-2023", ND33),  # before any bundled profile: the first
    ],
)
def test_the_profile_in_force_on_a_date(day, name, document):
    profile = profile_in_force(day)
    assert (profile.name, profile.document) == (name, document)
    assert Standards().on(day) is profile


def test_a_pin_wins_over_the_date():
    assert profile_in_force(date(2026, 12, 2), pin="nd33-2023").name == "nd33-2023"
    assert Standards("nd33-2023").on(date(2026, 12, 2)).name == "nd33-2023"


def test_a_bad_pin_or_override_stops_the_deployment_at_once(tmp_path):
    with pytest.raises(ValueError, match="'nd32'"):
        Standards("nd32")
    with pytest.raises(ProfileError, match="cannot read the override file"):
        Standards(None, tmp_path / "absent.toml")


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
    assert str(degree.citation) == f"{ND33}, Điều 8 khoản 1"
    assert degree.deadline is not None
    assert degree.deadline.on == date(2028, 8, 1)
    assert str(degree.deadline.citation) == f"{ND33}, Điều 38"
    term = need(profile, title, "term_age")
    assert (term.months, term.since) == (60, date(2023, 8, 1))


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
    assert str(theory.citation) == f"{ND33}, Điều 8 khoản 3"
    assert need(profile, title, "general_education").minimum is GeneralEducation.UPPER_SECONDARY


@pytest.mark.parametrize("title", [TitleKind.FRONT_CHAIR, *UNION_HEADS])
def test_nd33_front_chair_and_union_heads_are_reported(title):
    """Điều 8 khoản 2 names them; the clause itself was not read."""
    profile = load_profile("nd33-2023")
    assert keys(profile, title)[:3] == ["general_education", "professional_level", "term_age"]
    degree = need(profile, title, "professional_level")
    assert degree.confidence is Confidence.REPORTED
    assert str(degree.citation) == f"{ND33}, Điều 8 khoản 2"


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
    assert degree.minimum is ProfessionalLevel.UNIVERSITY
    assert degree.difficult_area is not None
    assert degree.difficult_area.minimum is ProfessionalLevel.INTERMEDIATE
    assert str(degree.difficult_area.citation) == f"{ND33}, Điều 10 khoản 3"
    assert str(degree.citation) == f"{ND33}, Điều 10 khoản 2"
    refresher = need(profile, title, "refresher")
    assert refresher.hours_per_year == Decimal(40)
    assert refresher.confidence is Confidence.UNCONFIRMED
    assert "Tư pháp" in profile.fields


@pytest.mark.parametrize("name", ["nd33-2023", "reform-2025", "nd334-2025"])
def test_the_civil_status_clerk_follows_the_civil_status_law(name):
    """Nghị định 33/2023 Điều 10 defers to Luật Hộ tịch 2014 Điều 72: trung cấp luật."""
    profile = load_profile(name)
    clerk = Post(TitleKind.CIVIL_SERVANT, "Tư pháp - Hộ tịch")
    degree = need(profile, clerk, "professional_level")
    assert degree.minimum is ProfessionalLevel.INTERMEDIATE
    assert str(degree.citation) == "Luật Hộ tịch 2014, Điều 72 khoản 2"
    assert str(need(profile, clerk, "professional_field").citation) == str(degree.citation)
    # other civil servants keep the đại học rule
    other = need(
        profile, Post(TitleKind.CIVIL_SERVANT, "Văn phòng - Thống kê"), "professional_level"
    )
    assert other.minimum is ProfessionalLevel.UNIVERSITY


@pytest.mark.parametrize("name", ["nd33-2023", "reform-2025"])
def test_the_military_commander_follows_military_law(name):
    """Điều 10 khoản 1 defers to military law: Luật Dân quân tự vệ 2019 Điều 26."""
    profile = load_profile(name)
    commander = TitleKind.MILITARY_COMMANDER
    assert keys(profile, commander) == ["professional_level", "professional_field", "refresher"]
    degree = need(profile, commander, "professional_level")
    assert degree.minimum is ProfessionalLevel.INTERMEDIATE
    assert str(degree.citation) == "Luật Dân quân tự vệ 2019, Điều 26"
    assert need(profile, commander, "professional_field").field == "Quân sự"


def test_source_trainees_have_no_national_standard():
    for name in available_profiles():
        assert load_profile(name).requirements_for(Post(TitleKind.SOURCE_TRAINEE)) == ()


def test_reform_2025_civil_servants():
    profile = load_profile("reform-2025")
    assert (profile.name, profile.effective) == ("reform-2025", date(2025, 7, 1))
    assert profile.document == "Luật Cán bộ, công chức 2025"
    assert keys(profile, TitleKind.CIVIL_SERVANT) == [
        "professional_level",
        "professional_field",
        "refresher",
    ]
    degree = need(profile, TitleKind.CIVIL_SERVANT, "professional_level")
    assert degree.difficult_area is not None
    assert degree.difficult_area.minimum is None  # the trung cấp exception ends
    assert degree.difficult_area.deadline == date(2030, 7, 1)
    assert degree.deadline is None  # Điều 38 no longer covers civil servants
    assert degree.citation.document == "Công văn 11/CV-BCĐ"
    assert degree.confidence is Confidence.REPORTED


@pytest.mark.parametrize("title", [*PARTY_POSTS, TitleKind.FRONT_CHAIR])
def test_reform_2025_does_not_cite_11_cv_bcd_for_elected_posts(title):
    """11/CV-BCĐ defers to the Party's guidance for them: no political theory rule from it."""
    profile = load_profile("reform-2025")
    assert "political_theory" not in keys(profile, title)
    assert all(
        r.citation.document != "Công văn 11/CV-BCĐ" for r in profile.requirements_for(Post(title))
    )


@pytest.mark.parametrize("title", GOVERNMENT_POSTS)
def test_reform_2025_keeps_nd33_for_government_posts(title):
    profile = load_profile("reform-2025")
    theory = need(profile, title, "political_theory")
    assert str(theory.citation) == f"{ND33}, Điều 8 khoản 3"
    assert need(profile, title, "term_age").months == 60
    again = need(profile, title, "reelection")
    assert (again.body, again.months, again.confidence) == (
        Body.PEOPLES_COUNCIL,
        36,
        Confidence.REPORTED,
    )


@pytest.mark.parametrize("title", PARTY_POSTS)
def test_reform_2025_party_reelection(title):
    again = need(load_profile("reform-2025"), title, "reelection")
    assert (again.body, again.months, again.confidence) == (
        Body.PARTY_COMMITTEE,
        48,
        Confidence.CONFIRMED,
    )
    assert again.citation.document == "Chỉ thị 45-CT/TW"


def test_next_congress_and_election_dates_are_configuration():
    profile = load_profile("reform-2025")
    assert profile.next_election(Body.PARTY_COMMITTEE, date(2025, 7, 1)) == date(2025, 7, 1)
    assert profile.next_election(Body.PARTY_COMMITTEE, date(2025, 7, 2)) == date(2030, 7, 1)
    assert profile.next_election(Body.PEOPLES_COUNCIL, date(2026, 12, 2)) == date(2031, 3, 1)
    assert profile.next_election(Body.PEOPLES_COUNCIL, date(2031, 3, 2)) is None


@pytest.mark.parametrize(
    ("name", "document"),
    [("reform-2025", "Công văn 11/CV-BCĐ"), ("nd334-2025", "Nghị định 334/2025/NĐ-CP")],
)
@pytest.mark.parametrize("title", [TitleKind.DEPARTMENT_HEAD, TitleKind.DEPUTY_DEPARTMENT_HEAD])
def test_the_new_communes_leadership_posts(name, document, title):
    profile = load_profile(name)
    degree = need(profile, title, "professional_level")
    theory = need(profile, title, "political_theory")
    assert (degree.minimum, theory.minimum) == (
        ProfessionalLevel.UNIVERSITY,
        PoliticalTheory.INTERMEDIATE,
    )
    assert {degree.citation.document, theory.citation.document} == {document}
    assert degree.confidence is Confidence.REPORTED


def test_nd334_extends_the_reform():
    profile = load_profile("nd334-2025")
    assert profile.sources == ("reform-2025.toml", "nd334-2025.toml")
    assert profile.document == "Luật Cán bộ, công chức 2025"
    assert profile.requirements_for(Post(TitleKind.COMMITTEE_CHAIR)) == load_profile(
        "reform-2025"
    ).requirements_for(Post(TitleKind.COMMITTEE_CHAIR))


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
    civil = Post(TitleKind.CIVIL_SERVANT, "Văn phòng")
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
    assert profile.requirements_for(Post(TitleKind.PARTY_SECRETARY)) == load_profile(
        "nd33-2023"
    ).requirements_for(Post(TitleKind.PARTY_SECRETARY))
    assert profile.name == "nd33-2023"
    assert profile.summary == "Hải Phòng"
    assert profile.sources == ("nd33-2023.toml", str(path))
    # the bundled profile is left as it was
    assert need(load_profile("nd33-2023"), civil, "refresher").hours_per_year == Decimal(40)


def test_an_override_applies_to_the_profile_in_force(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(OVERRIDE, encoding="utf-8")
    for day in (date(2025, 6, 30), date(2026, 12, 2)):
        profile = profile_in_force(day, override=path)
        assert profile.summary == "Hải Phòng"
        assert need(profile, TitleKind.CIVIL_SERVANT, "refresher").hours_per_year == Decimal(60)


def test_an_override_may_name_the_profiles_it_amends(tmp_path):
    path = tmp_path / "province.toml"
    path.write_text(OVERRIDE.replace("[profile]\n", '[profile]\namends = ["nd33-2023"]\n'))
    assert profile_in_force(date(2025, 6, 30), override=path).summary == "Hải Phòng"
    assert profile_in_force(date(2026, 12, 2), override=path).summary != "Hải Phòng"


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
        (requirement(titles='["party_secretary:Tư pháp"]'), r"party_secretary has no field"),
        (
            requirement(key='"reelection"', minimum=None, body='"senate"', months="48"),
            r"requirement\[0\]\.body: 'senate' is not one of",
        ),
        (
            requirement(key='"professional_field"', minimum=None, field='"Thiên văn"'),
            r"requirement\[0\]\.field: 'Thiên văn' is not in \[fields\]",
        ),
        ("[elections]\nparty_committee = [2030]", r"elections\.party_committee: expected"),
        ("[elections]\nsenate = [2030-07-01]", r"elections\.senate: unknown key"),
        (
            requirement(deadline_citation='{ article = "Điều 38" }'),
            r"deadline_citation: given without a deadline",
        ),
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
    monkeypatch.setattr(choice, "_profile_dir", lambda: tmp_path)
    caches = (choice._names, choice._bundled, choice._overridden)
    for cached in caches:
        cached.cache_clear()
    yield tmp_path
    for cached in caches:
        cached.cache_clear()


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
