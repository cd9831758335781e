"""A roster phone number in the form ZNS takes (zalo.cloud/zns, "Gửi ZNS": the country code
first, 84xxxxxxxxx). Rosters store numbers as +84… (storage.importers.vocabulary.phone); the
spellings officials type are read too, since a number may come from elsewhere."""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"[35789]\d{8}")  # the 9 digits of a Vietnamese mobile after 0 or 84


def zns_number(phone: str | None) -> str | None:
    """84 and the 9 digits of a Vietnamese mobile; None for a landline, a missing or odd one."""
    digits = _PUNCTUATION.sub("", phone or "").removeprefix("+")
    if digits.startswith("84") and len(digits) == 11:
        national = digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        national = digits[1:]
    else:
        return None
    return "84" + national if _MOBILE.fullmatch(national) else None
