"""Shared by every test directory: tests/ itself is importable (buildmodes.py, pgcluster.py),
and the fixtures of the suites that build and run Go programs with toolweave (integrations,
ecosystem): the build environment and one PostgreSQL for the whole session.

The PostgreSQL cluster (pgcluster.py) is created on first use in a temporary directory, run
as the `postgres` system user when we are root (initdb refuses root), listens on 127.0.0.1 on
a free port with `trust` auth, has a database `app`, and is stopped and removed at the end of
the session. Without PostgreSQL's binaries the tests FAIL (they are part of the suite):
`bash scripts/install-test-deps` installs them.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from buildmodes import full_matrix_only  # noqa: E402
from pgcluster import PgCluster, PgClusterError  # noqa: E402


def pytest_runtest_setup(item):
    if item.get_closest_marker("full_matrix") is not None:
        full_matrix_only("one more build configuration of a behaviour CI covers")


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = PgCluster("app")
    problem = None
    try:
        cluster.start()
    except PgClusterError as e:
        problem = str(e)
    if problem is not None:
        pytest.fail(f"cannot start the test PostgreSQL: {problem}", pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_dsn(pg_cluster) -> str:
    """postgres://postgres@127.0.0.1:PORT/app?sslmode=disable"""
    return pg_cluster.dsn


@pytest.fixture(scope="session")
def tw_env(tmp_path_factory) -> dict:
    """The environment of `toolweave go build`: no OTEL_*/TOOLWEAVE_* of the machine, a
    session-wide temporary TOOLWEAVE_CACHE_DIR, strict weaving. GOFLAGS=-buildvcs=false since
    the apps live inside this repository's work tree."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(TOOLWEAVE_CACHE_DIR=str(tmp_path_factory.mktemp("toolweave-cache")),
               TOOLWEAVE_STRICT="1", GOFLAGS="-buildvcs=false")
    return env
