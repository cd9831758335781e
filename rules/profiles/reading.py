"""Reading and checking profile files (``rules/profiles/<name>.toml`` and a province's override).

File schema (every key is checked; an unknown key or a bad value names the file and the key)::

    [profile]          name, document, effective (date), summary; a bundled file may say
                       extends = "<profile it is laid over>", an override amends = [names]
    [transition]       optional: deadline (date), citation: the deadline of the file's
                       qualification requirements that state none
    [fields]           civil-servant field name = [phrases of the majors that match it]
    [false_friends]    phrase of a major = [the field phrases inside it that it does not mean]
    [elections]        party_committee, peoples_council, front = [dates of coming congresses
                       or elections]
    [[requirement]]    key, titles, citation, confidence, and per key:
        general_education, professional_level, political_theory, state_management:
                       minimum, deadline, deadline_citation, difficult_area_minimum,
                       difficult_area_deadline, difficult_area_citation
        professional_field: field, deadline, deadline_citation, difficult_area_deadline,
                       difficult_area_citation
        term_age:      months, since (date; default: the citation's effective date)
        reelection:    body, months
        refresher:     courses_per_year or hours_per_year, counted_kinds

``titles`` lists title kinds (``party_secretary`` …), the sets ``key_titles``,
``government_posts``, ``union_heads``, ``cadres`` and ``department_heads``, or a kind with a
field: ``civil_servant:Tư pháp`` (rules.profiles.model). A citation is a table ``{document,
article, effective}``; ``document`` defaults to the profile's document.

A layer (a bundled file that extends another, or an override) replaces, for each title it
names, the requirement with the same key, and adds those the base lacks; its fields, false
friends and elections are added to the base's, a name it repeats replacing the base's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Any

from rules.courses import COURSE_KINDS, REFRESHER
from rules.evaluation import Citation, Confidence
from rules.profiles.model import Profile
from rules.requirements import (
    LEVEL_SCALES,
    PROFESSIONAL_FIELD,
    REELECTION,
    REFRESHER_KEY,
    REQUIREMENT_KEYS,
    TERM_AGE,
    Body,
    Deadline,
    DifficultArea,
    FieldRequirement,
    LevelRequirement,
    ReelectionRequirement,
    RefresherRequirement,
    Requirement,
    TermAgeRequirement,
)
from rules.scales import Level
from rules.titles import (
    CADRE_TITLES,
    DEPARTMENT_HEADS,
    GOVERNMENT_POSTS,
    KEY_TITLES,
    UNION_HEADS,
    Post,
    TitleKind,
)

TITLE_SETS: dict[str, frozenset[TitleKind]] = {
    "key_titles": KEY_TITLES,
    "government_posts": GOVERNMENT_POSTS,
    "union_heads": UNION_HEADS,
    "cadres": CADRE_TITLES,
    "department_heads": DEPARTMENT_HEADS,
}

_DEADLINE_KEYS = {
    "deadline",
    "deadline_citation",
    "difficult_area_deadline",
    "difficult_area_citation",
}
_COMMON_KEYS = {"key", "titles", "citation", "confidence"}
_KEYS_BY_REQUIREMENT: dict[str, set[str]] = {
    **{key: {"minimum", "difficult_area_minimum", *_DEADLINE_KEYS} for key in LEVEL_SCALES},
    PROFESSIONAL_FIELD: {"field", *_DEADLINE_KEYS},
    TERM_AGE: {"months", "since"},
    REELECTION: {"body", "months"},
    REFRESHER_KEY: {"courses_per_year", "hours_per_year", "counted_kinds"},
}


class ProfileError(ValueError):
    """A profile file is missing, unreadable or breaks the schema; the message says where."""


@dataclass(frozen=True)
class Override:
    """A province's file, to lay over the bundled profiles it ``amends`` (all when empty)."""

    data: dict[str, Any]
    source: str
    amends: frozenset[str]

    def applies_to(self, name: str) -> bool:
        return not self.amends or name in self.amends


def read_bundled(text: str, source: str, base: Profile | None) -> Profile:
    """A bundled file, laid over ``base`` when it ``extends`` one."""
    data = toml(text, source)
    if base is None:
        return _parse(data, source, base=None)
    layer = _parse(data, source, base=base, own_header=True)
    return replace(
        merge(base, layer),
        name=layer.name,
        document=layer.document,
        effective=layer.effective,
        summary=layer.summary,
    )


def extended(text: str, source: str) -> str | None:
    """The name of the profile a bundled file ``extends``, if any."""
    header = toml(text, source).get("profile")
    parent = header.get("extends") if isinstance(header, dict) else None
    if parent is not None and not isinstance(parent, str):
        raise ProfileError(f"{source}: profile.extends: expected text, got {parent!r}")
    return parent


def read_override(path: Path) -> Override:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ProfileError(f"{path}: cannot read the override file ({error.strerror})") from None
    data = toml(text, str(path))
    reader = _Reader(str(path))
    header = reader.table(data, "", "profile", required=False)
    amends = reader.strings(header, "profile", "amends", required=False)
    return Override(data, str(path), frozenset(amends))


