"""Splitting a long reply into messages a messenger accepts (Telegram 4,096, Zalo 2,000)."""

from __future__ import annotations

from collections.abc import Callable


def split_text(text: str, limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Parts of ``text`` no longer than ``limit`` by ``measure``, cut at line ends; a single
    line over the limit is cut hard. Blank lines at a cut are dropped: messengers refuse
    empty messages and trim the rest anyway."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        joined = f"{current}\n{line}" if current else line
        if measure(joined) <= limit:
            current = joined
            continue
        if current.strip():
            parts.append(current)
        current = ""
        while measure(line) > limit:
            head = _longest_prefix(line, limit, measure)
            parts.append(head)
            line = line[len(head) :]
        current = line
    if current.strip():
        parts.append(current)
    return [part.strip("\n") for part in parts]


def _longest_prefix(line: str, limit: int, measure: Callable[[str], int]) -> str:
    """The longest prefix of ``line`` within ``limit`` (binary search; at least one character)."""
    low, high = 1, len(line)
    while low < high:
        middle = (low + high + 1) // 2
        if measure(line[:middle]) <= limit:
            low = middle
        else:
            high = middle - 1
    return line[:low]


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (an emoji outside the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2
