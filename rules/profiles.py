"""Standard profiles: which qualifications each title needs, as data with dates and citations.

Standards change (Nghị định 33/2023, then the 2025 reform) and provinces may set stricter ones
(DOMAIN.md, "Standards"), so they live in ``rules/profiles/<name>.toml``, not in code. A
deployment picks one profile by name and may lay its own override file over it: the override
uses the same schema, and each requirement it lists replaces the base requirement with the same
key for the titles it names, or adds one the base lacks.

File schema (every key is checked; an unknown key or a bad value names the file and the key)::

    [profile]                 name, document, effective (date), summary, and for a bundled
                              file optionally extends = "<profile it is laid over>"
    [transition]              optional: deadline (date), citation: the deadline of this
                              file's qualification requirements that state none
    [fields]                  civil-servant field name = [keywords of matching majors]
    [[requirement]]           key, titles, citation, confidence, and per key:
        general_education, professional_level, political_theory, state_management:
                              minimum, difficult_area_minimum, deadline, difficult_area_deadline,
                              deadline_citation
        professional_field:   deadline, difficult_area_deadline, deadline_citation
        term_age:             months, reelection_months
        refresher:            courses_per_year or hours_per_year, counted_kinds

``titles`` lists title kinds (``party_secretary`` …) or the sets ``key_titles`` and
``government_posts``. A citation is a table ``{document, article, effective}``; ``document``
defaults to the profile's document. A bundled file that ``extends`` another is laid over it as
an override is. Source trainees have no national standard (nd33-2023.toml says why); a
province's override may give them its programme's entry criteria.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rules.courses import COURSE_KINDS, REFRESHER
from rules.evaluation import Citation, Confidence
from rules.scales import (
    GeneralEducation,
    Level,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import GOVERNMENT_POSTS, KEY_TITLES, TitleKind

GENERAL_EDUCATION = "general_education"
PROFESSIONAL_LEVEL = "professional_level"
PROFESSIONAL_FIELD = "professional_field"
POLITICAL_THEORY = "political_theory"
STATE_MANAGEMENT = "state_management"
TERM_AGE = "term_age"
REFRESHER_KEY = "refresher"

LEVEL_SCALES: dict[str, type[Level]] = {
    GENERAL_EDUCATION: GeneralEducation,
    PROFESSIONAL_LEVEL: ProfessionalLevel,
    POLITICAL_THEORY: PoliticalTheory,
    STATE_MANAGEMENT: StateManagement,
}
QUALIFICATION_KEYS = frozenset({*LEVEL_SCALES, PROFESSIONAL_FIELD})
REQUIREMENT_KEYS = (
    GENERAL_EDUCATION,
    PROFESSIONAL_LEVEL,
    PROFESSIONAL_FIELD,
    POLITICAL_THEORY,
    STATE_MANAGEMENT,
    TERM_AGE,
    REFRESHER_KEY,
)

TITLE_SETS: dict[str, frozenset[TitleKind]] = {
    "key_titles": KEY_TITLES,
    "government_posts": GOVERNMENT_POSTS,
}

_DEADLINE_KEYS = {"deadline", "difficult_area_deadline", "deadline_citation"}
_COMMON_KEYS = {"key", "titles", "citation", "confidence"}
_KEYS_BY_REQUIREMENT: dict[str, set[str]] = {
    **{key: {"minimum", "difficult_area_minimum", *_DEADLINE_KEYS} for key in LEVEL_SCALES},
    PROFESSIONAL_FIELD: _DEADLINE_KEYS,
    TERM_AGE: {"months", "reelection_months"},
    REFRESHER_KEY: {"courses_per_year", "hours_per_year", "counted_kinds"},
}


class ProfileError(ValueError):
    """A profile file is missing, unreadable or breaks the schema; the message says where."""


@dataclass(frozen=True)
class Requirement:
    """One requirement of a title. Which optional fields are set depends on ``key``.

    - level keys (general_education, professional_level, political_theory, state_management):
      ``minimum``, and ``difficult_area_minimum`` when a lower level is accepted in difficult
      areas (Nghị định 33/2023 Điều 10: trung cấp);
    - professional_field: the major must match the civil servant's field (``Profile.fields``);
    - term_age: ``months`` of working age needed when taking the post, and
      ``reelection_months`` when standing again for a post already held;
    - refresher: ``courses_per_year`` or ``hours_per_year`` of courses whose kind is in
      ``counted_kinds``.

    ``deadline`` is by when an official who does not meet the requirement must meet it (a
    transition such as Nghị định 33/2023 Điều 38), with its source in ``deadline_citation``;
    ``difficult_area_deadline`` replaces it in difficult areas and comes from ``citation``.
    """

    key: str
    citation: Citation
    confidence: Confidence = Confidence.CONFIRMED
    minimum: Level | None = None
    difficult_area_minimum: Level | None = None
    months: int | None = None
    reelection_months: int | None = None
    courses_per_year: int | None = None
    hours_per_year: Decimal | None = None
    counted_kinds: frozenset[str] = frozenset({REFRESHER})
    deadline: date | None = None
    difficult_area_deadline: date | None = None
    deadline_citation: Citation | None = None


@dataclass(frozen=True)
class Profile:
    """A named set of standards in force from ``effective``. Shared and cached: read-only."""

    name: str
    document: str
    effective: date
    summary: str
    requirements: Mapping[TitleKind, tuple[Requirement, ...]]
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the files it was read from, base first

    def requirements_for(self, title: TitleKind) -> tuple[Requirement, ...]:
        """The title's requirements, in the order of ``REQUIREMENT_KEYS``."""
        return tuple(
            sorted(self.requirements.get(title, ()), key=lambda r: REQUIREMENT_KEYS.index(r.key))
        )

    def requirement(self, title: TitleKind, key: str) -> Requirement | None:
        """The title's requirement with ``key``, if the profile sets one."""
        return next((r for r in self.requirements.get(title, ()) if r.key == key), None)


