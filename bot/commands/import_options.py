"""What `canbo import` and `canbo units import` share: a dry run, the report's language, and
exit code 1 when the file is rejected."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from locales import LANGUAGES

if TYPE_CHECKING:
    from storage.importers.report import ImportReport


def add_import_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
    parser.add_argument(
        "--lang", choices=LANGUAGES, help="language of the report (default: CANBO_LOCALE)"
    )


def print_report(report: ImportReport) -> int:
    print(report.render())
    return 1 if report.rejected else 0
