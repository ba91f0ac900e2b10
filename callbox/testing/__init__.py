"""Testing call flows from pytest: drive a simulated call against a URL or an in-process app.

``CallSimulator`` starts calls (the ``callbox`` fixture is one); each ``DrivenCall`` runs until
the caller is asked for input, lets the test answer, and ends with a ``CallResult``;
``callbox.message(app, "/sms", body=...)`` texts an SMS app and returns a ``Conversation``. Names are
imported on first use, so that loading the pytest plugin stays cheap. ``callbox.testing.postgres``
starts a throwaway PostgreSQL server (for the PostgreSQL store's tests).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from callbox.testing.conversation import Conversation, NoReplyError
    from callbox.testing.driven import CallEndedError, DrivenCall, DrivenCaller, Prompt
    from callbox.testing.simulator import CallSimulator

_HOMES = {
    "CallEndedError": "callbox.testing.driven",
    "DrivenCall": "callbox.testing.driven",
    "DrivenCaller": "callbox.testing.driven",
    "Prompt": "callbox.testing.driven",
    "CallSimulator": "callbox.testing.simulator",
    "Conversation": "callbox.testing.conversation",
    "NoReplyError": "callbox.testing.conversation",
}

__all__ = [
    "CallEndedError",
    "CallSimulator",
    "Conversation",
    "DrivenCall",
    "DrivenCaller",
    "NoReplyError",
    "Prompt",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'callbox.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
