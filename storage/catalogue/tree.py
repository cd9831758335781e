"""Writing units into the tree: upsert on code, then keep every materialised path right.

``Unit.path`` ("/1/57/") is what coordinator scopes match on, so after any insert or move the
paths are recomputed from the parent links; a moved unit takes its whole subtree with it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Unit, UnitKind

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class UnitRecord:
    """A unit as a source describes it; ``difficult_area`` None leaves the stored flag alone."""

    code: str
    name: str
    kind: UnitKind
    parent_code: str | None = None
    difficult_area: bool | None = None


@dataclass(frozen=True)
class Changes:
    added: int
    updated: int
    unchanged: int


class CycleError(ValueError):
    """The parent links loop back on themselves."""


def find_cycle(parents: Mapping[K, K | None], start: K) -> list[K] | None:
    """The loop reached by following parents up from ``start``, or None when it ends at a root."""
    seen: list[K] = []
    node: K | None = start
    while node is not None:
        if node in seen:
            return seen[seen.index(node) :]
        seen.append(node)
        node = parents.get(node)
    return None


def depths(parents: Mapping[K, K | None]) -> dict[K, int]:
    """How many ancestors each key has among the keys of ``parents`` (0 for a top-level key)."""
    known: dict[K, int] = {}
    for start in parents:
        chain: list[K] = []
        node: K | None = start
        while node is not None and node in parents and node not in known:
            if node in chain:
                raise CycleError(node)
            chain.append(node)
            node = parents[node]
        level = known[node] if node is not None and node in known else -1
        for member in reversed(chain):
            level += 1
            known[member] = level
    return known


async def sync_paths(session: AsyncSession) -> int:
    """Rewrite every path that no longer matches the parent links; returns how many changed."""
    rows = (await session.execute(select(Unit.id, Unit.parent_id, Unit.path))).all()
    parents: dict[int, int | None] = {row.id: row.parent_id for row in rows}
    level = depths(parents)
    expected: dict[int, str] = {}
    for unit_id in sorted(parents, key=level.__getitem__):
        parent = parents[unit_id]
        expected[unit_id] = f"{expected[parent] if parent is not None else '/'}{unit_id}/"
    stale = [
        {"id": row.id, "path": expected[row.id]} for row in rows if row.path != expected[row.id]
    ]
    if stale:
        await session.execute(update(Unit), stale)
    return len(stale)


async def upsert_units(session: AsyncSession, records: Sequence[UnitRecord]) -> Changes:
    """Insert or update ``records`` by code, parents before children, then fix the paths.

    Every ``parent_code`` must name a record or a stored unit, and the links must not loop
    (the callers check both and report them in the user's terms). The caller commits.
    """
    stored = {
        row.code: row
        for row in await session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_id, Unit.difficult_area)
        )
    }
    ids = {code: row.id for code, row in stored.items()}
    by_code = {record.code: record for record in records}
    level = depths({code: record.parent_code for code, record in by_code.items()})
    added = updated = 0
    for depth in sorted(set(level.values())):
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for record in (by_code[code] for code, d in level.items() if d == depth):
            values: dict[str, Any] = {
                "name": record.name,
                "kind": record.kind,
                "parent_id": ids[record.parent_code] if record.parent_code else None,
            }
            if record.difficult_area is not None:
                values["difficult_area"] = record.difficult_area
            current = stored.get(record.code)
            if current is None:
                new.append({"code": record.code, "path": "/", **values})
            elif any(getattr(current, field) != value for field, value in values.items()):
                changed.append({"id": current.id, **values})
        if new:
            inserted = await session.execute(insert(Unit).returning(Unit.id, Unit.code), new)
            ids.update({row.code: row.id for row in inserted})
        if changed:
            await session.execute(update(Unit), changed)
        added += len(new)
        updated += len(changed)
    if added or updated:
        await sync_paths(session)
    return Changes(added=added, updated=updated, unchanged=len(by_code) - added - updated)
