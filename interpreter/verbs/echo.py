"""``<Echo>``: the caller hears themselves until they hang up (Twilio's line test).

In simulation the caller is asked (kind ``echo``) what they do: what they say or press is played
back to them and they are asked again; silence keeps the echo going until ``ECHO_LIMIT`` (Twilio's
four-hour cap on a call), when the call ends; hanging up ends it.
"""

from __future__ import annotations

from callbox.interpreter.caller import HangUp, InputPrompt, Press, Speak
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import EndCall, Outcome
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.digits import DTMF_KEYS
from callbox.interpreter.verbs.hearing import sleep_until
from callbox.interpreter.verbs.inputs import note_input, prompt_index
from callbox.markup.model import Echo

ECHO_LIMIT = 4 * 60 * 60.0
"""Seconds an echo lasts at most: Twilio's longest call."""


async def run_echo(echo: Echo, call: CallContext) -> Outcome:
    start = call.clock.now()
    deadline = start + ECHO_LIMIT
    call.timeline.add(start, "note", "<Echo>: the caller hears themselves until they hang up")
    while call.clock.now() < deadline and not call.status.is_final:
        now = call.clock.now()
        action = await call.ask(
            InputPrompt(
                kind="echo",
                index=prompt_index(call),
                inputs=frozenset({"dtmf", "speech"}),
                timeout=deadline - now,
                at=now,
            )
        )
        if isinstance(action, HangUp):
            await sleep_until(call, min(now + max(action.after, 0.0), deadline))
            note_input(call, action, verb="echo", outcome="the call ends")
            return EndCall(CallStatus.COMPLETED, reason="caller-hangup")
        if isinstance(action, Speak | Press):
            await sleep_until(call, min(now + max(action.after, 0.0), deadline))
            note_input(call, action, verb="echo", outcome="echoed back")
            if isinstance(action, Speak):
                sound = await call.media.caller_speech(action.text)
                await call.hear(sound, "echo", action.text)
            else:
                keys = "".join(char for char in action.digits if char in DTMF_KEYS)
                await call.hear(call.media.tones(keys), "echo", keys)
            if call.clock.now() > now:
                continue
        await sleep_until(call, deadline)
        note_input(call, action, verb="echo", outcome="the echo runs until the time limit")
    return EndCall(CallStatus.COMPLETED, reason="time-limit")
