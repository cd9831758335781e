"""Finding the unit a command names: by code, with or without leading zeros ("7615" for
"07615"), or by exact name. Apart from `units`, so commands that take a unit load only this."""

from __future__ import annotations

import sys

from sqlalchemy.ext.asyncio import AsyncSession

from locales import Translator
from storage.catalogue.codes import unit_named
from storage.models import Unit


async def unit_or_complain(session: AsyncSession, typed: str, _: Translator) -> Unit | None:
    """The unit ``typed`` names, or None once the operator has been told why there is none."""
    match = await unit_named(session, typed)
    if match.unit is not None:
        return match.unit
    if match.candidates:
        choices = "; ".join(f"{unit.code} {unit.name}" for unit in match.candidates)
        print(
            _("“{typed}” could mean {choices}; write the full code.", typed=typed, choices=choices),
            file=sys.stderr,
        )
    else:
        print(
            _(
                "No unit has the code or name “{typed}”; `canbo units find {typed}` lists "
                "those that come close.",
                typed=typed,
            ),
            file=sys.stderr,
        )
    return None