def available_profiles() -> list[str]:
    """The names of the bundled profiles, sorted."""
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _profile_dir().iterdir()
        if entry.name.endswith(".toml")
    )


def load_profile(name: str, override: str | Path | None = None) -> Profile:
    """The bundled profile ``name``, with a province's ``override`` file laid over it."""
    if name not in available_profiles():
        raise ValueError(
            f"unknown standards profile {name!r}; available: {', '.join(available_profiles())}"
        )
    profile = _bundled(name)
    if override is None:
        return profile
    return _apply_override(profile, Path(override))


def _profile_dir() -> Any:
    return resources.files("rules") / "profiles"


@cache
def _bundled(name: str) -> Profile:
    return _load_bundled(name, ())


def _load_bundled(name: str, children: tuple[str, ...]) -> Profile:
    """A bundled file, laid over the profile it ``extends`` (if any)."""
    source = f"{name}.toml"
    data = _toml((_profile_dir() / source).read_text(encoding="utf-8"), source)
    header = data.get("profile")
    parent_name = header.get("extends") if isinstance(header, dict) else None
    if parent_name is None:
        return _parse(data, source, base=None)
    if parent_name not in available_profiles() or parent_name in (name, *children):
        raise ProfileError(
            f"{source}: profile.extends: {parent_name!r} is not another bundled profile "
            f"(available: {', '.join(available_profiles())})"
        )
    parent = _load_bundled(parent_name, (name, *children))
    layer = _parse(data, source, base=parent, own_header=True)
    return replace(
        _merge(parent, layer),
        name=layer.name,
        document=layer.document,
        effective=layer.effective,
        summary=layer.summary,
    )


def _apply_override(base: Profile, path: Path) -> Profile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(f"{path}: cannot read the override file ({error.strerror})") from None
    layer = _parse(_toml(text, str(path)), str(path), base=base)
    return replace(_merge(base, layer), summary=layer.summary or base.summary)


def _merge(base: Profile, layer: Profile) -> Profile:
    """``base`` with each of ``layer``'s requirements replacing the same key for its titles."""
    requirements = {title: list(items) for title, items in base.requirements.items()}
    for title, items in layer.requirements.items():
        merged = requirements.setdefault(title, [])
        for requirement in items:
            keys = [r.key for r in merged]
            if requirement.key in keys:
                merged[keys.index(requirement.key)] = requirement
            else:
                merged.append(requirement)
    return replace(
        base,
        requirements=MappingProxyType({t: tuple(items) for t, items in requirements.items()}),
        fields=MappingProxyType({**base.fields, **layer.fields}),
        sources=(*base.sources, *layer.sources),
    )


def _toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProfileError(f"{source}: not valid TOML ({error})") from None


