"""Every test runs with its own callflow data directory and one shared speech cache, so that
``callflow call`` and ``callflow serve`` (in-process or as subprocesses, which inherit the
environment) never write under the user's home."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interpreter.settings import CACHE_DIR_VARIABLE, DATA_DIR_VARIABLE, PUBLIC_URL_VARIABLE


@pytest.fixture(scope="session", autouse=True)
def callflow_directories(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DATA_DIR_VARIABLE, str(tmp_path_factory.mktemp("callflow-data")))
        patch.setenv(CACHE_DIR_VARIABLE, str(tmp_path_factory.mktemp("callflow-cache")))
        patch.delenv(PUBLIC_URL_VARIABLE, raising=False)
        yield
