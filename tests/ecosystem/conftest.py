"""Fixtures of the ecosystem integration tests (gRPC, web frameworks, Redis, pgx, gorm, sqlx,
logrus, zap): the build environment and the unmodified programs under apps/."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def tw_env(tmp_path_factory) -> dict:
    """`toolweave go build`'s environment: no OTEL_*/TOOLWEAVE_* of the machine, a session-wide
    TOOLWEAVE_CACHE_DIR, strict weaving, -buildvcs=false (the apps live in this repository)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "TOOLWEAVE_"))}
    env.update(TOOLWEAVE_CACHE_DIR=str(tmp_path_factory.mktemp("toolweave-cache")),
               TOOLWEAVE_STRICT="1", GOFLAGS="-buildvcs=false")
    return env


@pytest.fixture(scope="session")
def redis_servers():
    """A plain Redis server, a one-node cluster and a Sentinel, on loopback (redisserver.py)."""
    from redisserver import RedisError, RedisServers

    servers = RedisServers()
    try:
        servers.start()
    except RedisError as err:
        servers.stop()
        pytest.fail(f"cannot start the test Redis servers: {err}", pytrace=False)
    try:
        yield servers
    finally:
        servers.stop()


@pytest.fixture(scope="session")
def pg_dsn():
    """A throwaway PostgreSQL on loopback (tests/integrations/pgcluster.py): its DSN."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent.parent / "integrations"))
    from pgcluster import PgCluster, PgClusterError

    cluster = PgCluster("app")
    try:
        cluster.start()
    except PgClusterError as err:
        pytest.fail(f"cannot start the test PostgreSQL: {err}", pytrace=False)
    try:
        yield cluster.dsn
    finally:
        cluster.stop()