def _parse(
    data: dict[str, Any], source: str, base: Profile | None, own_header: bool = False
) -> Profile:
    """Read one file. ``base`` is the profile it is laid over: a bundled profile it extends
    (``own_header``: it still names itself), or the profile a province's override amends.
    """
    reader = _Reader(source)
    reader.only(data, "", {"profile", "transition", "fields", "requirement"})
    is_base = base is None or own_header

    header = reader.table(data, "", "profile", required=is_base)
    header_keys = {"name", "document", "effective", "summary"}
    reader.only(header, "profile", header_keys | {"extends"} if own_header else header_keys)
    name = reader.text(header, "profile", "name", required=is_base) or source
    if is_base and name != source.removesuffix(".toml"):
        raise reader.fail("profile.name", f"{name!r} must match the file name")
    document = reader.text(header, "profile", "document", required=is_base)
    effective = reader.date(header, "profile", "effective", required=is_base)
    context = _Context(
        document or (base.document if base else ""),
        effective or (base.effective if base else date.min),
        reader,
    )

    transition = reader.table(data, "", "transition", required=False)
    reader.only(transition, "transition", {"deadline", "citation"})
    default_deadline = reader.date(transition, "transition", "deadline", required=False)
    default_deadline_citation = (
        context.citation(transition, "transition", "citation") if transition else None
    )

    fields_table = reader.table(data, "", "fields", required=False)
    fields = {
        name: tuple(reader.strings(fields_table, "fields", name, required=True))
        for name in fields_table
    }

    requirements: dict[TitleKind, list[Requirement]] = {}
    raw_requirements = data.get("requirement", [])
    if not isinstance(raw_requirements, list):
        raise reader.fail("requirement", "must be an array of tables ([[requirement]])")
    for index, raw in enumerate(raw_requirements):
        where = f"requirement[{index}]"
        if not isinstance(raw, dict):
            raise reader.fail(where, "must be a table")
        titles, requirement = _requirement(raw, where, context)
        if requirement.key in QUALIFICATION_KEYS and requirement.deadline is None:
            requirement = replace(
                requirement,
                deadline=default_deadline,
                deadline_citation=requirement.deadline_citation or default_deadline_citation,
            )
        if requirement.key == PROFESSIONAL_FIELD and not (fields or (base and base.fields)):
            raise reader.fail(where, "professional_field needs a [fields] table of majors")
        for title in titles:
            listed = requirements.setdefault(title, [])
            if any(r.key == requirement.key for r in listed):
                raise reader.fail(where, f"{requirement.key} is given twice for {title.value}")
            listed.append(requirement)
    return Profile(
        name=name,
        document=context.document,
        effective=context.effective,
        summary=reader.text(header, "profile", "summary", required=False) or "",
        requirements=MappingProxyType({t: tuple(items) for t, items in requirements.items()}),
        fields=MappingProxyType(fields),
        sources=(source,),
    )


def _requirement(
    raw: dict[str, Any], where: str, context: _Context
) -> tuple[list[TitleKind], Requirement]:
    reader = context.reader
    key = reader.choice(raw, where, "key", REQUIREMENT_KEYS) or ""
    reader.only(raw, where, _COMMON_KEYS | _KEYS_BY_REQUIREMENT[key])
    titles = _titles(reader.strings(raw, where, "titles", required=True), where, reader)
    confidence = reader.choice(
        raw, where, "confidence", [c.value for c in Confidence], required=False
    )
    requirement = Requirement(
        key=key,
        citation=context.citation(raw, where, "citation"),
        confidence=Confidence(confidence or Confidence.CONFIRMED.value),
    )
    if key in LEVEL_SCALES:
        scale = LEVEL_SCALES[key]
        minimum = reader.level(raw, where, "minimum", scale, required=True)
        lower = reader.level(raw, where, "difficult_area_minimum", scale, required=False)
        if lower is not None and minimum is not None and lower > minimum:
            raise reader.fail(f"{where}.difficult_area_minimum", "must not exceed minimum")
        requirement = replace(requirement, minimum=minimum, difficult_area_minimum=lower)
    if key in QUALIFICATION_KEYS:
        requirement = replace(
            requirement,
            deadline=reader.date(raw, where, "deadline", required=False),
            difficult_area_deadline=reader.date(
                raw, where, "difficult_area_deadline", required=False
            ),
            deadline_citation=(
                context.citation(raw, where, "deadline_citation")
                if "deadline_citation" in raw
                else None
            ),
        )
    if key == TERM_AGE:
        requirement = replace(
            requirement,
            months=reader.positive(raw, where, "months"),
            reelection_months=(
                reader.positive(raw, where, "reelection_months")
                if "reelection_months" in raw
                else None
            ),
        )
    if key == REFRESHER_KEY:
        requirement = _refresher(raw, where, requirement, reader)
    return titles, requirement


