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
    """Start simulated calls against a URL, an in-process ASGI/WSGI app, or inline TwiML.

    Requests are signed with ``$CALLBOX_AUTH_TOKEN`` (else ``$TWILIO_AUTH_TOKEN``, else the test
    token) and carry ``$CALLBOX_ACCOUNT_SID`` (else ``$TWILIO_ACCOUNT_SID``, else a test SID)."""
    from callbox.interpreter import settings as config
    from callbox.interpreter.session import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN
    from callbox.testing.simulator import CallSimulator

    token = config.first_variable(config.AUTH_TOKEN_VARIABLES)
    account = config.first_variable(config.ACCOUNT_SID_VARIABLES)
    with CallSimulator(
        auth_token=token[1] if token else DEFAULT_AUTH_TOKEN,
        account_sid=account[1] if account else DEFAULT_ACCOUNT_SID,
    ) as simulator:
        yield simulator
