"""``<Gather>``: play the nested prompts, listen for DTMF and/or speech, post the result.

The caller is asked once, before the prompts play, with the prompts' texts and the time they end
(``InputPrompt.at``); the answer's ``after`` counts from there, so a negative ``after`` is input
during the prompts, which stops them when ``bargeIn`` is true. The entry then follows Twilio's
rules (``interpreter.verbs.digits``, ``interpreter.verbs.speech``): with a result the action is
requested with ``Digits`` or ``SpeechResult``/``Confidence``; without one the document goes on
with the next verb, unless ``actionOnEmptyResult``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import accumulate

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.caller import CallerAction, HangUp, InputPrompt, Press, Speak
from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.quick_init import quick_init
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.digits import GatherEnd, collect_digits, key_presses
from callbox.interpreter.verbs.hearing import Piece, hear_pieces, sleep_until
from callbox.interpreter.verbs.inputs import note_input, prompt_index
from callbox.interpreter.verbs.pause import render_pause
from callbox.interpreter.verbs.play import render_play
from callbox.interpreter.verbs.say import render_say
from callbox.interpreter.verbs.speech import partial_results, recognize, speech_timeout_seconds
from callbox.markup.model import Gather, GatherInput, Pause, Play, Say

DTMF = "dtmf"
SPEECH = "speech"


async def render_prompts(gather: Gather, call: CallContext) -> list[Piece]:
    """The nested ``<Say>``, ``<Play>`` and ``<Pause>``, rendered in order; anything else is
    reported (13320) and skipped."""
    pieces: list[Piece] = []
    for child in gather.children:
        if isinstance(child, Say):
            pieces.extend(await render_say(child, call))
        elif isinstance(child, Play):
            pieces.extend(await render_play(child, call, in_gather=True))
        elif isinstance(child, Pause):
            pieces.extend(render_pause(child, call))
        else:
            call.warn(
                codes.GATHER_NESTED,
                f"<{child.tag}> cannot be nested in <Gather>: skipped",
                child.position,
            )
    return pieces


@quick_init
@dataclass(frozen=True, slots=True)
class Entry:
    """What the Gather got: ``digits`` or ``speech`` (with ``confidence``), when the input began
    and when listening stopped (seconds from the end of the prompts), and why."""

    end: GatherEnd
    stopped_at: float
    input_at: float | None = None
    digits: str = ""
    speech: str = ""
    confidence: float | None = None
    speech_started: float | None = None
    spoken: float = 0.0
    ignored: str = ""

    @property
    def empty(self) -> bool:
        return not self.digits and not self.speech


async def listen(gather: Gather, action: CallerAction, call: CallContext) -> Entry:
    """Apply the Gather's rules to the caller's ``action``."""
    inputs = _input_names(gather.input)
    timeout = float(gather.timeout)
    listening_from = None if gather.barge_in else 0.0
    silent = Entry(GatherEnd.TIMEOUT, timeout)
    if isinstance(action, HangUp):
        if action.after <= timeout:
            return Entry(GatherEnd.HANGUP, action.after, action.after)
        return silent
    if isinstance(action, Press):
        if DTMF not in inputs:
            return Entry(
                GatherEnd.TIMEOUT, timeout, ignored="this <Gather> listens for speech only"
            )
        keys = collect_digits(
            key_presses(action.digits, action.after),
            timeout=timeout,
            finish_on_key=gather.finish_on_key,
            num_digits=gather.num_digits,
            listening_from=listening_from,
        )
        return Entry(keys.end, keys.stopped_at, keys.first_key_at, digits=keys.digits)
    if isinstance(action, Speak):
        if SPEECH not in inputs:
            return Entry(GatherEnd.TIMEOUT, timeout, ignored="this <Gather> listens for dtmf only")
        duration = (await call.media.caller_speech(action.text)).duration
        heard = recognize(
            action.text,
            after=action.after,
            duration=duration,
            timeout=timeout,
            speech_timeout=speech_timeout_seconds(gather.speech_timeout, timeout),
            max_speech_time=float(gather.max_speech_time),
            listening_from=listening_from,
        )
        if heard.empty:
            return Entry(heard.end, heard.stopped_at)
        return Entry(
            heard.end,
            heard.stopped_at,
            heard.started_at,
            speech=heard.text,
            confidence=action.confidence,
            speech_started=heard.started_at,
            spoken=heard.spoken,
        )
    return silent


def _outcome_text(entry: Entry) -> str:
    if entry.ignored:
        return f"ignored: {entry.ignored}"
    if entry.digits:
        return f"Digits={entry.digits} ({entry.end})"
    if entry.speech:
        return f'SpeechResult="{entry.speech}" ({entry.end})'
    if entry.end is GatherEnd.HANGUP:
        return "the call ends"
    return f"no input ({entry.end})"


@functools.lru_cache(maxsize=16)
def _input_names(inputs: frozenset[GatherInput]) -> frozenset[str]:
    """What a Gather listens for, by name (one set shared by every prompt that asks the same)."""
    return frozenset(str(item) for item in inputs)


async def run_gather(gather: Gather, call: CallContext) -> Outcome:
    pieces = await render_prompts(gather, call)
    start = call.clock.now()
    ends = tuple(start + offset for offset in accumulate(piece.duration for piece in pieces))
    prompts_end = ends[-1] if ends else start
    # made in the call, not kept in a variable: the session asks the caller its own copy of
    # the prompt, and a call parked at the prompt keeps only that one
    action = await call.ask(
        InputPrompt(
            kind="gather",
            index=prompt_index(call),
            heard=tuple(piece.text for piece in pieces),
            inputs=_input_names(gather.input),
            timeout=float(gather.timeout),
            num_digits=gather.num_digits,
            finish_on_key=gather.finish_on_key,
            at=prompts_end,
            heard_until=ends,
        )
    )
    entry = await listen(gather, action, call)

    interrupts = entry.input_at is not None and entry.input_at < 0
    if interrupts and (gather.barge_in or entry.end is GatherEnd.HANGUP):
        assert entry.input_at is not None
        cut_at = prompts_end + entry.input_at
        played = await hear_pieces(call, pieces, until=cut_at)
        if played < len(pieces) and entry.end is not GatherEnd.HANGUP:
            call.timeline.add(
                call.clock.now(),
                "note",
                f"barge-in: the caller's input stopped the prompts "
                f"({len(pieces) - played} of {len(pieces)} cut short or skipped)",
            )
    else:
        await hear_pieces(call, pieces)

    if entry.speech and gather.partial_result_callback and entry.speech_started is not None:
        await _send_partial_results(gather, entry, prompts_end, call)
    await sleep_until(call, prompts_end + entry.stopped_at)
    note_input(
        call,
        action,
        verb="gather",
        outcome=_outcome_text(entry),
        end=str(entry.end),
        digits=entry.digits,
        speech=entry.speech,
    )

    if entry.end is GatherEnd.HANGUP:
        return EndCall(CallStatus.COMPLETED, reason="caller-hangup")
    if not entry.empty:
        params = {p.DIGITS: entry.digits} if entry.digits else _speech_params(entry)
        return navigate(call, gather.action, str(gather.method), params, input_given=True)
    if gather.action_on_empty_result:
        return navigate(call, gather.action, str(gather.method), {}, input_given=False)
    return Continue()


def _speech_params(entry: Entry) -> dict[str, str]:
    params = {p.SPEECH_RESULT: entry.speech}
    if entry.confidence is not None:
        params[p.CONFIDENCE] = f"{entry.confidence:g}"
    return params


async def _send_partial_results(
    gather: Gather, entry: Entry, prompts_end: float, call: CallContext
) -> None:
    """``partialResultCallback`` requests while the caller speaks, one per word."""
    assert entry.speech_started is not None
    url = call.resolve_url(gather.partial_result_callback)
    if url is None:
        return
    method = str(gather.partial_result_callback_method)
    for partial in partial_results(entry.speech, entry.spoken):
        await sleep_until(call, prompts_end + entry.speech_started + partial.at)
        params = call.webhook_params(
            UnstableSpeechResult=partial.unstable,
            StableSpeechResult=partial.stable,
            SequenceNumber=str(partial.sequence),
        )
        call.send_callback(url, method, params)