def _refresher(
    raw: dict[str, Any], where: str, requirement: Requirement, reader: _Reader
) -> Requirement:
    if ("courses_per_year" in raw) == ("hours_per_year" in raw):
        raise reader.fail(where, "needs exactly one of courses_per_year and hours_per_year")
    kinds = reader.strings(raw, where, "counted_kinds", required=False) or [REFRESHER]
    unknown = sorted(set(kinds) - COURSE_KINDS)
    if unknown:
        raise reader.fail(
            f"{where}.counted_kinds",
            f"unknown course kind {unknown[0]!r}; "
            f"expected some of: {', '.join(sorted(COURSE_KINDS))}",
        )
    if "courses_per_year" in raw:
        courses = reader.positive(raw, where, "courses_per_year")
        return replace(requirement, courses_per_year=courses, counted_kinds=frozenset(kinds))
    hours = reader.hours(raw, where, "hours_per_year")
    return replace(requirement, hours_per_year=hours, counted_kinds=frozenset(kinds))


def _titles(names: Iterable[str], where: str, reader: _Reader) -> list[TitleKind]:
    titles: list[TitleKind] = []
    for name in names:
        if name in TITLE_SETS:
            titles.extend(sorted(TITLE_SETS[name], key=lambda t: t.value))
            continue
        try:
            titles.append(TitleKind(name))
        except ValueError:
            expected = [*TITLE_SETS, *(t.value for t in TitleKind)]
            raise reader.fail(
                f"{where}.titles", f"unknown title {name!r}; expected one of: {', '.join(expected)}"
            ) from None
    return list(dict.fromkeys(titles))


@dataclass(frozen=True)
class _Context:
    """What a file's citations default to."""

    document: str
    effective: date
    reader: _Reader

    def citation(self, table: dict[str, Any], parent: str, key: str) -> Citation:
        raw = self.reader.table(table, parent, key, required=True)
        where = _path(parent, key)
        self.reader.only(raw, where, {"document", "article", "effective"})
        document = self.reader.text(raw, where, "document", required=False)
        return Citation(
            document=document or self.document,
            article=self.reader.text(raw, where, "article", required=False) or "",
            effective=self.reader.date(raw, where, "effective", required=False)
            or (None if document else self.effective),
        )


class _Reader:
    """Typed access to a parsed TOML file; errors name the file and the key's path.

    Each accessor takes the table, the path of that table (``requirement[2]``) and the key.
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> ProfileError:
        return ProfileError(f"{self.source}: {where}: {message}")

    def only(self, table: dict[str, Any], parent: str, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                raise self.fail(_path(parent, key), f"unknown key; expected one of: {expected}")

    def _get(
        self,
        table: dict[str, Any],
        parent: str,
        key: str,
        check: Callable[[Any], bool],
        kind: str,
        *,
        required: bool,
    ) -> Any:
        if key not in table:
            if required:
                raise self.fail(_path(parent, key), "missing")
            return None
        value = table[key]
        if not check(value):
            raise self.fail(_path(parent, key), f"expected {kind}, got {value!r}")
        return value

    def table(
        self, table: dict[str, Any], parent: str, key: str, *, required: bool
    ) -> dict[str, Any]:
        value = self._get(
            table, parent, key, lambda v: isinstance(v, dict), "a table", required=required
        )
        return value if value is not None else {}

    def text(self, table: dict[str, Any], parent: str, key: str, *, required: bool) -> str | None:
        value = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, str) and bool(v.strip()),
            "text",
            required=required,
        )
        return value.strip() if value is not None else None

    def date(self, table: dict[str, Any], parent: str, key: str, *, required: bool) -> date | None:
        value: date | None = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, date) and not isinstance(v, datetime),
            "a date (yyyy-mm-dd)",
            required=required,
        )
        return value

    def strings(self, table: dict[str, Any], parent: str, key: str, *, required: bool) -> list[str]:
        value = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, list) and bool(v) and all(isinstance(s, str) for s in v),
            "a non-empty list of text",
            required=required,
        )
        return list(value) if value is not None else []

    def positive(self, table: dict[str, Any], parent: str, key: str) -> int:
        value: int = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
            "a positive whole number",
            required=True,
        )
        return value

    def hours(self, table: dict[str, Any], parent: str, key: str) -> Decimal:
        value = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
            "a positive number of hours",
            required=True,
        )
        return Decimal(str(value))

    def choice(
        self,
        table: dict[str, Any],
        parent: str,
        key: str,
        options: Iterable[str],
        *,
        required: bool = True,
    ) -> str | None:
        allowed = list(options)
        value: str | None = self._get(
            table, parent, key, lambda v: isinstance(v, str), "text", required=required
        )
        if value is not None and value not in allowed:
            raise self.fail(_path(parent, key), f"{value!r} is not one of: {', '.join(allowed)}")
        return value

    def level(
        self, table: dict[str, Any], parent: str, key: str, scale: type[Level], *, required: bool
    ) -> Level | None:
        value = self.choice(table, parent, key, [m.value for m in scale], required=required)
        return scale(value) if value is not None else None


def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key
