"""storage/exports.py, the one home of spreadsheet and CSV cells: what could start a formula
is written so it never runs, and keeps its characters."""

from __future__ import annotations

import io

import openpyxl
import pytest
from openpyxl import Workbook

from storage.exports import append_row, csv_cell, write_csv


@pytest.mark.parametrize("text", ["=1+1", "+84912345678", "-2", "@SUM(A1)", "\t=1", "\r=1"])
def test_a_csv_field_that_could_start_a_formula_gets_an_apostrophe(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(("value", "field"), [("Xã An Bình", "Xã An Bình"), (5, "5"), (None, "")])
def test_other_csv_fields_are_left_as_they_are(value, field):
    assert csv_cell(value) == field


def test_a_csv_file_is_written_row_by_row():
    stream = io.StringIO(newline="")
    assert write_csv(stream, [["Họ và tên", "Số"], ["=cmd", 3]]) == 2
    assert stream.getvalue() == "Họ và tên,Số\r\n'=cmd,3\r\n"


def test_an_xlsx_row_holds_text_cells_numbers_and_no_control_characters():
    book = Workbook()
    sheet = book.active
    append_row(sheet, ["=A1", "#N/A", "An\x07", 0.5, None])
    buffer = io.BytesIO()
    book.save(buffer)

    row = next(openpyxl.load_workbook(buffer).active.iter_rows())
    assert [(cell.value, cell.data_type) for cell in row[:4]] == [
        ("=A1", "s"),
        ("#N/A", "s"),
        ("An", "s"),
        (0.5, "n"),
    ]
    assert [cell.quotePrefix for cell in row[:2]] == [True, False]
