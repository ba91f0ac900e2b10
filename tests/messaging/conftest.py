"""The SMS bot of ``sms_app.py`` for the messaging tests, loaded from its file (the e2e tests
serve the same file with uvicorn), and the requests it saw."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

APP_FILE = Path(__file__).with_name("sms_app.py")


def load_sms_app() -> Any:
    spec = importlib.util.spec_from_file_location("sms_app", APP_FILE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def seen() -> list[dict[str, Any]]:
    """Every request the bot got: path, form, headers and URL."""
    return []


@pytest.fixture
def app(seen: list[dict[str, Any]]) -> Any:
    """The bot, recording into ``seen``."""
    return load_sms_app().make_app(seen)
