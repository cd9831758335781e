"""Who may act on what: coordinators on their units' subtrees, admins on everything.

A coordinator's scope is the union of the units of their coordinator roles, each with
everything under it (``Unit.path`` prefixes, one indexed LIKE each). Every coordinator action
(audience, counts, reports, broadcasts) narrows its queries with ``Scope.clause``, so nothing
outside the scope is ever read. As in the reminders (scheduler.snapshot), a coordinator role
without a unit covers everything. Every refusal on scope is on the audit log (``refuse``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    SQLColumnExpression,
    bindparam,
    false,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from locales import N_
from storage.audit import record
from storage.catalogue.codes import unit_named
from storage.models import Official, Role, RoleKind, Unit

REFUSED = "scope.refused"  # the audit log's action for a refusal on scope


class Refused(Exception):
    """A coordinator action that cannot be done as asked: out of scope, unknown, too late.
    ``message`` is an English msgid with ``params``, translated where it is shown."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message.format(**params))
        self.message = message
        self.params = params


class Missing(Refused):
    """Refused because what was asked for does not exist: said in the same words as
    ``OutOfScope`` for something outside the scope, so the two cannot be told apart."""


class OutOfScope(Refused):
    """Refused because what was asked for exists but lies outside the actor's scope;
    ``target`` names it as the audit log does (``unit:A``)."""

    def __init__(self, target: str, message: str, **params: object) -> None:
        super().__init__(message, **params)
        self.target = target


@dataclass(frozen=True)
class Actor:
    """Who acts on the board's queues (registrations, evidence): the name the audit log gives
    them, and the units they may act on."""

    name: str
    scope: Scope


def refuse(session: AsyncSession, actor: str, target: str, reason: str) -> None:
    """Put a refusal on the audit log, in the caller's transaction: ``target`` is what was
    asked for (``unit:A``, ``broadcast:12``, ``/baocao``), ``reason`` why it was refused."""
    record(session, actor, REFUSED, target, reason=reason)


@dataclass(frozen=True)
class Scope:
    """The units one actor may act on: ``paths`` and everything under them, or everything."""

    paths: tuple[str, ...] = ()
    everything: bool = False

    @classmethod
    def all(cls) -> Scope:
        return cls(everything=True)

    @classmethod
    def of_paths(cls, paths: list[str] | tuple[str, ...]) -> Scope:
        """The scope of ``paths``, without those already under another (``[]``: everything)."""
        if not paths:
            return cls.all()
        kept = sorted(set(paths), key=len)
        minimal: list[str] = []
        for path in kept:
            if not any(path.startswith(outer) for outer in minimal):
                minimal.append(path)
        return cls(tuple(sorted(minimal)))

    def covers(self, path: str) -> bool:
        return self.everything or any(path.startswith(outer) for outer in self.paths)

    def covers_all(self, paths: list[str] | tuple[str, ...]) -> bool:
        """Everything ``paths`` reach lies in this scope (``[]`` means everything)."""
        if self.everything:
            return True
        return bool(paths) and all(self.covers(path) for path in paths)

    def clause(self, path: SQLColumnExpression[str] | None = None) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose unit path (default ``Unit.path``) is in scope."""
        column = Unit.path if path is None else path
        if self.everything:
            return true()
        if not self.paths:
            return false()
        return or_(*(column.startswith(outer) for outer in self.paths))

    def stored(self) -> list[str]:
        """The scope as kept with what was done in it (``[]`` for everything)."""
        return [] if self.everything else list(self.paths)


# Built once: /help asks it on every call, and on SQLite building and keying a statement
# costs about as much as running it.
_ROLES = (
    select(Role.kind, Unit.path)
    .outerjoin(Unit, Role.unit_id == Unit.id)
    .where(Role.official_id == bindparam("official_id"))
)


async def scope_of(session: AsyncSession, official_id: int) -> Scope | None:
    """The official's scope, or None when they hold no coordinator or admin role."""
    roles = (await session.execute(_ROLES, {"official_id": official_id})).all()
    if not roles:
        return None
    if any(kind is RoleKind.ADMIN or path is None for kind, path in roles):
        return Scope.all()
    return Scope.of_paths([path for _kind, path in roles])


