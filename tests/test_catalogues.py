"""Every message the code can show has a Vietnamese translation, with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent
KEYWORDS = {"_": None, "N_": None, "plural": (1, 2)}
PACKAGES = ("bot", "handlers", "rules", "scheduler", "storage", "locales")
PLACEHOLDER = re.compile(r"\{(\w*)[^}]*\}")


def _messages_in_code() -> set[str]:
    found: set[str] = set()
    for package in PACKAGES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.update([message] if isinstance(message, str) else message)
    return found


def _catalogue(language: str) -> dict[str, str]:
    with (ROOT / "locales" / language / "LC_MESSAGES" / "canbo.po").open("rb") as handle:
        catalogue = read_po(handle)
    entries: dict[str, str] = {}
    for message in catalogue:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        string = message.string or ""
        strings = [string] if isinstance(string, str) else list(string)
        for msgid in ids:
            entries[str(msgid)] = str(strings[0] or "")
    return entries


def test_every_message_has_a_vietnamese_translation() -> None:
    vietnamese = _catalogue("vi")
    missing = sorted(m for m in _messages_in_code() if not vietnamese.get(m))
    assert missing == [], f"{len(missing)} messages lack a Vietnamese translation: {missing[:10]}"


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in _catalogue("vi").items():
        if msgstr:
            expected = sorted(PLACEHOLDER.findall(msgid))
            assert sorted(PLACEHOLDER.findall(msgstr)) == expected, msgid
