"""Service bonds (IMPORT_FORMAT.md, "bonds"): upserted on (official, start date).

Each bond records the day the official was sent for training ("Ngày cử đi học", by default the
start of the course it follows): the bond rule in force that day applies (rules.bonds). When
the file gives no number of months, ``rules.bonds.required_months`` decides from the course:
a multiple of its training time for trung cấp to đại học level training, and for a source
course at least the minimum of the official's programme (Hải Phòng's 5 years, seed 003).
Other courses carry no bond by law: the file must say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from locales import N_
from rules.bonds import required_months
from rules.dates import add_months, months_between
from rules.scales import ProfessionalLevel
from storage.importers import headers
from storage.importers import vocabulary as v
from storage.importers.enrollments import refer_training
from storage.importers.importer import Field, Importer, Record
from storage.importers.tabular import Column
from storage.models import Bond, Course, CourseKind, Programme, ProgrammeMember

FIELDS = (
    Field(Column("official_code", "Mã cán bộ", required=True), "official_code", v.text(64)),
    Field(Column("course_code", "Mã lớp"), "course_code", v.text(64)),
    Field(Column("starts_on", "Ngày bắt đầu", required=True), "starts_on", v.day),
    Field(Column("sent_on", "Ngày cử đi học"), "sent_on", v.day),
    Field(Column("months", "Số tháng cam kết"), "months", v.count),
    Field(Column("cost", "Kinh phí đào tạo"), "cost", v.money),
)

# The level of training each kind of course counts as for the bond. A source class trains for
# LLCT trung cấp (seed 000); cao cấp LLCT is a degree-level programme.
TRAINING_LEVELS = {
    CourseKind.LLCT_INTERMEDIATE: ProfessionalLevel.INTERMEDIATE,
    CourseKind.SOURCE: ProfessionalLevel.INTERMEDIATE,
    CourseKind.LLCT_ADVANCED: ProfessionalLevel.UNIVERSITY,
    CourseKind.UNIVERSITY: ProfessionalLevel.UNIVERSITY,
}


@dataclass(frozen=True)
class Training:
    starts_on: date
    ends_on: date
    kind: CourseKind


def training_months(starts_on: date, ends_on: date) -> int:
    """The months a course lasts, first and last day included, a started month counting whole:
    01/09/2023-28/02/2024 is 6 months, 15/09-14/10 is 1."""
    after = ends_on + timedelta(days=1)
    months = months_between(starts_on, after)
    return max(1, months if add_months(starts_on, months) == after else months + 1)


def default_months(training: Training, programme_minimum: int | None, sent_on: date) -> int | None:
    """The bond the rules in force on ``sent_on`` require after ``training``; None when they
    require none."""
    level = TRAINING_LEVELS.get(training.kind, ProfessionalLevel.NONE)
    try:
        return required_months(
            training_months(training.starts_on, training.ends_on),
            level,
            programme_minimum,
            sent_on=sent_on,
        )
    except ValueError:
        return None


class BondsImporter(Importer):
    kind = "bonds"
    model = Bond
    fields = FIELDS
    file_key = ("official_code", "starts_on")
    stored_key = ("official_id", "starts_on")
    duplicate = N_("Row {row} already has a bond of this official starting on the same date.")
    official_codes = frozenset({"official_code"})
    synonyms = headers.BONDS

    async def resolve(self, records: list[Record]) -> list[Record]:
        resolved = await refer_training(self, records)
        trainings = await self._trainings(resolved)
        for record in resolved:
            training = trainings.get(record.values.get("course_id"))
            if record.values.get("sent_on") is None:  # every record says, for the comparison
                record.values["sent_on"] = training.starts_on if training else None
        undecided = [record for record in resolved if record.values.get("months") is None]
        if undecided:
            minimums = await self._programme_minimums(undecided)
            for record in undecided:
                training = trainings.get(record.values.get("course_id"))
                if training is None:
                    self.error(
                        record,
                        "months",
                        N_("Give the number of months, or the course the bond follows."),
                    )
                    continue
                minimum = minimums.get(record.values["official_id"])
                months = default_months(
                    training,
                    minimum if training.kind is CourseKind.SOURCE else None,
                    record.values["sent_on"],
                )
                if months is None:
                    self.error(
                        record,
                        "months",
                        N_(
                            "No bond length follows from this kind of course; give the number "
                            "of months."
                        ),
                    )
                record.values["months"] = months
        return [record for record in resolved if record.values.get("months") is not None]

    async def check_references(self, records: list[Record]) -> None:
        await refer_training(self, records)

    async def _trainings(self, records: list[Record]) -> dict[Any, Training]:
        ids = {record.values.get("course_id") for record in records} - {None}
        rows = await self.session.execute(
            select(Course.id, Course.starts_on, Course.ends_on, Course.kind).where(
                Course.id.in_(ids)
            )
        )
        return {row.id: Training(row.starts_on, row.ends_on, row.kind) for row in rows}

    async def _programme_minimums(self, records: list[Record]) -> dict[int, int]:
        """The longest minimum bond among the programmes each official belongs to."""
        rows = await self.session.execute(
            select(ProgrammeMember.official_id, func.max(Programme.min_bond_months))
            .join(Programme, Programme.id == ProgrammeMember.programme_id)
            .where(ProgrammeMember.official_id.in_({r.values["official_id"] for r in records}))
            .group_by(ProgrammeMember.official_id)
        )
        return {official_id: minimum for official_id, minimum in rows if minimum is not None}
