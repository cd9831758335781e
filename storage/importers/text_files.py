"""Rosters saved as text: CSV and Excel's "Unicode text" (.txt), in whatever encoding and with
whichever separator Excel or LibreOffice chose.

Encodings: UTF-8 with or without a byte-order mark, UTF-16 (Excel's "Unicode text" and "CSV
UTF-16"), and Windows-1258, the Vietnamese code page Excel uses for a plain "CSV (Comma
delimited)" on a Vietnamese Windows. Windows-1258 writes many letters as a base letter and a
combining tone mark ("ệ" as "ê" + U+0323); the cells are normalised to NFC afterwards, as every
cell is (tabular._clean). Separators: comma, semicolon (Excel where the decimal mark is a comma,
as in Vietnam) or tab; the one under which a header is found wins.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

from locales import N_
from storage.importers.limits import MAX_ROWS, too_many_rows
from storage.importers.report import FileRejected, Message

DELIMITERS = (",", ";", "\t")  # a tie goes to the first: a comma
SAMPLE_ROWS = 40
NOT_CSV = N_("The file is not a readable CSV file.")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
UNREADABLE = N_(
    "The file is not text that can be read; save it from Excel as “CSV UTF-8 (Comma "
    "delimited)”, or import the .xlsx file."
)


def encoding_of(path: Path) -> str:
    """The encoding the file is written in; FileRejected when it is none we read."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if head and head.count(0) * 3 >= len(head):  # UTF-16 without a byte-order mark
        return "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
    for name in ("utf-8", "cp1258"):
        if _decodes(path, name):
            return name
    raise FileRejected(Message(UNREADABLE))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


@contextmanager
def text_rows(
    path: Path, score: Callable[[Sequence[Sequence[str]]], int]
) -> Iterator[Iterator[Sequence[str]]]:
    """The records of a text roster. ``score`` rates the first rows read with one separator
    (how well a header is found in them); the best-rated separator is used."""
    encoding = encoding_of(path)
    with path.open(encoding=encoding, newline="") as handle:
        try:
            sample = handle.read(1 << 16)
            handle.seek(0)
            delimiter = max(DELIMITERS, key=lambda d: score(_sample(sample, d)))
            _count(handle, delimiter)
            handle.seek(0)
        except UnicodeDecodeError as error:
            raise FileRejected(Message(UNREADABLE)) from error
        except csv.Error as error:
            raise FileRejected(Message(NOT_CSV)) from error
        yield _records(csv.reader(handle, delimiter=delimiter))


def _sample(text: str, delimiter: str) -> list[list[str]]:
    lines = text.splitlines()[:-1] or text.splitlines()  # the last line may be cut short
    try:
        return list(islice(csv.reader(lines, delimiter=delimiter), SAMPLE_ROWS))
    except csv.Error:
        return []


def _count(handle: io.TextIOBase, delimiter: str) -> None:
    """Refuse a file of more than ``MAX_ROWS`` records before any is read for import."""
    rows = sum(1 for _ in islice(csv.reader(handle, delimiter=delimiter), MAX_ROWS + 1))
    if rows > MAX_ROWS:
        raise FileRejected(too_many_rows())


def _records(reader: Iterator[list[str]]) -> Iterator[Sequence[str]]:
    try:
        yield from reader
    except (csv.Error, UnicodeDecodeError) as error:
        raise FileRejected(Message(NOT_CSV)) from error
