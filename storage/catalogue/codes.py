"""Unit codes as people write them, and finding a unit by what someone typed.

Catalogue codes are stored zero-padded (commune "00070", district "001", province "01"), while
rosters and people drop the zeros ("70", "7615", a number cell 70.0). ``code_forms`` gives the
stored codes a typed one may mean, commune level first: rosters list commune officials.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from rules.text import fold
from storage.models import Unit

WIDTHS = (5, 3, 2)  # commune, district, province


def code_forms(code: str) -> tuple[str, ...]:
    """The stored codes ``code`` may mean: itself, and for digits each zero-padded width."""
    code = code.strip()
    if not code.isdigit():
        return (code,)
    digits = code.lstrip("0") or "0"
    padded = (digits.zfill(width) for width in WIDTHS if len(digits) <= width)
    return tuple(dict.fromkeys((code, *padded)))


@dataclass(frozen=True)
class UnitMatch:
    """What a typed unit names: exactly one unit, or the candidates to choose between."""

    unit: Unit | None
    candidates: Sequence[Unit] = ()


async def unit_named(session: AsyncSession, typed: str) -> UnitMatch:
    """The unit whose code (leading zeros optional) or exact name (case aside) is ``typed``.
    Several candidates (a code that is both a province's and a ward's, a name two communes
    share) come back unresolved, for the caller to ask which."""
    typed = " ".join(typed.split())
    forms = code_forms(typed)
    found = list(await session.scalars(select(Unit).where(Unit.code.in_(forms))))
    if typed in {unit.code for unit in found}:
        return UnitMatch(next(unit for unit in found if unit.code == typed))
    if not found:
        wanted = typed.casefold()
        named = await session.scalars(
            select(Unit).where(or_(Unit.name == typed, Unit.name.ilike(typed)))
        )
        found = [unit for unit in named if unit.name.casefold() == wanted]
    if len(found) == 1:
        return UnitMatch(found[0])
    return UnitMatch(None, sorted(found, key=lambda unit: unit.code))


async def search_units(session: AsyncSession, text: str, limit: int) -> tuple[list[Unit], int]:
    """Units whose name or code contains ``text``, without case or diacritics ("ha noi" finds
    "Hà Nội"), best first: exact code or name, then names starting with it; and how many
    matched in all."""
    wanted = fold(text)
    forms = set(code_forms(text))
    rows = (await session.execute(select(Unit.id, Unit.code, Unit.name))).all()
    scored: list[tuple[int, str, int]] = []
    for unit_id, code, name in rows:
        folded = fold(name)
        bare = folded.removeprefix("xa ").removeprefix("phuong ").removeprefix("tinh ")
        if code in forms or folded == wanted or bare == wanted:
            rank = 0
        elif folded.startswith(wanted) or bare.startswith(wanted):
            rank = 1
        elif wanted and (wanted in folded or wanted in fold(code)):
            rank = 2
        else:
            continue
        scored.append((rank, folded, unit_id))
    scored.sort()
    ids = [unit_id for _rank, _name, unit_id in scored[:limit]]
    units = {unit.id: unit for unit in await session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [units[unit_id] for unit_id in ids], len(scored)
