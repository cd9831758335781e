"""Copies of a SQLite database taken while the service uses it, and putting one back.

``backup`` uses SQLite's online backup API in one step: it reads one consistent snapshot of the
database while the service goes on writing (the write-ahead log lets it), into a temporary
file beside the target that takes the target's name only once it is complete and passes
SQLite's integrity check. The backup is a single self-contained database file.

``restore`` checks that the backup is a sound canbo database of this version or an older one,
then copies it over the database through the same API (so the database's own write-ahead log
is dealt with). It refuses while a dispatcher, hence a running service, holds the database's
lock. PostgreSQL is backed up with its own tools (README, "Backups").
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy.engine import make_url

from locales import N_
from storage import migrate


class Refusal(Exception):
    """Why nothing was done, in one line: an English msgid and its parameters."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def database_file(url: str, *, must_exist: bool) -> Path:
    """The SQLite file ``url`` names; Refusal for PostgreSQL, memory or a missing file."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise Refusal(
            N_(
                "canbo backup and restore copy a SQLite database; for PostgreSQL use pg_dump "
                "(README, “Backups”)."
            )
        )
    if not parsed.database or parsed.database == ":memory:":
        raise Refusal(N_("CANBO_DATABASE_URL names no database file."))
    path = Path(parsed.database)
    if must_exist and not path.is_file():
        raise Refusal(
            N_("There is no database at {database}: check CANBO_DATABASE_URL."), database=path
        )
    return path


def backup(database: Path, target: Path) -> str:
    """Copy ``database`` to ``target``; returns the copy's schema revision."""
    if target.exists():
        raise Refusal(
            N_("{file} already exists: choose another name, or remove it first."), file=target
        )
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(database, partial)
        with closing(sqlite3.connect(partial)) as copied:
            copied.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        revision = check(partial)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return revision


def restore(source: Path, database: Path) -> str:
    """Replace ``database`` with the backup ``source``; returns the backup's schema revision.
    The caller makes sure the service is stopped."""
    revision = check(source)
    _copy(source, database)
    return revision


def check(path: Path) -> str:
    """The schema revision of the canbo database in ``path``; Refusal if it is not one this
    version can use."""
    if not path.is_file():
        raise Refusal(N_("There is no file {file}."), file=path)
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
            (verdict,) = connection.execute("PRAGMA integrity_check").fetchone()
            if verdict != "ok":
                raise Refusal(
                    N_("{file} is damaged (SQLite: {verdict})."), file=path, verdict=verdict
                )
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise Refusal(N_("{file} is not a canbo database backup."), file=path) from None
    if row is None:
        raise Refusal(N_("{file} is not a canbo database backup."), file=path)
    revision = str(row[0])
    try:
        ScriptDirectory(str(migrate.MIGRATIONS)).get_revision(revision)
    except CommandError:
        raise Refusal(
            N_(
                "{file} comes from a newer version of canbo (schema revision {revision}): "
                "upgrade canbo first."
            ),
            file=path,
            revision=revision,
        ) from None
    return revision


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup of ``source`` into ``target``, in one step: one snapshot."""
    with closing(sqlite3.connect(source)) as reading, closing(sqlite3.connect(target)) as writing:
        reading.backup(writing)
