"""Testing call flows from pytest: drive a simulated call against a URL or an in-process app.

``CallSimulator`` starts calls (the ``callbox`` fixture is one); each ``DrivenCall`` runs until
the caller is asked for input, lets the test answer, and ends with a ``CallResult``. Names are
imported on first use, so that loading the pytest plugin stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from callbox.interpreter.testing.driven import CallEndedError, DrivenCall, DrivenCaller, Prompt
    from callbox.interpreter.testing.simulator import CallSimulator

_HOMES = {
    "CallEndedError": "callbox.interpreter.testing.driven",
    "DrivenCall": "callbox.interpreter.testing.driven",
    "DrivenCaller": "callbox.interpreter.testing.driven",
    "Prompt": "callbox.interpreter.testing.driven",
    "CallSimulator": "callbox.interpreter.testing.simulator",
}

__all__ = ["CallEndedError", "CallSimulator", "DrivenCall", "DrivenCaller", "Prompt"]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'callbox.interpreter.testing' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
