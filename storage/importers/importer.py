"""The shared import loop: parse every row, check it, and upsert in chunks on its key.

A file is imported whole or not at all. Rows are read and checked in chunks of ``CHUNK``; while no
problem has been found, each chunk is compared with what is stored and written in the caller's
transaction. After the first problem nothing more is written, but checking goes on to the end so
the report names every problem in one pass: a row with a bad cell is still checked for a
duplicate key, its references (an unknown unit or official) and its plausibility. The caller
then rolls the transaction back.

Only columns present in the file are compared and written, and a row is only updated when one of
its values changed, so importing the same file twice touches nothing (not even ``updated_at``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from locales import N_
from storage.importers.headers import Synonyms
from storage.importers.report import ImportReport, Message, RowError
from storage.importers.tabular import Column, Sheet
from storage.importers.vocabulary import Cell, Invalid
from storage.models import Official
from storage.official_codes import code_key
from storage.types import utcnow

if TYPE_CHECKING:
    from storage.importers import Job

CHUNK = 500


@dataclass(frozen=True)
class Field:
    """A column read straight into a model attribute (or into a reference resolved later)."""

    column: Column
    attribute: str
    parse: Callable[[Cell], Any]


@dataclass
class Record:
    """One good row: its number and its values by attribute, for the columns the file has."""

    row: int
    values: dict[str, Any]
    stored_id: int | None = None


@dataclass
class Stored:
    """A row already in the database: its id and current values by attribute."""

    id: int
    values: dict[str, Any]


class RowReader:
    """Reads the cells of one row, collecting every problem instead of stopping at the first."""

    def __init__(self, number: int, cells: dict[str, Cell], sheet: Sheet, report: ImportReport):
        self.number = number
        self.cells = cells
        self.sheet = sheet
        self.report = report
        self.ok = True

    def value(self, column: Column, parse: Callable[[Cell], Any]) -> Any:
        cell = self.cells.get(column.key)
        if cell is None and column.required:
            self.fail(column, Message(N_("The cell is empty, but this column is required.")))
            return None
        try:
            return parse(cell)
        except Invalid as error:
            self.fail(column, error.message)
            return None

    def fail(self, column: Column, reason: Message) -> None:
        self.report.row_errors.append(RowError(self.number, self.sheet.header(column), reason))
        self.ok = False


class Importer:
    """One kind of roster. Subclasses declare their fields and keys and resolve references;
    the keys default to a ``code`` column, which identifies catalogue rows (officials, courses)
    both within the file and once stored."""

    kind: ClassVar[str]
    model: ClassVar[Any]
    fields: ClassVar[tuple[Field, ...]]
    columns: ClassVar[tuple[Column, ...]]  # the columns of ``fields``, set for each subclass
    file_key: ClassVar[tuple[str, ...]] = ("code",)  # identifies a row within the file
    stored_key: ClassVar[tuple[str, ...]] = ("code",)  # model attributes of a stored row
    # the message for a second row with the same file key
    duplicate: ClassVar[str] = N_("The same code is already in row {row}.")
    extra: ClassVar[frozenset[str]] = frozenset()  # compared, but written by the subclass
    # attributes holding official codes: compared without case, in the file and once stored
    official_codes: ClassVar[frozenset[str]] = frozenset()
    synonyms: ClassVar[Synonyms] = {}  # the boards' other names for the columns (headers.py)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        cls.columns = tuple(spec.column for spec in cls.fields)

    def __init__(self, session: AsyncSession, sheet: Sheet, report: ImportReport, job: Job):
        self.session = session
        self.sheet = sheet
        self.report = report
        self.dry_run = job.dry_run
        self.today = job.today  # the import date, for plausibility checks
        self.scope = job.scope  # the units the file may touch; None for every unit
        self.now: datetime = utcnow()

    async def prepare(self) -> None:
        """Load, in bulk, whatever every chunk needs (catalogues of units or titles)."""

    def check(self, row: RowReader, values: dict[str, Any]) -> None:
        """Problems that involve several cells of one row. A cell that could not be read is
        None in ``values``: a check needs every value it compares."""

    async def resolve(self, records: list[Record]) -> list[Record]:
        """Turn codes into ids, reporting unknown ones; returns the records that resolved."""
        return records

    async def check_references(self, records: list[Record]) -> None:
        """Report the unknown codes of rows that are bad already (so nothing is written);
        ``values`` holds None for a cell that could not be read."""

    async def outside_scope(self, records: list[Record]) -> set[int]:
        """The rows (by number) that would touch units outside ``self.scope``, reported."""
        return set()

    async def run(self) -> None:
        await self.prepare()
        first_rows: dict[Hashable, int] = {}
        chunk: list[Record] = []
        failed: list[Record] = []
        for number, cells in self.sheet.rows:
            row = RowReader(number, cells, self.sheet, self.report)
            values = {
                spec.attribute: row.value(spec.column, spec.parse)
                for spec in self.fields
                if self.sheet.has(spec.column)
            }
            self.check(row, values)
            key = self.key_in_file(values)
            if key is not None:
                first = first_rows.setdefault(key, number)
                if first != number:
                    duplicate = Message(self.duplicate, {"row": first})
                    row.fail(self._column(self.file_key[0]), duplicate)
            (chunk if row.ok else failed).append(Record(number, values))
            if len(chunk) + len(failed) >= CHUNK:
                await self._chunk(chunk, failed)
                chunk, failed = [], []
        await self._chunk(chunk, failed)
        self.report.trim()

    def key_in_file(self, values: dict[str, Any]) -> Hashable | None:
        """What identifies the row within the file; None when a part could not be read."""
        parts = tuple(values.get(attribute) for attribute in self.file_key)
        if any(part is None for part in parts):
            return None
        return tuple(
            code_key(str(part)) if attribute in self.official_codes else part
            for attribute, part in zip(self.file_key, parts, strict=True)
        )

    def _column(self, attribute: str) -> Column:
        return next(spec.column for spec in self.fields if spec.attribute == attribute)

    def error(self, record: Record, attribute: str, text: str, **params: object) -> None:
        column = self._column(attribute)
        self.report.row_errors.append(
            RowError(record.row, self.sheet.header(column), Message(text, params))
        )

    def refer(
        self, record: Record, attribute: str, target: str, ids: CodeIds, unknown: str
    ) -> bool:
        """Replace the code in ``attribute`` by its id in ``target``; report an unknown code."""
        code = record.values.pop(attribute)
        record.values[target] = None if code is None else ids.get(code)
        if code is not None and record.values[target] is None:
            self.error(record, attribute, unknown, value=code)
            return False
        return True

    async def _chunk(self, records: list[Record], failed: list[Record]) -> None:
        if self.scope is not None and not self.scope.everything:
            outside = await self.outside_scope([*records, *failed])
            records = [record for record in records if record.row not in outside]
        if failed:
            await self.check_references(failed)
        records = await self.resolve(records) if records else records
        self.report.trim()  # every later problem lies on a later row
        if self.report.rejected or not records:
            return
        stored = await self.stored(records)
        created: list[Record] = []
        updated: list[tuple[Record, dict[str, Any]]] = []
        for record in records:
            current = stored.get(self.key_of(record.values))
            if current is None:
                created.append(record)
                continue
            record.stored_id = current.id
            changes = {
                attribute: value
                for attribute, value in record.values.items()
                if current.values[attribute] != value and attribute not in self.official_codes
            }
            if changes:
                updated.append((record, changes))
        self.report.created += len(created)
        self.report.updated += len(updated)
        self.report.unchanged += len(records) - len(created) - len(updated)
        if not self.dry_run:
            await self.write(created, updated)

    def key_of(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            code_key(values[attribute]) if attribute in self.official_codes else values[attribute]
            for attribute in self.stored_key
        )

    async def stored(self, records: Sequence[Record]) -> dict[Hashable, Stored]:
        """The stored rows these records would update, found by the first key attribute."""
        attributes = sorted(set(records[0].values) - self.extra)
        head = self.stored_key[0]
        wanted = {self.key_of(record.values) for record in records}
        found: dict[Hashable, Stored] = {}
        first = getattr(self.model, head)
        if head in self.official_codes:
            first = self.model.code_key
        rows = await self.session.execute(
            select(self.model.id, *(getattr(self.model, name) for name in attributes)).where(
                first.in_({self.key_of(record.values)[0] for record in records})
            )
        )
        for row in rows:
            values = dict(zip(attributes, row[1:], strict=True))
            key = self.key_of(values)
            if key in wanted:
                found[key] = Stored(row[0], values)
        return found

    async def write(
        self, created: list[Record], updated: list[tuple[Record, dict[str, Any]]]
    ) -> None:
        if created:
            # Matched back by key: asking for rows in parameter order makes SQLite insert
            # one row per statement.
            keys = [getattr(self.model, attribute) for attribute in self.stored_key]
            rows = await self.session.execute(
                insert(self.model).returning(self.model.id, *keys),
                [
                    {**self._columns(record.values), "created_at": self.now, "updated_at": self.now}
                    for record in created
                ],
            )
            ids = {
                self.key_of(dict(zip(self.stored_key, row[1:], strict=True))): row[0]
                for row in rows
            }
            for record in created:
                record.stored_id = ids[self.key_of(record.values)]
        if updated:
            await self.session.execute(
                update(self.model),
                [
                    {**self._columns(changes), "id": record.stored_id, "updated_at": self.now}
                    for record, changes in updated
                ],
            )

    def _columns(self, values: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in values.items() if name not in self.extra}


@dataclass(frozen=True)
class CodeIds:
    """Stored ids by code; an official's code is looked up without case."""

    ids: Mapping[str, int]
    key: Callable[[str], str]

    def get(self, code: str) -> int | None:
        return self.ids.get(self.key(code))


def _same(code: str) -> str:
    return code


async def ids_by_code(
    session: AsyncSession, model: Any, records: Iterable[Record], attribute: str
) -> CodeIds:
    """The ids of the rows whose code the records name in ``attribute``, in one query."""
    key = code_key if model is Official else _same
    column = Official.code_key if model is Official else model.code
    wanted = {key(code) for record in records if (code := record.values.get(attribute))}
    rows = await session.execute(select(column, model.id).where(column.in_(wanted)))
    return CodeIds({code: row_id for code, row_id in rows}, key)
