"""Every test runs with its own callbox data directory and one shared speech cache, so that
``callbox call`` and ``callbox serve`` (in-process or as subprocesses, which inherit the
environment) never write under the user's home."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from callbox.interpreter.settings import CACHE_DIR_VARIABLE, DATA_DIR_VARIABLE, PUBLIC_URL_VARIABLE
from callbox.testing.postgres import PostgresServerError, TemporaryPostgres


@pytest.fixture(scope="session", autouse=True)
def callbox_directories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("callbox-data")))
        patch.setenv(CACHE_DIR_VARIABLE, str(tmp_path_factory.mktemp("callbox-cache")))
        patch.delenv(PUBLIC_URL_VARIABLE, raising=False)
        yield


# Fuzz tests (tests/**/test_fuzz_*.py) run few examples, in a fixed order, with no per-example
# deadline: short and deterministic in CI. HYPOTHESIS_PROFILE=thorough runs many more, locally.
settings.register_profile(
    "callbox",
    derandomize=True,
    max_examples=100,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.register_profile(
    "thorough", parent=settings.get_profile("callbox"), max_examples=2000, derandomize=False
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "callbox"))


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[TemporaryPostgres]:
    """One throwaway PostgreSQL server for the run (Debian's package, initdb in a temp dir, a
    free loopback port), started on first use; a test that needs it fails, with the reason,
    when it cannot start."""
    try:
        server = TemporaryPostgres(durable=False)
        server.start()
    except PostgresServerError as error:
        pytest.fail(f"PostgreSQL could not start: {error}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: TemporaryPostgres) -> str:
    """The URL of a new, empty schema on the run's PostgreSQL server."""
    return postgres_server.create_schema()
