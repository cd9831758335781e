"""Whether a civil servant's major matches the field of the post.

Nghị định 33/2023 Điều 10 khoản 2 asks for a degree "phù hợp với yêu cầu nhiệm vụ" of the post,
and seed 002 reports secretaries who earned degrees in unrelated majors just to "meet the
standard", so the field counts. The keywords per field are profile data (``[fields]``).

Matching works on whole phrases, ignoring case and diacritics (đ → d), because rosters spell
majors both ways: "xây dựng" is in "Kỹ thuật xây dựng" but not in "Xây dựng". A major can
contain a keyword and mean something else: "Xây dựng Đảng và chính quyền nhà nước" is Party
work, not construction; "Kinh tế chính trị" is political theory, not economics; "Công nghệ
thông tin" is computing, not the press. Those false friends are profile data too
(``[false_friends]``): inside one of them, the keywords it lists do not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

from rules.text import fold


def names_field(name: str, title_field: str) -> bool:
    """Whether the field ``name`` ("Tư pháp") occurs, as whole words, in a title's field
    ("Tư pháp - Hộ tịch")."""
    return bool(title_field) and f" {fold(name)} " in f" {fold(title_field)} "


def field_for(fields: Mapping[str, Iterable[str]], title_field: str | None) -> str | None:
    """The ``fields`` entry whose name occurs in the civil servant's title field, if any."""
    if not title_field:
        return None
    return next((name for name in fields if names_field(name, title_field)), None)


def major_matches(
    keywords: Iterable[str], major: str, false_friends: Mapping[str, Iterable[str]] | None = None
) -> bool:
    """Whether one of the keywords occurs in ``major`` as whole words, outside the false
    friends that list it."""
    friends = _folded(
        tuple((phrase, tuple(meant_not)) for phrase, meant_not in (false_friends or {}).items())
    )
    return _matches(tuple(fold(keyword) for keyword in keywords), fold(major), friends)


@lru_cache(maxsize=16)  # one set per profile
def _folded(
    false_friends: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(
        (fold(phrase), frozenset(fold(keyword) for keyword in meant_not))
        for phrase, meant_not in false_friends
    )


@lru_cache(maxsize=4096)  # a province repeats the same few majors and fields
def _matches(
    keywords: tuple[str, ...], major: str, friends: tuple[tuple[str, frozenset[str]], ...]
) -> bool:
    words = tuple(major.split())
    for keyword in keywords:
        phrase = tuple(keyword.split())
        shadowed = {
            start + offset
            for friend, meant_not in friends
            if keyword in meant_not
            for start in _occurrences(words, tuple(friend.split()))
            for offset in _occurrences(tuple(friend.split()), phrase)
        }
        if any(start not in shadowed for start in _occurrences(words, phrase)):
            return True
    return False


def _occurrences(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    """Where ``phrase`` starts in ``words``, as whole words."""
    size = len(phrase)
    return [i for i in range(len(words) - size + 1) if words[i : i + size] == phrase]
