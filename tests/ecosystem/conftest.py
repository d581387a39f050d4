"""Fixtures of the ecosystem integration tests (gRPC, web frameworks, Redis, pgx, sqlx, zap,
logrus) besides the shared ones in tests/conftest.py (tw_env, pg_dsn)."""

from __future__ import annotations

import pytest


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
