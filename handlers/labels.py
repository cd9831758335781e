"""Names users read for the codes the rules and storage speak in: titles, requirement keys,
levels on each qualification scale and course kinds."""

from __future__ import annotations

import enum

from locales import N_, Translator
from rules.scales import GeneralEducation, PoliticalTheory, ProfessionalLevel, StateManagement
from rules.titles import DEPARTMENT_HEADS, Post, TitleKind
from storage.models import CourseKind

TITLES: dict[TitleKind, str] = {
    TitleKind.PARTY_SECRETARY: N_("Party Committee Secretary"),
    TitleKind.DEPUTY_PARTY_SECRETARY: N_("Deputy Party Committee Secretary"),
    TitleKind.COUNCIL_CHAIR: N_("Chair of the People's Council"),
    TitleKind.COUNCIL_VICE_CHAIR: N_("Vice Chair of the People's Council"),
    TitleKind.COMMITTEE_CHAIR: N_("Chair of the People's Committee"),
    TitleKind.COMMITTEE_VICE_CHAIR: N_("Vice Chair of the People's Committee"),
    TitleKind.FRONT_CHAIR: N_("Chair of the Fatherland Front Committee"),
    TitleKind.YOUTH_UNION_SECRETARY: N_("Secretary of the Youth Union"),
    TitleKind.WOMEN_UNION_CHAIR: N_("Chair of the Women's Union"),
    TitleKind.FARMERS_UNION_CHAIR: N_("Chair of the Farmers' Union"),
    TitleKind.VETERANS_CHAIR: N_("Chair of the Veterans' Association"),
    TitleKind.MILITARY_COMMANDER: N_("Commune military commander"),
    TitleKind.DEPARTMENT_HEAD: N_("Head of a department"),
    TitleKind.DEPUTY_DEPARTMENT_HEAD: N_("Deputy head of a department"),
    TitleKind.CIVIL_SERVANT: N_("Civil servant"),
    TitleKind.SOURCE_TRAINEE: N_("Source trainee"),
}

REQUIREMENTS: dict[str, str] = {
    "general_education": N_("General education"),
    "professional_level": N_("Professional level"),
    "professional_field": N_("Field of study"),
    "political_theory": N_("Political theory"),
    "state_management": N_("State management"),
    "term_age": N_("Working age for a full term"),
    "reelection": N_("Working age for re-election"),
    "refresher": N_("Yearly refresher training"),
}

LEVELS: dict[enum.Enum, str] = {
    GeneralEducation.LOWER_SECONDARY: N_("lower secondary (9/12)"),
    GeneralEducation.UPPER_SECONDARY: N_("upper secondary (12/12)"),
    ProfessionalLevel.NONE: N_("no professional training"),
    ProfessionalLevel.ELEMENTARY: N_("elementary"),
    ProfessionalLevel.INTERMEDIATE: N_("intermediate"),
    ProfessionalLevel.COLLEGE: N_("college"),
    ProfessionalLevel.UNIVERSITY: N_("university"),
    ProfessionalLevel.MASTER: N_("master's degree"),
    ProfessionalLevel.DOCTOR: N_("doctorate"),
    PoliticalTheory.NONE: N_("none"),
    PoliticalTheory.ELEMENTARY: N_("elementary"),
    PoliticalTheory.INTERMEDIATE: N_("intermediate"),
    PoliticalTheory.ADVANCED: N_("advanced"),
    StateManagement.NONE: N_("none"),
    StateManagement.SPECIALIST: N_("specialist"),
    StateManagement.PRINCIPAL: N_("principal specialist"),
    StateManagement.SENIOR: N_("senior specialist"),
}

COURSE_KINDS: dict[str, str] = {
    CourseKind.LLCT_INTERMEDIATE.value: N_("Intermediate political theory"),
    CourseKind.LLCT_ADVANCED.value: N_("Advanced political theory"),
    CourseKind.UNIVERSITY.value: N_("University degree"),
    CourseKind.SOURCE.value: N_("Source class"),
    CourseKind.REFRESHER.value: N_("Knowledge update"),
    CourseKind.STATE_MANAGEMENT.value: N_("State management"),
    CourseKind.OTHER.value: N_("Other"),
}


def title_name(_: Translator, post: Post) -> str:
    """The title in the reader's language; a civil servant's field is kept as recorded, and a
    department head's title, which names the office, is shown as recorded."""
    if post.kind in DEPARTMENT_HEADS and post.field:
        return post.field
    name = _(TITLES[post.kind])
    return f"{name} {post.field}" if post.field else name


def titles_name(_: Translator, posts: tuple[Post, ...]) -> str:
    """Every title held, main first: "Bí thư Đảng ủy, Chủ tịch HĐND"."""
    return ", ".join(title_name(_, post) for post in posts)


def requirement_name(_: Translator, key: str) -> str:
    return _(REQUIREMENTS[key]) if key in REQUIREMENTS else key


def level_name(_: Translator, level: object) -> str:
    return _(LEVELS[level]) if isinstance(level, enum.Enum) and level in LEVELS else str(level)


def course_kind_name(_: Translator, kind: str) -> str:
    return _(COURSE_KINDS[kind]) if kind in COURSE_KINDS else kind
