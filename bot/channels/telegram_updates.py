"""The shape of a Telegram update as far as the bot reads it (Bot API, "Update", "Message",
"User", "CallbackQuery", "Contact", "Document", "PhotoSize"), checked before python-telegram-bot
parses it: PTB trusts its input, so a string chat id would reach the conversation, and an object
for a user id would stop PTB's update loop for good."""

from __future__ import annotations

from bot.channels.shapes import boolean, int64, json_object, list_of, unicode_text

# What json.loads and PTB's de_json raise on junk.
UNREADABLE = (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError)

_USER = json_object(
    {"id": int64, "is_bot": boolean, "first_name": unicode_text}, {"language_code": unicode_text}
)
_MESSAGE = json_object(
    {"message_id": int64, "date": int64, "chat": json_object({"id": int64, "type": unicode_text})},
    {
        "from": _USER,
        "text": unicode_text,
        "entities": list_of(json_object({"type": unicode_text, "offset": int64, "length": int64})),
        "contact": json_object(
            {"phone_number": unicode_text, "first_name": unicode_text}, {"user_id": int64}
        ),
        "photo": list_of(
            json_object(
                {
                    "file_id": unicode_text,
                    "file_unique_id": unicode_text,
                    "width": int64,
                    "height": int64,
                },
                {"file_size": int64},
            )
        ),
        "caption": unicode_text,
        "document": json_object(
            {"file_id": unicode_text, "file_unique_id": unicode_text},
            {"file_name": unicode_text, "mime_type": unicode_text, "file_size": int64},
        ),
    },
)
_UPDATE = json_object(
    {"update_id": lambda value: int64(value) and value >= 0},
    {
        "message": _MESSAGE,
        "callback_query": json_object(
            {"id": unicode_text, "from": _USER, "chat_instance": unicode_text},
            {"data": unicode_text, "message": _MESSAGE},
        ),
    },
)


def is_update(data: object) -> bool:
    """Whether a webhook body is an update whose fields the bot reads have Telegram's types."""
    return _UPDATE(data)
