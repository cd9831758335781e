"""Files beyond what a roster may hold are refused before a row is read: an XLSX whose parts
would unpack to more than a gigabyte (a zip bomb) and any file of more than 300,000 rows, each
within seconds and without the memory their contents would take."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from storage.importers import limits, tabular
from tests.importers import packages
from tests.importers.files import run_import

SECONDS = 20  # generous on a shared two-core machine: reading the rows would take minutes
MEMORY = 50 * 2**20


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    """A 1 MB XLSX whose sheet unpacks to 1.1 GB of blanks."""
    return packages.bomb(tmp_path_factory.mktemp("bomb") / "roster.xlsx")


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
        path = packages.many_csv_rows(tmp_path / "r.csv", rows)
    else:
        path = packages.many_rows(tmp_path / "r.xlsx", rows)

    messages, took, peak = await _refused(sessions, path, monkeypatch)

    assert messages == ["The file has more than {limit} rows; split it into smaller files."]
    assert took < SECONDS and peak < MEMORY
