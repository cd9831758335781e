"""`canbo import` end to end on a migrated SQLite file: the report a coordinator reads."""

from __future__ import annotations

import pytest

from bot.cli import main
from storage.db import create_engine, session_factory
from tests.cli_database import cli_database
from tests.factories import make_unit
from tests.importers.files import OFFICIALS_HEADER, official_row, write_csv


async def _add_ward(url: str) -> None:
    engine = create_engine(url)
    async with session_factory(engine)() as session:
        await make_unit(session, code="00070")
        await session.commit()
    await engine.dispose()


@pytest.fixture
def database(tmp_path, monkeypatch):
    return cli_database(tmp_path, monkeypatch, _add_ward)


def test_a_rejected_file_names_file_row_and_column_in_vietnamese(database, tmp_path, capsys):
    path = write_csv(
        tmp_path / "danh_sach.csv",
        [
            [*OFFICIALS_HEADER, "Ghi chú"],
            [*official_row("CB001"), ""],
            [*official_row("CB002", **{"Ngày sinh": "31/02/1980"}), ""],
        ],
    )

    assert main(["import", "officials", str(path)]) == 1

    assert capsys.readouterr().out.splitlines() == [
        "danh_sach.csv: bị từ chối, chưa nhập dữ liệu nào. Số lỗi: 1.",
        "danh_sach.csv, dòng 3, cột “Ngày sinh”: “31/02/1980” không phải là ngày hợp lệ; "
        "hãy ghi theo dạng dd/mm/yyyy.",
        "Dòng tiêu đề cột: 1.",
        "Các cột bị bỏ qua: “Ghi chú”.",
    ]


def test_a_good_file_is_imported_once_and_reported(database, tmp_path, capsys):
    path = write_csv(tmp_path / "danh_sach.csv", [OFFICIALS_HEADER, official_row("CB001")])

    assert main(["import", "officials", str(path), "--dry-run"]) == 0
    assert main(["import", "officials", str(path)]) == 0
    assert main(["import", "officials", str(path), "--lang", "en"]) == 0

    assert capsys.readouterr().out.splitlines() == [
        "danh_sach.csv: đã kiểm tra cán bộ, chưa ghi gì (chạy thử): 1 sẽ thêm mới, "
        "0 sẽ cập nhật, 0 không đổi.",
        "Dòng tiêu đề cột: 1.",
        "danh_sach.csv: đã nhập cán bộ: 1 thêm mới, 0 cập nhật, 0 không đổi.",
        "Dòng tiêu đề cột: 1.",
        "danh_sach.csv: imported official records: 0 new, 0 updated, 1 unchanged.",
        "Header: row 1.",
    ]
