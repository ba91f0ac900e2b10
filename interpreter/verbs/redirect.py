"""``<Redirect>``: fetch another document (an empty one re-requests the current document)."""

from __future__ import annotations

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Outcome
from callbox.interpreter.verbs.actions import navigate
from callbox.markup.model import Redirect


async def run_redirect(redirect: Redirect, call: CallContext) -> Outcome:
    return navigate(call, redirect.url or None, str(redirect.method), input_given=False)
