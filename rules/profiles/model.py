"""A standard profile: the requirements of each title under one set of regulations.

Requirements are listed by selector: a title kind (``Post(kind)``) applies to every official of
that kind; a kind with a field (``Post(CIVIL_SERVANT, "Tư pháp")``) applies to the titles whose
field names it, and replaces the kind's requirement with the same key (Luật Hộ tịch 2014 Điều
72 for the Tư pháp – Hộ tịch civil servant, where Nghị định 33/2023 Điều 10 defers to it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from rules.fields import names_field
from rules.requirements import REQUIREMENT_KEYS, Body, Requirement
from rules.titles import Post, TitleKind


@dataclass(frozen=True, eq=False)
class Profile:
    """A named set of standards in force from ``effective``. Shared and cached: read-only."""

    name: str
    document: str
    effective: date
    summary: str
    requirements: Mapping[Post, tuple[Requirement, ...]]
    # civil-servant field name → keywords of the majors that match it (rules.fields)
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # phrase of a major → the keywords it contains but does not mean ("xây dựng đảng")
    false_friends: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # the coming congresses and elections of each body, soonest first (configuration)
    elections: Mapping[Body, tuple[date, ...]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()  # the files it was read from, base first
    _by_post: dict[Post, tuple[Requirement, ...]] = field(
        default_factory=dict, init=False, repr=False
    )

    def requirements_for(self, post: Post) -> tuple[Requirement, ...]:
        """The title's requirements, in the order of ``REQUIREMENT_KEYS``: those of its kind,
        each replaced by the requirement with the same key of a selector naming its field."""
        found = self._by_post.get(post)
        if found is None:
            chosen = {r.key: r for r in self.requirements.get(Post(post.kind), ())}
            for selector, requirements in self.requirements.items():
                if (
                    selector.kind is post.kind
                    and selector.field
                    and names_field(selector.field, post.field)
                ):
                    chosen |= {r.key: r for r in requirements}
            found = self._by_post[post] = tuple(
                sorted(chosen.values(), key=lambda r: REQUIREMENT_KEYS.index(r.key))
            )
        return found

    def requirement(self, title: Post | TitleKind, key: str) -> Requirement | None:
        """The title's requirement with ``key``, if the profile sets one."""
        post = title if isinstance(title, Post) else Post(title)
        return next((r for r in self.requirements_for(post) if r.key == key), None)

    def next_election(self, body: Body, on: date) -> date | None:
        """The first congress or election of ``body`` on or after ``on``, if one is set."""
        return next((day for day in self.elections.get(body, ()) if day >= on), None)
