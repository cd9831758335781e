"""Import: an officials roster of 100,000 rows (``--quick``: 10,000), as CSV and as XLSX, through
``storage.importers.import_file`` into a SQLite database holding 1,000 communes. Then the files
a roster may not be, and how soon they are refused: 300,001 rows as CSV and as XLSX, and an
XLSX of about 1 MB whose sheet would unpack to 1.1 GB (storage/importers/limits.py).

Each import runs in a child process of its own, so its peak resident memory is the import's
(plus the interpreter, shown separately). Baseline in the same run: a 1,000-row import of the
same format; ratio = (seconds per row at the large size) ÷ (seconds per row at 1,000), where
1.0 means the import grows linearly.
"""

from __future__ import annotations

import asyncio
import csv
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import common
from openpyxl import Workbook

from storage.db import create_engine, session_factory
from storage.importers import import_file
from storage.importers.limits import MAX_ROWS
from tests.importers.packages import bomb, many_csv_rows, many_rows

COMMUNES = 1000
BASELINE_ROWS = 1000
HEADER = ["Mã cán bộ", "Họ và tên", "Ngày sinh", "Giới tính", "Mã đơn vị", "Chức vụ", "Điện thoại"]
TITLES = ("Chủ tịch UBND", "Phó Chủ tịch UBND", "Bí thư Đảng ủy", "Chủ tịch HĐND")


def roster(rows: int) -> Iterator[list[Any]]:
    """The header, then ``rows`` officials spread over the communes (codes without their
    leading zeros, as spreadsheets keep them)."""
    rng = random.Random(rows)
    yield HEADER
    for number in range(1, rows + 1):
        yield [
            f"CB{number:07d}",
            f"Nguyễn Văn Thử {number}",
            f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(1965, 2000)}",
            rng.choice(("Nam", "Nữ")),
            str(rng.randrange(1, COMMUNES + 1)),
            rng.choice(TITLES),
            f"09{number:08d}",
        ]


def write(folder: Path, rows: int, form: str) -> Path:
    path = folder / f"roster_{rows}.{form}"
    if form == "csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(roster(rows))
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in roster(rows):
            sheet.append(row)
        workbook.save(path)
    return path


async def _import(url: str, path: Path, refused: bool) -> dict[str, float]:
    engine = create_engine(url)
    before = common.maxrss_mb()
    with common.stopwatch() as took:
        report = await import_file(
            session_factory(engine), "officials", path, dry_run=False, actor="bench", lang="en"
        )
    await engine.dispose()
    if report.rejected != refused:
        raise SystemExit(f"unexpected: {report.render()[:500]}")
    return {
        "import_s": took[0],
        "cpu_s": took[1],
        "created": report.created,
        "rss_before_mb": before,
    }


def measure(folder: Path, rows: int, form: str) -> dict[str, float]:
    path = write(folder, rows, form)
    with common.sqlite_database() as url:
        asyncio.run(_units(url))
        figures = common.run_child(__file__, url, str(path), "")
    print(
        f"{form.upper():>4} {rows:>7,} rows: {figures['import_s']:.1f} s "
        f"(CPU {figures['cpu_s']:.1f} s), {figures['import_s'] / rows * 1e6:.0f} µs/row, "
        f"created {figures['created']:.0f}; peak RSS {figures['maxrss_mb']:.0f} MB "
        f"(interpreter before importing {figures['rss_before_mb']:.0f} MB); "
        f"file {path.stat().st_size / 2**20:.1f} MB",
        flush=True,
    )
    return figures


async def _units(url: str) -> None:
    engine = create_engine(url)
    await common.insert_units(engine, COMMUNES)
    await engine.dispose()


def refusal(name: str, path: Path) -> None:
    """How soon a file beyond the limits is refused, and the memory it takes."""
    with common.sqlite_database() as url:
        figures = common.run_child(__file__, url, str(path), "refused")
    print(
        f"{name}: refused in {figures['import_s']:.2f} s (CPU {figures['cpu_s']:.2f} s); "
        f"peak RSS {figures['maxrss_mb']:.0f} MB "
        f"(interpreter before importing {figures['rss_before_mb']:.0f} MB); "
        f"file {path.stat().st_size / 2**20:.1f} MB",
        flush=True,
    )


def main() -> None:
    args = common.arguments(__doc__ or "").parse_args()
    if args.child is not None:
        url, path, refused = args.child
        common.report_to_parent(asyncio.run(_import(url, Path(path), bool(refused))))
        return
    print(common.machine())
    rows = 10_000 if args.quick else 100_000
    with tempfile.TemporaryDirectory(prefix="canbo_bench_") as folder:
        for form in ("csv", "xlsx"):
            small = measure(Path(folder), BASELINE_ROWS, form)
            large = measure(Path(folder), rows, form)
            per_row = large["import_s"] / rows
            baseline = small["import_s"] / BASELINE_ROWS
            print(
                f"{form.upper()} time per row, {rows:,} ÷ {BASELINE_ROWS:,}: "
                f"{common.ratio(per_row, baseline)}"
            )
        too_many, place = MAX_ROWS + 1, Path(folder)
        refusal(f"CSV {too_many:,} rows", many_csv_rows(place / "cap.csv", too_many))
        refusal(f"XLSX {too_many:,} rows", many_rows(place / "cap.xlsx", too_many))
        refusal("XLSX unpacking to 1.1 GB", bomb(place / "bomb.xlsx"))


if __name__ == "__main__":
    main()
