"""Who is in which course (IMPORT_FORMAT.md, "enrollments"): upserted on (official, course)."""

from __future__ import annotations

from typing import Any

from locales import N_
from storage.importers import headers
from storage.importers import vocabulary as v
from storage.importers.importer import Field, Importer, Record, RowReader, ids_by_code
from storage.importers.report import Message
from storage.importers.tabular import Column
from storage.models import Course, Enrollment, EnrollmentStatus, Official

COMPLETED_ON = Column("completed_on", "Ngày hoàn thành")

FIELDS = (
    Field(Column("official_code", "Mã cán bộ", required=True), "official_code", v.text(64)),
    Field(Column("course_code", "Mã lớp", required=True), "course_code", v.text(64)),
    Field(Column("status", "Trạng thái", required=True), "status", v.enrollment_status),
    Field(COMPLETED_ON, "completed_on", v.day),
)

UNKNOWN_OFFICIAL = N_("No official has the code “{value}”; import the officials first.")
UNKNOWN_COURSE = N_("No course has the code “{value}”; import the courses first.")


class EnrollmentsImporter(Importer):
    kind = "enrollments"
    model = Enrollment
    fields = FIELDS
    file_key = ("official_code", "course_code")
    stored_key = ("official_id", "course_id")
    duplicate = N_("Row {row} already enrolls this official in this course.")
    official_codes = frozenset({"official_code"})
    synonyms = headers.ENROLLMENTS

    def check(self, row: RowReader, values: dict[str, Any]) -> None:
        if values["status"] is None:
            return
        completed = values["status"] is EnrollmentStatus.COMPLETED
        if completed and values.get("completed_on") is None:
            row.fail(COMPLETED_ON, Message(N_("Required when the status is Hoàn thành.")))
        if not completed and values.get("completed_on") is not None:
            row.fail(
                COMPLETED_ON,
                Message(N_("Only a completed enrollment (Hoàn thành) has a completion date.")),
            )

    async def resolve(self, records: list[Record]) -> list[Record]:
        return await refer_training(self, records)

    async def check_references(self, records: list[Record]) -> None:
        await refer_training(self, records)


async def refer_training(importer: Importer, records: list[Record]) -> list[Record]:
    """Replace the official's and the course's codes by their ids, reporting unknown ones (a
    record without a course column keeps none); the records that resolved."""
    officials = await ids_by_code(importer.session, Official, records, "official_code")
    courses = await ids_by_code(importer.session, Course, records, "course_code")
    return [
        record
        for record in records
        if all(
            [
                importer.refer(record, "official_code", "official_id", officials, UNKNOWN_OFFICIAL),
                "course_code" not in record.values
                or importer.refer(record, "course_code", "course_id", courses, UNKNOWN_COURSE),
            ]
        )
    ]
