"""The pytest plugin entry point (registered as ``callflow`` in ``pytest11``).

It provides the ``callflow`` fixture: a ``CallSimulator`` closed at the end of the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from interpreter.testing.simulator import CallSimulator


@pytest.fixture
def callflow() -> Iterator[CallSimulator]:
    """Start simulated calls against a URL, an in-process ASGI/WSGI app, or inline TwiML."""
    with CallSimulator() as simulator:
        yield simulator
