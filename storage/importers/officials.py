"""The officials roster (IMPORT_FORMAT.md, "officials"): upserted on Mã cán bộ.

"Chức vụ" may name several titles (kiêm nhiệm), separated by ",", ";" or "kiêm": the official
holds them all, the first as the main title (storage.models.HeldTitle).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import date
from typing import Any, ClassVar

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from locales import N_
from rules.dates import add_months
from rules.text import fold
from storage.catalogue.codes import code_forms
from storage.importers import headers
from storage.importers import vocabulary as v
from storage.importers.importer import Field, Importer, Record, RowReader, Stored
from storage.importers.report import Message
from storage.importers.tabular import Column
from storage.models import HeldTitle, Official, Title, Unit, planned_titles
from storage.official_codes import code_key
from storage.titles import get_or_create_title

CODE = Column("code", "Mã cán bộ", required=True)
UNIT = Column("unit_code", "Mã đơn vị", required=True)
TITLE = Column("title", "Chức vụ", required=True)
PLANNED = Column("planned_titles", "Chức danh quy hoạch")
BIRTH = Column("birth_date", "Ngày sinh", required=True)
APPOINTED = Column("appointed_on", "Ngày bổ nhiệm")
JOINED = Column("party_joined_on", "Ngày vào Đảng")

FIELDS = (
    Field(CODE, "code", v.text(64)),
    Field(Column("full_name", "Họ và tên", required=True), "full_name", v.text(200)),
    Field(BIRTH, "birth_date", v.day),
    Field(Column("gender", "Giới tính", required=True), "gender", v.gender),
    Field(Column("ethnicity", "Dân tộc"), "ethnicity", v.text(60)),
    Field(UNIT, "unit_code", v.text(32)),
    Field(TITLE, "titles", v.titles),
    Field(APPOINTED, "appointed_on", v.day),
    Field(PLANNED, "planned", v.titles),
    Field(Column("general_education", "Học vấn"), "general_education", v.general_education),
    Field(Column("professional_level", "Chuyên môn"), "professional_level", v.professional_level),
    Field(Column("major", "Chuyên ngành"), "major", v.text(200)),
    Field(Column("political_theory", "Lý luận chính trị"), "political_theory", v.political_theory),
    Field(Column("state_management", "Quản lý nhà nước"), "state_management", v.state_management),
    Field(Column("party_member", "Đảng viên"), "party_member", v.party_member),
    Field(JOINED, "party_joined_on", v.day),
    Field(Column("phone", "Điện thoại"), "phone", v.phone),
)
UNKNOWN_UNIT = N_("No unit has the code “{value}”.")
# Plausibility (IMPORT_FORMAT.md): an official's age on the import date, and the age by which
# one may hold a post or join the Party (Điều lệ Đảng, Điều 1: from 18 years old).
AGES = (16, 70)
ADULT = 18


class UnitCodes:
    """Every unit's code, loaded once; a code without its leading zeros finds the unit, the
    commune first (storage.catalogue.codes)."""

    def __init__(self, rows: list[tuple[str, int, str]]) -> None:
        self.ids = {code: unit_id for code, unit_id, _path in rows}
        self.paths = {unit_id: path for _code, unit_id, path in rows}

    @classmethod
    async def load(cls, session: AsyncSession) -> UnitCodes:
        rows = await session.execute(select(Unit.code, Unit.id, Unit.path))
        return cls([(code, unit_id, path) for code, unit_id, path in rows])

    def find(self, code: str) -> int | None:
        return next((self.ids[form] for form in code_forms(code) if form in self.ids), None)


class TitleIds:
    """Title rows by kind and folded field, so "tư pháp - hộ tịch" finds "Tư pháp - Hộ tịch".

    A title first seen in a dry run (or in a file already rejected) is not created: it gets a
    provisional negative id that matches nothing stored, so the official counts as changed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.ids: dict[tuple[Any, str], int] = {}

    async def load(self) -> None:
        rows = await self.session.execute(select(Title.kind, Title.field, Title.id))
        self.ids = {(kind, fold(field)): title_id for kind, field, title_id in rows}

    async def id(self, ref: v.TitleRef, *, create: bool) -> int:
        kind, field = ref
        key = (kind, fold(field))
        if key not in self.ids:
            if not create:
                self.ids[key] = -1 - len(self.ids)
            else:
                self.ids[key] = (await get_or_create_title(self.session, kind, field)).id
        return self.ids[key]


