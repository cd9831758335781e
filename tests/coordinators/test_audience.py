"""Audiences: each filter names exactly the officials counted by hand, only inside the scope,
with who can be reached; a filter naming anything outside the scope is refused."""

from __future__ import annotations

import pytest

from rules.profiles import profile_in_force
from rules.scales import PoliticalTheory
from rules.titles import TitleKind
from storage.access import Refused, Scope, scope_of
from storage.audience import Audience, Headcount, check, resolve
from storage.reach import Reach
from tests.coordinators.conftest import ON
from tests.factories import make_official

PROFILE = profile_in_force(ON)  # the standards in force on the day the audience is resolved


async def _codes(session, world, audience: Audience, scope: Scope) -> set[str]:
    members = await resolve(session, audience, scope, PROFILE, ON)
    by_id = {official.id: code for code, official in world.people.items()}
    return {by_id[member.official_id] for member in members}


FILTERS = [
    (Audience(), {"A1", "A2", "A3", "A4", "A5", "A6"}),
    (Audience(gaps=("llct_intermediate",)), {"A1", "A3", "A4", "A5"}),
    (Audience(gaps=("standard",)), {"A1", "A3", "A5"}),
    (Audience(gaps=("university",)), {"A3"}),
    (Audience(titles=("committee_vice_chair",)), {"A3", "A5"}),
    (
        Audience(titles=("committee_vice_chair",), gaps=("llct_intermediate",)),
        {"A3", "A5"},
    ),
    (Audience(titles=("committee_chair", "council_chair")), {"A1", "A2"}),
    (Audience(planned=("committee_vice_chair",)), {"A4"}),
    (Audience(courses=("LLCT-TC-2027",)), {"A1"}),
    (Audience(programmes=("DN-26",)), {"A6"}),
    (Audience(units=("A",), gaps=("university", "standard")), {"A1", "A3", "A5"}),
]


async def test_filters_within_a_coordinators_scope(session, world):
    scope = await scope_of(session, world.people["CA"].id)
    assert scope is not None
    for audience, expected in FILTERS:
        assert await _codes(session, world, audience, scope) == expected, audience


async def test_the_same_filter_reaches_further_for_an_admin(session, world):
    scope = await scope_of(session, world.people["AD"].id)
    assert scope == Scope.all()
    audience = Audience(gaps=("llct_intermediate",))
    assert await _codes(session, world, audience, scope) == {"A1", "A3", "A4", "A5", "B1"}


async def test_reach_counts_not_linked_and_blocked(session, world):
    scope = await scope_of(session, world.people["CA"].id)
    assert scope is not None
    members = await resolve(session, Audience(gaps=("llct_intermediate",)), scope, PROFILE, ON)
    reach = {member.reach for member in members}
    assert reach == {Reach.REACHABLE, Reach.NOT_LINKED, Reach.BLOCKED}
    assert Headcount.of(members) == Headcount(total=4, not_linked=1, blocked=1, on_visit=0)


@pytest.mark.parametrize(
    ("audience", "message"),
    [
        (Audience(units=("B",)), "The unit {code} is not in your scope."),
        (Audience(units=("A", "P")), "The unit {code} is not in your scope."),
        (Audience(units=("NOWHERE",)), "There is no unit with the code or name {unit}."),
    ],
)
async def test_units_outside_the_scope_or_unknown_are_refused(session, world, audience, message):
    scope = await scope_of(session, world.people["CA"].id)
    assert scope is not None
    with pytest.raises(Refused) as refused:
        await check(session, audience, scope)
    assert refused.value.message == message


async def test_an_official_without_a_role_has_no_scope(session, world):
    assert await scope_of(session, world.people["A2"].id) is None


async def test_a_concurrent_post_is_reached_through_each_of_its_titles(session, world):
    """Bí thư kiêm Chủ tịch HĐND is among the council chairs, and among those missing a
    standard when only the council chair's title asks for it (LLCT trung cấp)."""
    await make_official(
        session,
        "A7",
        unit=world.a,
        title=TitleKind.PARTY_SECRETARY,
        also=(TitleKind.COUNCIL_CHAIR,),
        political_theory=PoliticalTheory.ELEMENTARY,
    )
    await session.commit()
    scope = await scope_of(session, world.people["CA"].id)
    assert scope is not None
    codes = {
        member.official_id
        for member in await resolve(
            session, Audience(titles=("council_chair",)), scope, PROFILE, ON
        )
    }
    assert len(codes) == 2  # A2 and A7
    unmet = await resolve(
        session, Audience(titles=("party_secretary",), gaps=("standard",)), scope, PROFILE, ON
    )
    assert len(unmet) == 1
