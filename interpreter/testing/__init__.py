"""Testing call flows from pytest: drive a simulated call against a URL or an in-process app.

``CallSimulator`` starts calls (the ``callflow`` fixture is one); each ``DrivenCall`` runs until
the caller is asked for input, lets the test answer, and ends with a ``CallResult``.
"""

from interpreter.testing.driven import CallEndedError, DrivenCall, DrivenCaller, Prompt
from interpreter.testing.simulator import CallSimulator

__all__ = ["CallEndedError", "CallSimulator", "DrivenCall", "DrivenCaller", "Prompt"]
