"""The verb runners: one coroutine per TwiML voice verb, looked up by the verb's model class.

The session calls ``RUNNERS[type(verb)](verb, call)`` for each verb of a document and follows the
``Outcome`` it returns (``Continue``, ``Navigate``, ``EndCall``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from interpreter.context import CallContext
from interpreter.outcomes import Outcome

Runner = Callable[[Any, CallContext], Awaitable[Outcome]]

RUNNERS: dict[type, Runner] = {}
