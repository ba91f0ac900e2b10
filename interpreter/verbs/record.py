"""``<Record>``: a beep, the caller's message, then the action with ``RecordingUrl``.

The caller is asked after the beep (``InputPrompt.at`` is the end of the beep): speaking records
their words (``media.caller_speech``), a key of ``finishOnKey`` ends the recording, silence ends
it after ``timeout``, ``maxLength`` caps it. After a message the caller is asked again (kind
``record-end``): hanging up ends the recording with ``Digits=hangup`` (the action is still
requested; the session ignores its answer), whenever the caller hangs up while it records. A
recording with nothing said is empty: no action, the next verb runs.
"""

from __future__ import annotations

from callbox import codes
from callbox.interpreter import params as p
from callbox.interpreter.caller import CallerAction, InputPrompt, Speak
from callbox.interpreter.context import CallContext
from callbox.interpreter.media.plane import Rendered, join
from callbox.interpreter.outcomes import Continue, EndCall, Outcome
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.actions import navigate
from callbox.interpreter.verbs.callbacks import (
    recording_url,
    rfc2822_now,
    send_recording_status,
    transcription_url,
    whole_seconds,
)
from callbox.interpreter.verbs.hearing import sleep_until
from callbox.interpreter.verbs.inputs import prompt_index
from callbox.interpreter.verbs.recording import RecordEnd, RecordTake, record_take
from callbox.markup.model import Record, Trim

MESSAGE_END = "record-end"
"""Kind of the prompt asked once the caller's message is said: hang up (``Digits=hangup``),
press a finish key, say more, or stay silent until ``timeout`` ends the recording."""
TRANSCRIPTION_LIMIT = 120
"""Twilio transcribes recordings of at most two minutes."""


def recorded_audio(call: CallContext, take: RecordTake, speech: Rendered | None) -> Rendered:
    """The recording: silence, then the caller's speech, then silence, ``take.length`` long."""
    parts = [call.media.silence(take.speech_start)]
    if speech is not None and take.has_speech:
        parts.append(join([speech], limit=take.speech_length))
    parts.append(call.media.silence(max(take.length - take.speech_start - take.speech_length, 0)))
    return join(parts, limit=take.length)


async def run_record(record: Record, call: CallContext) -> Outcome:
    transcribing = record.transcribe or bool(record.transcribe_callback)
    if transcribing and record.max_length > TRANSCRIPTION_LIMIT:
        call.warn(
            codes.RECORD_TRANSCRIBE_TOO_LONG,
            f"<Record transcribe> with maxLength {record.max_length}: recordings over "
            f"{TRANSCRIPTION_LIMIT} s are not transcribed",
            record.position,
        )
    if record.play_beep:
        await call.hear(call.media.beep(), "beep", "beep")
    start = call.clock.now()
    started = rfc2822_now(call)
    sid = call.next_sid("RE")
    status_callback = (
        record.recording_status_callback,
        str(record.recording_status_callback_method),
        record.recording_status_callback_event,
    )
    send_recording_status(call, *status_callback, "in-progress", recording_sid=sid, started=started)
    action: CallerAction = await call.ask(
        InputPrompt(
            kind="record",
            index=prompt_index(call),
            inputs=frozenset({"dtmf", "speech"}),
            timeout=float(record.timeout),
            finish_on_key=record.finish_on_key,
            at=start,
        )
    )
    speech = await call.media.caller_speech(action.text) if isinstance(action, Speak) else None
    seconds = speech.duration if speech is not None else 0.0
    said = [action.text] if isinstance(action, Speak) else []

    def take_of(then: CallerAction | None = None, then_seconds: float = 0.0) -> RecordTake:
        return record_take(
            action,
            speech_seconds=seconds,
            timeout=float(record.timeout),
            max_length=float(record.max_length),
            finish_on_key=record.finish_on_key,
            then=then,
            then_speech_seconds=then_seconds,
        )

    take = take_of()
    spoken_end = take.speech_start + take.speech_length
    if speech is not None and take.has_speech and spoken_end < record.max_length:
        # the message is said: does the caller hang up, press a key or say more?
        then = await call.ask(
            InputPrompt(
                kind=MESSAGE_END,
                index=prompt_index(call),
                inputs=frozenset({"dtmf", "speech"}),
                timeout=float(record.timeout),
                finish_on_key=record.finish_on_key,
                at=start + spoken_end,
            )
        )
        more = await call.media.caller_speech(then.text) if isinstance(then, Speak) else None
        if more is not None:
            assert isinstance(then, Speak)
            speech = join([speech, call.media.silence(max(then.after, 0.0)), more])
            said.append(then.text)
        take = take_of(then, more.duration if more is not None else 0.0)
    with call.watch_hangup() as line:
        await sleep_until(call, start + take.length)
    if line.hung_up and line.at is not None:
        take = take.cut(line.at - start)
    hung_up = take.end is RecordEnd.HANGUP
    if not take.has_speech:
        call.timeline.add(
            call.clock.now(),
            "record",
            f"empty recording (ended: {take.end}): no action, the next verb runs",
            sid=sid,
            end=str(take.end),
        )
        send_recording_status(call, *status_callback, "absent", recording_sid=sid, started=started)
        return EndCall(CallStatus.COMPLETED, reason="caller-hangup") if hung_up else Continue()

    audio = recorded_audio(call, take, speech)
    saved = call.media.save_recording(
        sid,
        audio,
        trim=record.trim is Trim.TRIM_SILENCE,
        call_sid=call.sid,
        account_sid=call.account_sid,
    )
    url = recording_url(call, sid)
    call.timeline.add(
        call.clock.now(),
        "record",
        f"recorded {saved.duration:.1f} s (ended: {take.end}) as {url}",
        sid=sid,
        end=str(take.end),
        url=url,
        duration=saved.duration,
        path=str(saved.path) if saved.path else None,
    )
    send_recording_status(
        call,
        *status_callback,
        "completed",
        recording_sid=sid,
        duration=saved.duration,
        started=started,
    )
    if transcribing:
        _transcribe(record, call, sid, " ".join(said), saved.duration)

    params = {
        p.RECORDING_URL: url,
        p.RECORDING_DURATION: str(whole_seconds(saved.duration)),
        p.RECORDING_SID: sid,
    }
    if take.digits is not None:
        params[p.DIGITS] = take.digits
    return navigate(call, record.action, str(record.method), params, input_given=True)


def _transcribe(record: Record, call: CallContext, sid: str, text: str, duration: float) -> None:
    """In simulation the transcription is what the caller said; over the limit it fails."""
    failed = duration > TRANSCRIPTION_LIMIT
    transcription_sid = call.next_sid("TR")
    call.timeline.add(
        call.clock.now(),
        "note",
        "transcription failed (recording too long)" if failed else f'transcription: "{text}"',
        sid=transcription_sid,
    )
    if not record.transcribe_callback:
        return
    url = call.resolve_url(record.transcribe_callback)
    if url is None:
        return
    params = call.webhook_params(
        TranscriptionSid=transcription_sid,
        TranscriptionText="" if failed else text,
        TranscriptionStatus="failed" if failed else "completed",
        TranscriptionUrl=transcription_url(call, transcription_sid),
        TranscriptionType="fast",
        RecordingSid=sid,
        RecordingUrl=recording_url(call, sid),
    )
    call.send_callback(url, "POST", params)