def apply_override(base: Profile, override: Override) -> Profile:
    layer = _parse(override.data, override.source, base=base)
    return replace(merge(base, layer), summary=layer.summary or base.summary)


def merge(base: Profile, layer: Profile) -> Profile:
    """``base`` with each of ``layer``'s requirements replacing the same key for its titles."""
    requirements = {post: list(items) for post, items in base.requirements.items()}
    for post, items in layer.requirements.items():
        merged = requirements.setdefault(post, [])
        for requirement in items:
            keys = [r.key for r in merged]
            if requirement.key in keys:
                merged[keys.index(requirement.key)] = requirement
            else:
                merged.append(requirement)
    return replace(
        base,
        requirements=MappingProxyType({p: tuple(items) for p, items in requirements.items()}),
        fields=MappingProxyType({**base.fields, **layer.fields}),
        false_friends=MappingProxyType({**base.false_friends, **layer.false_friends}),
        elections=MappingProxyType({**base.elections, **layer.elections}),
        sources=(*base.sources, *layer.sources),
    )


def toml(text: str, source: str) -> dict[str, Any]:
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
    tables = {"profile", "transition", "fields", "false_friends", "elections", "requirement"}
    reader.only(data, "", tables)
    is_base = base is None or own_header

    header = reader.table(data, "", "profile", required=is_base)
    header_keys = {"name", "document", "effective", "summary"}
    extra = {"extends"} if own_header else set() if is_base else {"amends"}
    reader.only(header, "profile", header_keys | extra)
    name = reader.text(header, "profile", "name", required=is_base) or source
    if is_base and name != Path(source).name.removesuffix(".toml"):
        raise reader.fail("profile.name", f"{name!r} must match the file name")
    document = reader.text(header, "profile", "document", required=is_base)
    effective = reader.day(header, "profile", "effective", required=is_base)
    context = _Context(
        document or (base.document if base else ""),
        effective or (base.effective if base else date.min),
        reader,
    )

    transition = reader.table(data, "", "transition", required=False)
    reader.only(transition, "transition", {"deadline", "citation"})
    transition_deadline = reader.day(transition, "transition", "deadline", required=False)
    default_deadline = (
        Deadline(transition_deadline, context.citation(transition, "transition", "citation"))
        if transition_deadline is not None
        else None
    )

    fields_table = reader.table(data, "", "fields", required=False)
    fields = {
        name: tuple(reader.strings(fields_table, "fields", name, required=True))
        for name in fields_table
    }
    friends_table = reader.table(data, "", "false_friends", required=False)
    false_friends = {
        phrase: tuple(reader.strings(friends_table, "false_friends", phrase, required=True))
        for phrase in friends_table
    }
    elections_table = reader.table(data, "", "elections", required=False)
    reader.only(elections_table, "elections", {body.value for body in Body})
    elections = {
        Body(body): tuple(sorted(reader.days(elections_table, "elections", body)))
        for body in elections_table
    }

    requirements: dict[Post, list[Requirement]] = {}
    raw_requirements = data.get("requirement", [])
    if not isinstance(raw_requirements, list):
        raise reader.fail("requirement", "must be an array of tables ([[requirement]])")
    for index, raw in enumerate(raw_requirements):
        where = f"requirement[{index}]"
        if not isinstance(raw, dict):
            raise reader.fail(where, "must be a table")
        posts, requirement = _requirement(raw, where, context, default_deadline)
        if isinstance(requirement, FieldRequirement):
            known = {**(base.fields if base else {}), **fields}
            if requirement.field is None and not known:
                raise reader.fail(where, "professional_field needs a [fields] table of majors")
            if requirement.field is not None and requirement.field not in known:
                raise reader.fail(f"{where}.field", f"{requirement.field!r} is not in [fields]")
        for post in posts:
            listed = requirements.setdefault(post, [])
            if any(r.key == requirement.key for r in listed):
                selector = f"{post.kind.value}:{post.field}" if post.field else post.kind.value
                raise reader.fail(where, f"{requirement.key} is given twice for {selector}")
            listed.append(requirement)
    return Profile(
        name=name,
        document=context.document,
        effective=context.effective,
        summary=reader.text(header, "profile", "summary", required=False) or "",
        requirements=MappingProxyType({p: tuple(items) for p, items in requirements.items()}),
        fields=MappingProxyType(fields),
        false_friends=MappingProxyType(false_friends),
        elections=MappingProxyType(elections),
        sources=(source,),
    )


