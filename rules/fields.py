"""Whether a civil servant's major matches the field of the post (Nghị định 33/2023 Điều 10).

Seed 002 reports secretaries who earned degrees in unrelated majors just to "meet the standard",
so the field counts. The keywords per field are profile data (``[fields]``); matching ignores
case and diacritics (đ → d), because rosters spell majors both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rules.text import fold


def field_for(fields: Mapping[str, Iterable[str]], title_field: str | None) -> str | None:
    """The ``fields`` entry whose name occurs in the civil servant's title field, if any."""
    if not title_field:
        return None
    folded = f" {fold(title_field)} "
    return next((name for name in fields if f" {fold(name)} " in folded), None)


def major_matches(keywords: Iterable[str], major: str) -> bool:
    """Whether one of the keywords occurs in ``major`` as whole words."""
    folded = f" {fold(major)} "
    return any(f" {fold(keyword)} " in folded for keyword in keywords)
