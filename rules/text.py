"""Vietnamese text without diacritics, for matching typed text and headers.

People and rosters write Vietnamese both with and without diacritics ("Tôi đã đạt chuẩn chưa",
"toi da dat chuan chua"), so the bot's phrases and the importers' spellings are compared folded.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NOT_WORD = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)  # rosters and menus repeat the same few words over and over
def fold(text: str) -> str:
    """Lower case, diacritics removed (đ → d), punctuation to single spaces:
    "Tôi đã ĐẠT chuẩn chưa?" → "toi da dat chuan chua"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.lower()).strip()