def _requirement(
    raw: dict[str, Any], where: str, context: _Context, default_deadline: Deadline | None
) -> tuple[list[Post], Requirement]:
    reader = context.reader
    key = reader.choice(raw, where, "key", REQUIREMENT_KEYS) or ""
    reader.only(raw, where, _COMMON_KEYS | _KEYS_BY_REQUIREMENT[key])
    posts = _posts(reader.strings(raw, where, "titles", required=True), where, reader)
    citation = context.citation(raw, where, "citation")
    chosen = reader.choice(raw, where, "confidence", [c.value for c in Confidence], required=False)
    confidence = Confidence(chosen or Confidence.CONFIRMED.value)
    if key in LEVEL_SCALES:
        scale = LEVEL_SCALES[key]
        minimum = reader.level(raw, where, "minimum", scale, required=True)
        assert minimum is not None
        area = _difficult_area(raw, where, context, citation, scale)
        if area is not None and area.minimum is not None and area.minimum > minimum:
            raise reader.fail(f"{where}.difficult_area_minimum", "must not exceed minimum")
        return posts, LevelRequirement(
            scale=key,
            minimum=minimum,
            citation=citation,
            confidence=confidence,
            deadline=_deadline(raw, where, context) or default_deadline,
            difficult_area=area,
        )
    if key == PROFESSIONAL_FIELD:
        return posts, FieldRequirement(
            citation=citation,
            confidence=confidence,
            field=reader.text(raw, where, "field", required=False),
            deadline=_deadline(raw, where, context) or default_deadline,
            difficult_area=_difficult_area(raw, where, context, citation, None),
        )
    if key == TERM_AGE:
        since = reader.day(raw, where, "since", required=False)
        return posts, TermAgeRequirement(
            months=reader.positive(raw, where, "months"),
            since=since or citation.effective or context.effective,
            citation=citation,
            confidence=confidence,
        )
    if key == REELECTION:
        body = reader.choice(raw, where, "body", [b.value for b in Body]) or ""
        return posts, ReelectionRequirement(
            body=Body(body),
            months=reader.positive(raw, where, "months"),
            citation=citation,
            confidence=confidence,
        )
    return posts, _refresher(raw, where, citation, confidence, reader)


def _deadline(raw: dict[str, Any], where: str, context: _Context) -> Deadline | None:
    on = context.reader.day(raw, where, "deadline", required=False)
    if on is None:
        if "deadline_citation" in raw:
            raise context.reader.fail(f"{where}.deadline_citation", "given without a deadline")
        return None
    cited = "deadline_citation" in raw
    return Deadline(on, context.citation(raw, where, "deadline_citation") if cited else None)


def _difficult_area(
    raw: dict[str, Any],
    where: str,
    context: _Context,
    citation: Citation,
    scale: type[Level] | None,
) -> DifficultArea | None:
    reader = context.reader
    minimum = (
        reader.level(raw, where, "difficult_area_minimum", scale, required=False)
        if scale is not None
        else None
    )
    deadline = reader.day(raw, where, "difficult_area_deadline", required=False)
    if minimum is None and deadline is None:
        if "difficult_area_citation" in raw:
            raise reader.fail(f"{where}.difficult_area_citation", "given without what it allows")
        return None
    cited = "difficult_area_citation" in raw
    return DifficultArea(
        citation=context.citation(raw, where, "difficult_area_citation") if cited else citation,
        minimum=minimum,
        deadline=deadline,
    )


def _refresher(
    raw: dict[str, Any],
    where: str,
    citation: Citation,
    confidence: Confidence,
    reader: _Reader,
) -> RefresherRequirement:
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
    requirement = RefresherRequirement(citation, confidence, counted_kinds=frozenset(kinds))
    if "courses_per_year" in raw:
        return replace(
            requirement, courses_per_year=reader.positive(raw, where, "courses_per_year")
        )
    return replace(requirement, hours_per_year=reader.hours(raw, where, "hours_per_year"))


def _posts(names: Iterable[str], where: str, reader: _Reader) -> list[Post]:
    posts: list[Post] = []
    for name in names:
        kind_name, _, field = name.partition(":")
        if kind_name in TITLE_SETS and not field:
            posts.extend(
                Post(kind) for kind in sorted(TITLE_SETS[kind_name], key=lambda t: t.value)
            )
            continue
        try:
            kind = TitleKind(kind_name)
        except ValueError:
            expected = [*TITLE_SETS, *(t.value for t in TitleKind)]
            raise reader.fail(
                f"{where}.titles", f"unknown title {name!r}; expected one of: {', '.join(expected)}"
            ) from None
        if field and not kind.has_field:
            raise reader.fail(f"{where}.titles", f"{kind.value} has no field: {name!r}")
        posts.append(Post(kind, field.strip()))
    return list(dict.fromkeys(posts))


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
            effective=self.reader.day(raw, where, "effective", required=False)
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

    def day(self, table: dict[str, Any], parent: str, key: str, *, required: bool) -> date | None:
        value: date | None = self._get(
            table, parent, key, _is_date, "a date (yyyy-mm-dd)", required=required
        )
        return value

    def days(self, table: dict[str, Any], parent: str, key: str) -> list[date]:
        value: list[date] = self._get(
            table,
            parent,
            key,
            lambda v: isinstance(v, list) and bool(v) and all(_is_date(d) for d in v),
            "a non-empty list of dates (yyyy-mm-dd)",
            required=True,
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


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _path(parent: str, key: str) -> str:
    return f"{parent}.{key}" if parent else key
