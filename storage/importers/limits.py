"""How much one roster file may hold, checked before a single row is read.

A province's whole roster is about 200,000 officials, so ``MAX_ROWS`` leaves room for it in one
file and refuses anything larger at once. An XLSX or ODS file is a zip package: the sizes its
parts declare are checked before anything is unpacked (Python's zipfile never unpacks more than
a part declares), so a small file that would unpack to gigabytes (a "zip bomb") is refused in
milliseconds. The shared-strings part is read into memory whole, so it has a lower limit.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from locales import N_
from storage.importers.report import FileRejected, Message

MAX_ROWS = 300_000
MAX_FILE_BYTES = 256 * 2**20  # a CSV of 300,000 rows of 20 columns is about 100 MB
MAX_UNPACKED_BYTES = 1024 * 2**20  # every part of a spreadsheet package, as declared
MAX_SHARED_STRINGS_BYTES = 64 * 2**20  # the texts of an XLSX workbook, held in memory
MAX_PARTS = 10_000
MB = 2**20


def check_file_size(path: Path) -> None:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            Message(
                N_(
                    "The file is {size} MB, more than the {limit} MB a roster may be; split "
                    "it into smaller files."
                ),
                {"size": size // MB, "limit": MAX_FILE_BYTES // MB},
            )
        )


def check_package(archive: zipfile.ZipFile) -> None:
    """Refuse a package whose parts would unpack beyond the limits."""
    parts = archive.infolist()
    unpacked = sum(part.file_size for part in parts)
    strings = sum(
        part.file_size for part in parts if part.filename.lower() == "xl/sharedstrings.xml"
    )
    if (
        len(parts) > MAX_PARTS
        or unpacked > MAX_UNPACKED_BYTES
        or strings > MAX_SHARED_STRINGS_BYTES
    ):
        raise FileRejected(
            Message(
                N_(
                    "The file would unpack to {size} MB, more than the {limit} MB a roster may "
                    "take; it is not a roster as Excel saves one. Copy the table alone into a "
                    "new workbook and save that."
                ),
                {"size": unpacked // MB, "limit": MAX_UNPACKED_BYTES // MB},
            )
        )


def check_rows(rows: int) -> None:
    if rows > MAX_ROWS:
        raise FileRejected(too_many_rows())


def too_many_rows() -> Message:
    return Message(
        N_("The file has more than {limit} rows; split it into smaller files."),
        {"limit": MAX_ROWS},
    )
