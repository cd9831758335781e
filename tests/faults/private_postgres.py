"""A throwaway PostgreSQL cluster of a test's own, so a test may stop and restart the server
without touching the shared one at 127.0.0.1:5432 that other people's tests use.

initdb refuses to run as root, so when we are root the cluster belongs to the ``postgres`` OS
user. Tuned for speed, not durability: no fsync, small buffers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from tests.faults.support import free_port

SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c shared_buffers=16MB -c max_connections=40"
)
TIMEOUT = 60  # seconds for pg_ctl to see the server up or down on a loaded machine


class PrivateCluster:
    """One cluster in a temporary directory, listening on 127.0.0.1:``port``."""

    def __init__(self, bin_dir: Path, root: Path, port: int) -> None:
        self.bin_dir = bin_dir
        self.root = root
        self.port = port

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 {SERVER_OPTIONS}"
        self._pg_ctl("start", "-l", str(self.root / "server.log"), "-o", options)

    def stop(self, mode: str = "fast") -> None:
        """``fast`` ends every session at once, as a restart by an operator does."""
        self._pg_ctl("stop", "-m", mode)

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _pg_ctl(self, *args: str) -> None:
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-w"]
        _run([*command, "-t", str(TIMEOUT), *args])


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """A started cluster, removed afterwards; the test is skipped, with the reason, when the
    server binaries are missing or the cluster cannot start."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
    root = Path(tempfile.mkdtemp(prefix="canbo-pg-"))
    try:
        cluster = PrivateCluster(bin_dir, root, free_port())
        try:
            if os.geteuid() == 0:
                shutil.chown(root, "postgres", "postgres")
            _run([str(bin_dir / "initdb"), "-D", str(root / "data"), "-U", "postgres",
                  "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])  # fmt: skip
            cluster.start()
        except (OSError, subprocess.SubprocessError, LookupError) as error:
            pytest.skip(f"cannot start a private PostgreSQL cluster: {_describe(error)}")
        try:
            yield cluster
        finally:
            with suppress(subprocess.CalledProcessError):  # a test may leave it stopped
                cluster.stop("immediate")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _bin_dir() -> Path | None:
    found = [
        initdb.parent
        for initdb in Path("/usr/lib/postgresql").glob("[0-9]*/bin/initdb")
        if (initdb.parent / "pg_ctl").exists()
    ]
    return max(found, key=lambda bin_dir: float(bin_dir.parent.name), default=None)


def _run(command: list[str]) -> None:
    """Run ``command`` as the cluster's owner (``postgres`` when we are root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=TIMEOUT + 30)


def _describe(error: Exception) -> str:
    if isinstance(error, subprocess.CalledProcessError):
        output = (error.stderr or error.stdout or "").strip()
        return f"exit status {error.returncode}: {output[-500:]}"
    return repr(error)
