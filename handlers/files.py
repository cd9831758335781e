"""A file sent to the bot, and the one place that tells what it is: a spreadsheet is a roster a
coordinator sends to import (handlers.coordinator.roster_upload); anything else, a photo or a
PDF, is an official's evidence of a qualification (handlers.evidence)."""

from __future__ import annotations

from pathlib import PurePath

from handlers import coordinator, evidence
from handlers.context import Context
from handlers.messages import Attachment, Reply
from storage.importers.tabular import SUFFIXES


def is_roster(attachment: Attachment) -> bool:
    return PurePath(attachment.filename).suffix.lower() in SUFFIXES


async def on_file(context: Context) -> list[Reply]:
    attachment = context.incoming.attachment
    assert attachment is not None
    if is_roster(attachment):
        return await coordinator.on_file(context)
    return await evidence.on_file(context)
