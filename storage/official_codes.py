"""Official codes are compared without case: "cb001" in a roster, on the command line or in the
chat finds "CB001". The code is kept as the board wrote it; ``Official.code_key`` holds the form
it is compared on, unique, so two codes that differ only in case cannot both be stored.

The key is computed here, in Python, for every database alike (SQLite's lower() only knows
ASCII, and a code may hold "Đ").
"""

from __future__ import annotations

import unicodedata


def code_key(code: str) -> str:
    """The form an official's code is matched on: "  Cb-đ01 " → "cb-đ01"."""
    return unicodedata.normalize("NFC", code).strip().casefold()
