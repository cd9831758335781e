"""The fault tests' PostgreSQL of their own (tests/faults/private_postgres.py), migrated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from storage import migrate
from tests.faults.private_postgres import PrivateCluster, private_cluster


@pytest.fixture(scope="module")
def cluster() -> Iterator[PrivateCluster]:
    """A cluster for the test module, migrated to head; a test may stop and start it."""
    with private_cluster() as cluster:
        migrate.upgrade(cluster.url)
        yield cluster
