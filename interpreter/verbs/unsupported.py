"""Verbs callbox does not simulate yet: each is reported (13750, naming the verb), then skipped.

``<Connect>`` services, ``<Start>``/``<Stop>``
forks, ``<Pay>``, ``<Refer>``: later versions cover them. A ``<Message>`` in a voice document is a
messaging verb; it is reported the same way. Nothing is ever dropped silently.
"""

from __future__ import annotations

from typing import Any

from callbox import codes
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, Outcome
from callbox.markup.model import Connect, Message, Pay, Refer, Start, Stop

LATER: dict[type, str] = {
    Connect: "media streams and voice agents over <Connect>",
    Start: "background streams, recordings and transcriptions",
    Stop: "background streams, recordings and transcriptions",
    Pay: "payments",
    Refer: "SIP transfers",
    Message: "messaging (a <Message> belongs in a reply to a text, not in a call)",
}
"""Each unsupported verb, and what it would have done."""


def verb_name(verb: Any) -> str:
    tag = getattr(verb, "tag", None)
    return tag if isinstance(tag, str) else type(verb).__name__


async def run_unsupported(verb: Any, call: CallContext) -> Outcome:
    what = LATER.get(type(verb), "this verb")
    call.warn(
        codes.VERB_NOT_SUPPORTED,
        f"<{verb_name(verb)}> is not supported by callbox's simulator yet ({what}): skipped",
        getattr(verb, "position", None),
    )
    return Continue()
