"""The course list (IMPORT_FORMAT.md, "courses"): upserted on Mã lớp."""

from __future__ import annotations

from typing import Any

from locales import N_
from storage.importers import headers
from storage.importers import vocabulary as v
from storage.importers.importer import Field, Importer, RowReader
from storage.importers.report import Message
from storage.importers.tabular import Column
from storage.models import Course

ENDS_ON = Column("ends_on", "Ngày bế giảng", required=True)

FIELDS = (
    Field(Column("code", "Mã lớp", required=True), "code", v.text(64)),
    Field(Column("name", "Tên lớp", required=True), "name", v.text(300)),
    Field(Column("kind", "Loại", required=True), "kind", v.course_kind),
    Field(Column("provider", "Cơ sở đào tạo"), "provider", v.text(200)),
    Field(Column("starts_on", "Ngày khai giảng", required=True), "starts_on", v.day),
    Field(ENDS_ON, "ends_on", v.day),
    Field(Column("enroll_by", "Hạn đăng ký"), "enroll_by", v.day),
    Field(Column("capacity", "Số học viên tối đa"), "capacity", v.count),
    Field(Column("hours", "Số giờ"), "hours", v.hours),
    Field(Column("cost_per_trainee", "Kinh phí/học viên"), "cost_per_trainee", v.money),
)


class CoursesImporter(Importer):
    kind = "courses"
    model = Course
    fields = FIELDS
    synonyms = headers.COURSES

    def check(self, row: RowReader, values: dict[str, Any]) -> None:
        starts, ends = values["starts_on"], values["ends_on"]
        if starts is not None and ends is not None and ends < starts:
            row.fail(ENDS_ON, Message(N_("The course ends before it starts.")))
