"""Files beyond what a roster may hold are refused before a row is read: an XLSX whose parts
would unpack to more than a gigabyte (a zip bomb) and any file of more than 300,000 rows, each
within seconds and without the memory their contents would take."""

from __future__ import annotations

import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from storage.importers import limits, tabular
from tests.importers.files import OFFICIALS_HEADER, official_row, run_import, write_xlsx

SECONDS = 20  # generous on a shared two-core machine: reading the rows would take minutes
MEMORY = 50 * 2**20


def _replace_sheet(path: Path, writer) -> Path:
    """``path``'s workbook with its first sheet's XML written by ``writer(stream)``."""
    source = zipfile.ZipFile(path)
    target = path.with_name("big-" + path.name)
    with source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with out.open(item.filename, "w", force_zip64=True) as stream:
                    writer(stream)
            else:
                out.writestr(item, source.read(item))
    return target


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 1 MB XLSX whose sheet unpacks to 1.1 GB of blanks."""
    folder = tmp_path_factory.mktemp("bomb")
    small = write_xlsx(folder / "roster.xlsx", [OFFICIALS_HEADER, official_row()])
    blanks = b" " * 2**20

    def write(stream):
        stream.write(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        )
        for _ in range(1100):
            stream.write(blanks)
        stream.write(b"<sheetData/></worksheet>")

    return _replace_sheet(small, write)


def _rows_xml(rows: int):
    def write(stream):
        stream.write(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>"
        )
        row = '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>CB{0}</t></is></c></row>'
        for start in range(1, rows + 1, 10_000):
            end = min(rows, start + 9_999)
            stream.write("".join(row.format(n) for n in range(start, end + 1)).encode())
        stream.write(b"</sheetData></worksheet>")

    return write


async def _refused(sessions, path: Path, monkeypatch) -> tuple[list[str], float, int]:
    def no_rows(*_args):
        raise AssertionError("a row was read")

    monkeypatch.setattr(tabular, "_map", no_rows)
    tracemalloc.start()
    started = time.perf_counter()
    report = await run_import(sessions, "officials", path)
    took = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return [message.text for message in report.file_errors], took, peak


async def test_a_zip_bomb_is_refused_at_once(sessions, bomb, monkeypatch):
    assert bomb.stat().st_size < 5 * 2**20
    messages, took, peak = await _refused(sessions, bomb, monkeypatch)
    assert [text.split(";")[0] for text in messages] == [
        "The file would unpack to {size} MB, more than the {limit} MB a roster may take"
    ]
    assert took < SECONDS and peak < MEMORY


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
async def test_more_than_300000_rows_are_refused_before_reading_them(
    sessions, tmp_path, monkeypatch, suffix
):
    rows = limits.MAX_ROWS + 1
    if suffix == "csv":
        path = tmp_path / "r.csv"
        with path.open("w", encoding="utf-8") as handle:
            handle.write(",".join(OFFICIALS_HEADER) + "\n")
            handle.writelines(f"CB{n},Tên {n},01/01/1980,Nam,70,CT UBND,\n" for n in range(rows))
    else:
        small = write_xlsx(tmp_path / "r.xlsx", [OFFICIALS_HEADER, official_row()])
        path = _replace_sheet(small, _rows_xml(rows))

    messages, took, peak = await _refused(sessions, path, monkeypatch)

    assert messages == ["The file has more than {limit} rows; split it into smaller files."]
    assert took < SECONDS and peak < MEMORY