async def coordinators_of(session: AsyncSession, official: Official) -> list[int]:
    """Officials coordinating the official's unit or any unit above it, but not themself."""
    return list(
        await session.scalars(
            select(Role.official_id)
            .join(Unit, Role.unit_id == Unit.id)
            .where(
                Role.kind == RoleKind.COORDINATOR,
                Role.official_id != official.id,
                literal(official.unit.path).startswith(Unit.path),
            )
            .distinct()
        )
    )


async def top_units(session: AsyncSession, scope: Scope) -> list[Unit]:
    """The units at the top of ``scope``: the roots of the tree for everything."""
    if scope.everything:
        query = select(Unit).where(Unit.parent_id.is_(None))
    else:
        query = select(Unit).where(Unit.path.in_(scope.paths))
    return list(await session.scalars(query.order_by(Unit.name, Unit.code)))


async def unit_in_scope(session: AsyncSession, scope: Scope, typed: str, actor: str) -> Unit:
    """The unit ``typed`` names (see ``named_unit``) if ``scope`` covers it; OutOfScope when
    it lies outside (audited in the caller's transaction: a role to ask for). Unit codes and
    names are the published national catalogue, so telling "none" from "outside" reveals
    nothing."""
    unit = await named_unit(session, scope, typed)
    if in_scope(session, scope, unit, actor) is None:
        raise OutOfScope(
            f"unit:{unit.code}", N_("The unit {code} is not in your scope."), code=unit.code
        )
    return unit


async def named_unit(session: AsyncSession, scope: Scope, typed: str) -> Unit:
    """The unit ``typed`` names: its code (leading zeros optional) or its exact name. Of several
    units a name or a short code may mean, the one inside ``scope`` when only one is; whether
    the unit lies inside is for the caller to check. Refused when it names no unit (a typo to
    fix) or several (the code tells them apart)."""
    match = await unit_named(session, typed)
    units = [match.unit] if match.unit is not None else list(match.candidates)
    if not units:
        raise Refused(N_("There is no unit with the code or name {unit}."), unit=typed.strip())
    inside = [unit for unit in units if scope.covers(unit.path)]
    chosen = inside if len(inside) == 1 else units
    if len(chosen) > 1:
        raise Refused(
            N_("Several units are called {unit}: write the code of the one you mean."),
            unit=typed.strip(),
        )
    return chosen[0]


def in_scope(session: AsyncSession, scope: Scope, unit: Unit | None, actor: str) -> Unit | None:
    """``unit`` if ``scope`` covers it; None when there is none or it lies outside (the caller
    says the same either way, so a scope's edges are not probed; one outside is audited)."""
    if unit is None:
        return None
    if not scope.covers(unit.path):
        refuse(session, actor, f"unit:{unit.code}", "out of scope")
        return None
    return unit


async def grant(
    session: AsyncSession, actor: str, official: Official, kind: RoleKind, unit: Unit | None
) -> bool:
    """Give ``official`` the role; False when they already hold it. The caller commits."""
    unit_id = unit.id if unit is not None else None
    held = await session.scalar(
        select(Role.id).where(
            Role.official_id == official.id,
            Role.kind == kind,
            Role.unit_id.is_(None) if unit_id is None else Role.unit_id == unit_id,
        )
    )
    if held is not None:
        return False
    session.add(Role(official_id=official.id, kind=kind, unit_id=unit_id))
    record(
        session,
        actor,
        "role.grant",
        official.code,
        role=kind.value,
        unit=unit.code if unit is not None else None,
    )
    return True


async def revoke(
    session: AsyncSession, actor: str, official: Official, kind: RoleKind, unit: Unit | None
) -> int:
    """Take the role away (for ``unit``, or on every unit when None); how many went."""
    query = select(Role).where(Role.official_id == official.id, Role.kind == kind)
    if unit is not None:
        query = query.where(Role.unit_id == unit.id)
    roles = list(await session.scalars(query))
    for role in roles:
        await session.delete(role)
    if roles:
        record(
            session,
            actor,
            "role.revoke",
            official.code,
            role=kind.value,
            unit=unit.code if unit is not None else None,
            removed=len(roles),
        )
    return len(roles)


async def roles(session: AsyncSession) -> list[Role]:
    """Every role, with its official and unit, by official code."""
    return list(
        await session.scalars(
            select(Role)
            .join(Official, Role.official_id == Official.id)
            .options(selectinload(Role.official), selectinload(Role.unit))
            .order_by(Official.code, Role.kind, Role.id)
        )
    )
