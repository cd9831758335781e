"""The demo's people, drawn from ``data`` with a fixed seed: the same names and levels every
run. Ages count in years from today's year, so someone near retirement stays near it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import count
from typing import TypeVar

from rules.scales import (
    Gender,
    GeneralEducation,
    PoliticalTheory,
    ProfessionalLevel,
    StateManagement,
)
from rules.titles import TitleKind
from storage.demo import data
from storage.demo.calendar import add_months

T = TypeVar("T")


@dataclass(frozen=True)
class DemoOfficial:
    code: str
    group: str  # "key", "civil_servant" or "trainee": which weights in ``data`` apply
    commune: str
    title: TitleKind  # the main title, with its field
    field: str
    full_name: str
    gender: Gender
    birth_date: date
    ethnicity: str
    appointed_on: date | None
    general_education: GeneralEducation | None
    professional_level: ProfessionalLevel | None
    major: str | None
    political_theory: PoliticalTheory | None
    state_management: StateManagement | None
    party_member: bool
    party_joined_on: date | None
    phone: str | None
    planned: tuple[TitleKind, ...]
    also: tuple[TitleKind, ...] = ()  # titles held concurrently

    @property
    def posts(self) -> tuple[tuple[TitleKind, str], ...]:
        """Every title held, main first, as (kind, field)."""
        return ((self.title, self.field), *((kind, "") for kind in self.also))


def draft(today: date) -> list[DemoOfficial]:
    """Every commune's key officials and civil servants, then the source trainees."""
    rng = random.Random(data.SEED)
    numbers = count(1)
    people: list[DemoOfficial] = []
    for commune in data.COMMUNES:
        mix = data.ETHNICITIES_HIGHLAND if commune.highland else data.ETHNICITIES_LOWLAND
        posts = [(post, "") for post in data.KEY_POSTS]
        posts += [(TitleKind.CIVIL_SERVANT, field) for field in data.CIVIL_SERVANT_FIELDS]
        for post, field in posts:
            group = "civil_servant" if post is TitleKind.CIVIL_SERVANT else "key"
            plans, share = data.PLANNED_FOR.get(post, ((), 0.0))
            planned = plans if rng.random() < share else ()
            people.append(
                _person(rng, today, next(numbers), group, commune.code, post, field, mix, planned)
            )
    for index in range(data.SOURCE_TRAINEES):
        commune = data.COMMUNES[index % len(data.COMMUNES)]  # step 5: assigned to a commune
        people.append(
            _person(
                rng,
                today,
                next(numbers),
                "trainee",
                commune.code,
                TitleKind.SOURCE_TRAINEE,
                "",
                data.ETHNICITIES_TRAINEES,
                data.TRAINEE_PLANS[index % len(data.TRAINEE_PLANS)],
            )
        )
    return _concurrent(people)


def _concurrent(people: list[DemoOfficial]) -> list[DemoOfficial]:
    """Where the Bí thư chairs the council too, the drawn council chair becomes a vice chair."""
    joined = {commune.code for commune in data.COMMUNES if commune.secretary_chairs_council}
    changed: list[DemoOfficial] = []
    for person in people:
        if person.commune in joined and person.title is TitleKind.PARTY_SECRETARY:
            person = replace(person, also=(TitleKind.COUNCIL_CHAIR,))
        elif person.commune in joined and person.title is TitleKind.COUNCIL_CHAIR:
            person = replace(person, title=TitleKind.COUNCIL_VICE_CHAIR)
        changed.append(person)
    return changed


def _person(
    rng: random.Random,
    today: date,
    number: int,
    group: str,
    commune: str,
    title: TitleKind,
    field: str,
    ethnicities: Sequence[tuple[str, int]],
    planned: tuple[TitleKind, ...],
) -> DemoOfficial:
    gender = Gender.FEMALE if rng.random() < data.FEMALE_SHARE[group] else Gender.MALE
    sex = gender.value
    ethnicity = _pick(rng, ethnicities)
    if ethnicity == "Khmer":
        full_name = rng.choice(data.KHMER_NAMES[sex])
    else:
        surname = _pick(rng, data.SURNAMES[ethnicity])
        full_name = (
            f"{surname} {rng.choice(data.MIDDLE_NAMES[sex])} {rng.choice(data.GIVEN_NAMES[sex])}"
        )
    near_retirement = group != "trainee" and rng.random() < data.NEAR_RETIREMENT_SHARE
    low, high = data.NEAR_RETIREMENT[sex] if near_retirement else data.AGES[(group, sex)]
    age = rng.randint(low, high)
    birth_date = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    professional = _pick(rng, data.PROFESSIONAL[group])
    party_member = rng.random() < data.PARTY_SHARE[group]
    joined_at = rng.randint(20, max(20, min(30, age - 2)))
    phone = f"+849{rng.randrange(10**8):08d}" if rng.random() < data.PHONE_SHARE else None
    return DemoOfficial(
        code=f"{data.CODE_PREFIX}{number:04d}",
        group=group,
        commune=commune,
        title=title,
        field=field,
        full_name=full_name,
        gender=gender,
        birth_date=birth_date,
        ethnicity=ethnicity,
        appointed_on=_appointed(rng, today, group, age),
        general_education=_pick(rng, data.GENERAL_EDUCATION),
        professional_level=professional,
        major=None if professional is None else _major(rng, group, field),
        political_theory=_pick(rng, data.POLITICAL[group]),
        state_management=_pick(rng, data.STATE_MANAGEMENT[group]),
        party_member=party_member,
        party_joined_on=date(birth_date.year + joined_at, rng.randint(1, 12), rng.randint(1, 28))
        if party_member
        else None,
        phone=phone,
        planned=planned,
    )


def _appointed(rng: random.Random, today: date, group: str, age: int) -> date | None:
    """Months in post, never before the age of 22; trainees hold no post yet."""
    if group == "trainee":
        return None
    shortest, longest = (3, 60) if group == "key" else (6, 180)
    months = rng.randint(shortest, max(shortest, min(longest, (age - 22) * 12)))
    return add_months(today.replace(day=1), -months)


def _major(rng: random.Random, group: str, field: str) -> str:
    if rng.random() < data.UNRELATED_SHARE:
        return rng.choice(data.UNRELATED_MAJORS)
    return rng.choice(data.FIELD_MAJORS[field] if field else data.KEY_MAJORS)


def _pick(rng: random.Random, weighted: Sequence[tuple[T, int | float]]) -> T:
    values = [value for value, _ in weighted]
    return rng.choices(values, [weight for _, weight in weighted])[0]
