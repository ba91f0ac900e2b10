"""``<Redirect>``: fetch another document (an empty one re-requests the current document)."""

from __future__ import annotations

from interpreter.context import CallContext
from interpreter.outcomes import Outcome
from interpreter.verbs.actions import navigate
from markup.model import Redirect


async def run_redirect(redirect: Redirect, call: CallContext) -> Outcome:
    return navigate(call, redirect.url or None, str(redirect.method), input_given=False)