class OfficialsImporter(Importer):
    kind = "officials"
    model = Official
    fields = FIELDS
    # the titles held (in order, main first) and planned: rows of link tables
    extra: ClassVar[frozenset[str]] = frozenset({"titles", "planned"})
    official_codes = frozenset({"code"})
    synonyms = headers.OFFICIALS

    async def prepare(self) -> None:
        self.units = await UnitCodes.load(self.session)
        self.title_ids = TitleIds(self.session)
        await self.title_ids.load()

    async def resolve(self, records: list[Record]) -> list[Record]:
        resolved: list[Record] = []
        create = not (self.dry_run or self.report.rejected)
        for record in records:
            values = record.values
            code = values.pop("unit_code")
            values["unit_id"] = self.units.find(code)
            values["titles"] = tuple(
                [await self.title_ids.id(ref, create=create) for ref in values["titles"]]
            )
            if "planned" in values:
                values["planned"] = frozenset(
                    [await self.title_ids.id(ref, create=create) for ref in values["planned"]]
                )
            if values["unit_id"] is None:
                self.error(record, "unit_code", UNKNOWN_UNIT, value=code)
            else:
                resolved.append(record)
        return resolved

    async def outside_scope(self, records: list[Record]) -> set[int]:
        """Rows naming a unit outside the scope, or the code of an official stored in one."""
        assert self.scope is not None
        outside: set[int] = set()
        for record in records:
            code = record.values.get("unit_code")
            unit_id = None if code is None else self.units.find(code)
            if unit_id is not None and not self.scope.covers(self.units.paths[unit_id]):
                self.error(
                    record, "unit_code", N_("The unit {value} is not in your scope."), value=code
                )
                outside.add(record.row)
        codes = {code_key(c): r for r in records if (c := r.values.get("code")) is not None}
        rows = await self.session.execute(
            select(Official.code_key, Unit.path)
            .join(Unit, Official.unit_id == Unit.id)
            .where(Official.code_key.in_(codes))
        )
        for key, path in rows:
            if not self.scope.covers(path):
                record = codes[key]
                self.error(
                    record,
                    "code",
                    N_("{value} is the code of an official of a unit outside your scope."),
                    value=record.values["code"],
                )
                outside.add(record.row)
        return outside

    async def check_references(self, records: list[Record]) -> None:
        for record in records:
            code = record.values.get("unit_code")
            if code is not None and self.units.find(code) is None:
                self.error(record, "unit_code", UNKNOWN_UNIT, value=code)

    def check(self, row: RowReader, values: dict[str, Any]) -> None:
        if values.get("titles") == ():  # a cell of separators only (None: already refused)
            row.fail(TITLE, Message(N_("Name at least one title.")))
        born = values.get("birth_date")
        if born is None:
            return
        youngest, oldest = AGES
        if not add_months(born, 12 * youngest) <= self.today < add_months(born, 12 * (oldest + 1)):
            row.fail(
                BIRTH,
                Message(
                    N_(
                        "An official is {youngest} to {oldest} years old; born on {born}, "
                        "this one would be {age} on {today}."
                    ),
                    {
                        "youngest": youngest,
                        "oldest": oldest,
                        "born": born,
                        "age": _age(born, self.today),
                        "today": self.today,
                    },
                ),
            )
        adult = add_months(born, 12 * ADULT)
        for column, attribute, reason in (
            (APPOINTED, "appointed_on", N_("Appointed on {day}, before turning {adult} on {on}.")),
            (
                JOINED,
                "party_joined_on",
                N_("Joined the Party on {day}, before turning {adult} on {on}."),
            ),
        ):
            day = values.get(attribute)
            if day is not None and day < adult:
                row.fail(column, Message(reason, {"day": day, "adult": ADULT, "on": adult}))

    async def stored(self, records: Sequence[Record]) -> dict[Hashable, Stored]:
        found = await super().stored(records)
        by_id = {current.id: current for current in found.values()}
        for current in by_id.values():
            current.values["titles"] = ()
        for official_id, title_id in await self.session.execute(
            select(HeldTitle.official_id, HeldTitle.title_id)
            .where(HeldTitle.official_id.in_(list(by_id)))
            .order_by(HeldTitle.official_id, HeldTitle.position)
        ):
            by_id[official_id].values["titles"] += (title_id,)
        if "planned" in records[0].values:
            for current in by_id.values():
                current.values["planned"] = frozenset()
            rows = await self.session.execute(
                select(planned_titles.c.official_id, planned_titles.c.title_id).where(
                    planned_titles.c.official_id.in_(list(by_id))
                )
            )
            for official_id, title_id in rows:
                by_id[official_id].values["planned"] |= {title_id}
        return found

    async def write(
        self, created: list[Record], updated: list[tuple[Record, dict[str, Any]]]
    ) -> None:
        await super().write(created, updated)
        await self._links(HeldTitle.__table__, "titles", created, updated, ordered=True)
        await self._links(planned_titles, "planned", created, updated, ordered=False)

    async def _links(
        self,
        table: Any,
        attribute: str,
        created: list[Record],
        updated: list[tuple[Record, dict[str, Any]]],
        *,
        ordered: bool,
    ) -> None:
        """Replace the link rows (titles held, titles planned) of the officials whose
        ``attribute`` is new or changed."""
        replaced = [record for record, changes in updated if attribute in changes]
        if replaced:
            await self.session.execute(
                delete(table).where(
                    table.c.official_id.in_([record.stored_id for record in replaced])
                )
            )
        links = [
            {"official_id": record.stored_id, "title_id": title_id}
            | ({"position": position} if ordered else {})
            for record in [*created, *replaced]
            for position, title_id in enumerate(record.values.get(attribute, ()))
        ]
        if links:
            await self.session.execute(insert(table), links)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
