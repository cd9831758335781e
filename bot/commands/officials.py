"""Finding the official a command names by code. Apart from `database`, so that commands which
never name one do not load the record readers."""

from __future__ import annotations

import sys

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.records import official_by_code
from locales import Translator
from storage.models import Official


async def official_or_complain(session: AsyncSession, code: str, _: Translator) -> Official | None:
    """The official with this code, or None once the operator has been told there is none."""
    official = await official_by_code(session, code)
    if official is None:
        print(_("No official has the code {code}.", code=code), file=sys.stderr)
    return official
