"""Text folding for matching what people type: Vietnamese is often written without diacritics."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, diacritics removed (đ → d), punctuation to single spaces:
    "Tôi đã ĐẠT chuẩn chưa?" → "toi da dat chuan chua"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_WORD.sub(" ", bare.lower()).strip()
