"""The pytest plugin entry point (registered as ``callbox`` in ``pytest11``).

It provides the ``callbox`` fixture: a ``CallSimulator`` closed at the end of the test. The
simulator is imported when a test asks for the fixture, so loading the plugin costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from callbox.testing.simulator import CallSimulator


@pytest.fixture
def callbox() -> Iterator[CallSimulator]:
    """Start simulated calls against a URL, an in-process ASGI/WSGI app, or inline TwiML."""
    from callbox.testing.simulator import CallSimulator

    with CallSimulator() as simulator:
        yield simulator
