"""A dialed party that is a call of its own: a ``<Dial>`` to a number the platform serves rings
that number, whose application answers (or rejects) the call and runs on its own session.

The platform (``callbox.network.callee``) implements ``Callee``; the ``<Dial>`` runner rings,
bridges and hangs it up (``interpreter.verbs.dial_callee``). ``BridgedCaller`` is the callee's
caller: the dialing call's own caller, reached through the bridge, so that what the callee's
application asks (a ``<Gather>``) is answered by the keys and words of the person who dialed.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol, runtime_checkable

from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt
from callbox.interpreter.context import CallContext
from callbox.interpreter.params import CallIdentity
from callbox.interpreter.rooms import Signal


class Callee(Protocol):
    """One ringing callee leg: an inbound call to the dialed number, running its application."""

    @property
    def settled(self) -> Signal:
        """Set once the leg answered or ended without answering."""
        ...

    @property
    def ended(self) -> Signal:
        """Set once the leg's call ended (it hung up, or it was hung up)."""
        ...

    @property
    def answered(self) -> bool: ...

    @property
    def status(self) -> str:
        """The leg's final status once ended: ``completed``, ``busy``, ``no-answer``,
        ``failed`` or ``canceled``."""
        ...

    @property
    def caller_hung_up(self) -> bool:
        """The dialing caller hung up answering one of the callee's prompts."""
        ...

    def connect(self) -> None:
        """Bridge it to the dialing call: the caller hears what the callee's application plays
        (from its answer on) and answers what it asks."""
        ...

    def hangup(self) -> None:
        """End it: canceled while it rings, hung up once answered (no-op once ended)."""
        ...


@runtime_checkable
class CalleeLine(Protocol):
    """A far end that is a number of the platform (``CallContext.far_end`` gives one)."""

    def dial(self, call: CallContext, leg: CallIdentity, timeout: float) -> Callee:
        """Ring the number for the ``<Dial>`` of ``call`` as the child ``leg``: its
        application is requested for an inbound call from the leg's caller ID."""
        ...


class BridgedCaller:
    """The callee's caller: the dialing call's caller, once bridged (prompts asked before wait
    for the bridge). ``offset`` turns the callee's call time into the dialing call's."""

    def __init__(self, call: CallContext, offset: float, connected: Signal) -> None:
        self.call = call
        self.offset = offset
        self.connected = connected
        self.hung_up = False

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        if not self.connected.is_set():
            await self.connected.wait()
        shift = self.offset
        asked = replace(
            prompt,
            at=prompt.at + shift,
            heard_until=tuple(until + shift for until in prompt.heard_until),
        )
        action = await self.call.ask(asked)
        if isinstance(action, HangUp):
            self.hung_up = True
        return action

    def hangs_up_at(self) -> float | None:
        return None  # the dialing call's hang-up ends the bridge, which hangs the callee up
