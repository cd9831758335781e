"""Where the table is in a sheet as a board keeps it: the header below a title block, in one row
or two, an optional row of column numbers under it, and the foot (totals, signatures) below the
last official.

The header is the row, or pair of rows, among the first ``HEADER_SEARCH`` that names the most
of our columns. In a pair, the top row holds group cells merged over their parts ("Trình độ"
over "Học vấn", "Chuyên môn", "LLCT") and the most specific name counts: the part's own name,
then the group and the part read together ("Trình độ" + "CM"); a cell merged down over both rows
keeps its top name. A spreadsheet stores a merged cell's text in its first cell only, which is
why a group's name is carried right over the empty cells beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from locales import N_
from rules.text import fold
from storage.importers.headers import Column, Synonyms, header_keys
from storage.importers.report import Message
from storage.importers.vocabulary import Cell, as_text

HEADER_SEARCH = 30  # rows a title block and the header may take
MIN_MATCHED = 2  # fewer known names in a row and it is not a header

_NUMBERING = re.compile(r"\(?\d{1,3}\)?(\s*\(?=.*)?|[A-Z]")
# The first words of rows under the table: totals, the signatures and their notes, the place
# and date line ("Hà Nội, ngày … tháng … năm …"), as the boards' statistics tables end.
_FOOT = re.compile(
    r"(tong cong|tong so|nguoi lap|nguoi ky|ky ten|ky ghi ro|ky dong dau|thu truong|"
    r"truong ban|pho truong ban|xac nhan|t m|tm|k t|kt|noi nhan|ghi chu)\b"
)
_DATE_LINE = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")


class Vocabulary:
    """Every name a column may go by: its key, its header and the boards' synonyms."""

    def __init__(self, columns: Sequence[Column], synonyms: Synonyms) -> None:
        self.columns = columns
        self._by_key: dict[str, Column] = {}
        for column in columns:
            for name in (column.key, column.header, *synonyms.get(column.key, ())):
                for key in header_keys(name):
                    self._by_key.setdefault(key, column)

    def column(self, written: str) -> Column | None:
        for key in header_keys(written):
            if key in self._by_key:
                return self._by_key[key]
        return None


@dataclass
class Header:
    """The header found: its rows (as the spreadsheet numbers them) and what each cell means."""

    rows: tuple[int, ...]
    index: dict[int, str] = field(default_factory=dict)  # position → column key
    written: dict[str, str] = field(default_factory=dict)  # column key → the header as written
    ignored: list[str] = field(default_factory=list)
    conflicts: list[Message] = field(default_factory=list)

    def take(self, position: int, name: str, column: Column | None) -> None:
        if column is None:
            self.ignored.append(name)
        elif column.key in self.written:
            self.conflicts.append(
                Message(
                    N_("The columns “{first}” and “{second}” both mean “{header}”; keep one."),
                    {"first": self.written[column.key], "second": name, "header": column.header},
                )
            )
        else:
            self.written[column.key] = name
            self.index[position] = column.key


def text_of(cell: Cell) -> str | None:
    if cell is None:
        return None
    written = as_text(cell).strip()
    return written or None


def find_header(rows: Sequence[Sequence[Cell]], vocabulary: Vocabulary) -> Header | None:
    """The header among ``rows`` (the first rows of the sheet), or None when no row names at
    least ``MIN_MATCHED`` of our columns. Of two readings naming as many columns, the one
    header row wins over a pair."""
    best: Header | None = None
    for start in range(len(rows)):
        for depth in (1, 2) if start + 1 < len(rows) else (1,):
            header = _read(rows, start, depth, vocabulary)
            if best is None or _rank(header) > _rank(best):
                best = header
    return best if best is not None and len(best.written) >= MIN_MATCHED else None


def _rank(header: Header) -> tuple[int, int]:
    return len(header.written), -len(header.rows)


def _read(rows: Sequence[Sequence[Cell]], start: int, depth: int, vocabulary: Vocabulary) -> Header:
    top = rows[start]
    parts: Sequence[Cell] = rows[start + 1] if depth == 2 else ()
    header = Header(tuple(range(start + 1, start + 1 + depth)))
    group: str | None = None
    for position in range(max(len(top), len(parts))):
        name = text_of(top[position]) if position < len(top) else None
        part = text_of(parts[position]) if position < len(parts) else None
        if name is not None:
            group = name
        elif part is None:
            group = None
        if part is None:
            if name is not None:
                header.take(position, name, vocabulary.column(name))
            continue
        column = vocabulary.column(part)
        if column is None and group is not None:
            column = vocabulary.column(f"{group} {part}")
        header.take(position, part if group is None else f"{group} / {part}", column)
    return header


def is_numbering(row: Sequence[Cell]) -> bool:
    """A row of column numbers under the header: "1", "2", "(3)", "4(=2*100/3)", "A"."""
    texts = [text for text in map(text_of, row) if text is not None]
    return len(texts) >= MIN_MATCHED and all(_NUMBERING.fullmatch(text) for text in texts)


def foot_text(row: Sequence[Cell]) -> str | None:
    """The first text of a row that begins the foot of the table, or None for any other row:
    "Tổng cộng: 8 người", "Cộng", "NGƯỜI LẬP BIỂU", "(Ký, ghi rõ họ tên)", "…, ngày … tháng …"."""
    first = next((text for text in map(text_of, row) if text is not None), None)
    if first is None:
        return None
    folded = fold(first)
    written = first.lower()
    if _FOOT.match(folded) or _DATE_LINE.search(folded) or re.match(r"cộng\b", written):
        return first
    return None
