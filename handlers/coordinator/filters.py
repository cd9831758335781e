"""How an audience reads: the names of the filters, of the qualification gaps, and a line per
filter in use ("Units: Xã Bắc, Xã Nam")."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from handlers.labels import TITLES
from locales import N_, Translator
from rules.titles import TitleKind
from storage.audience import STANDARD_GAP, Audience
from storage.models import Course, Programme, Unit

FILTER_NAMES: dict[str, str] = {
    "units": N_("Units"),
    "titles": N_("Current titles"),
    "planned": N_("Planned titles"),
    "gaps": N_("Qualification gaps"),
    "courses": N_("Enrolled in a course"),
    "programmes": N_("Programme cohort"),
}
GAP_NAMES: dict[str, str] = {
    "llct_intermediate": N_("without intermediate political theory"),
    "llct_advanced": N_("without advanced political theory"),
    "university": N_("without a university degree"),
    "upper_secondary": N_("without upper secondary education"),
    "state_management": N_("without state management training"),
    STANDARD_GAP: N_("not meeting the qualification standards of their title"),
}


def title_label(_: Translator, value: str) -> str:
    return _(TITLES[TitleKind(value)])


async def describe(_: Translator, session: AsyncSession, audience: Audience) -> list[str]:
    """One line per filter in use; everyone in the scope when there is none."""
    if audience.is_everyone:
        return [_("Everyone in your scope.")]
    names = {
        "units": await _names(session, Unit.code, Unit.name, audience.units),
        "courses": await _names(session, Course.code, Course.name, audience.courses),
        "programmes": await _names(session, Programme.code, Programme.name, audience.programmes),
    }
    lines = []
    for kind, values in audience.to_json().items():
        if kind in ("titles", "planned"):
            shown = [title_label(_, value) for value in values]
        elif kind == "gaps":
            shown = [_(GAP_NAMES[value]) for value in values]
        else:
            shown = [names[kind].get(value, value) for value in values]
        lines.append(f"• {_(FILTER_NAMES[kind])}: {', '.join(shown)}")
    return lines


async def _names(
    session: AsyncSession,
    code: InstrumentedAttribute[str],
    name: InstrumentedAttribute[str],
    codes: tuple[str, ...],
) -> dict[str, str]:
    if not codes:
        return {}
    rows = await session.execute(select(code, name).where(code.in_(codes)))
    return {code: name for code, name in rows}
