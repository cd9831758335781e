"""A photo sent to the bot passes the update's shape check only as Telegram sends it (a list of
sizes with ids and dimensions); anything else is refused before PTB parses it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.telegram_updates import is_update

SIZE = {"file_id": "big", "file_unique_id": "u-big", "width": 960, "height": 1280}


def photo_update(sizes: Any) -> dict[str, Any]:
    return {
        "update_id": 7,
        "message": {
            "message_id": 3,
            "date": 1_700_000_000,
            "chat": {"id": 101, "type": "private"},
            "from": {"id": 101, "is_bot": False, "first_name": "An"},
            "photo": sizes,
        },
    }


def test_a_photo_as_telegram_sends_it_passes():
    thumbnail = {**SIZE, "file_id": "small", "width": 90, "height": 120, "file_size": 1200}
    assert is_update(photo_update([thumbnail, SIZE]))


@pytest.mark.parametrize(
    "sizes",
    [
        "big",
        {"file_id": "big"},
        [{**SIZE, "width": "960"}],
        [{**SIZE, "file_id": 5}],
        [{key: value for key, value in SIZE.items() if key != "height"}],
        [{**SIZE, "file_size": 2.5}],
    ],
)
def test_a_malformed_photo_is_refused(sizes):
    assert not is_update(photo_update(sizes))
