"""Asynchronous callbacks that verbs send: recording status, transcriptions, dialed-leg progress.

They are fire-and-forget (``CallContext.send_callback``); their parameters keep Twilio's names.
Recording and transcription URLs have the REST API's shape on ``api_base_url`` (the call's, when
the session offers one, else Twilio's own host).
"""

from __future__ import annotations

from collections.abc import Iterable

from callbox.interpreter import params as p
from callbox.interpreter.context import CallContext
from callbox.interpreter.params import CallIdentity, call_moment, rfc2822, status_callback_params

DEFAULT_API_BASE = "https://api.twilio.com"
API_VERSION = p.API_VERSION


def rfc2822_now(call: CallContext) -> str:
    """``RecordingStartTime`` now, in RFC 2822 as Twilio sends it: the call's start plus its call
    time (never the wall clock, which a virtual-time call does not follow)."""
    return rfc2822(call_moment(call.started_at, call.clock.now()))


def api_base(call: CallContext) -> str:
    """Where recordings are served: the session's ``api_base_url`` attribute when it has one."""
    base = getattr(call, "api_base_url", None)
    return (base if isinstance(base, str) and base else DEFAULT_API_BASE).rstrip("/")


def recording_url(call: CallContext, recording_sid: str) -> str:
    """``RecordingUrl``: without an extension (``.wav``/``.mp3`` may be appended), like Twilio's."""
    return f"{api_base(call)}/{API_VERSION}/Accounts/{call.account_sid}/Recordings/{recording_sid}"


def transcription_url(call: CallContext, transcription_sid: str) -> str:
    return (
        f"{api_base(call)}/{API_VERSION}/Accounts/{call.account_sid}"
        f"/Transcriptions/{transcription_sid}"
    )


def send_recording_status(
    call: CallContext,
    url: str | None,
    method: str,
    events: Iterable[str],
    status: str,
    *,
    recording_sid: str,
    duration: float | None = None,
    source: str = "RecordVerb",
    started: str | None = None,
) -> None:
    """Send ``recordingStatusCallback`` for ``status`` when ``events`` asks for it
    (``in-progress``, ``completed``, ``absent``)."""
    if not url or status not in {str(event) for event in events}:
        return
    resolved = call.resolve_url(url)
    if resolved is None:
        return
    params: dict[str, str] = {
        p.ACCOUNT_SID: call.account_sid,
        p.CALL_SID: call.sid,
        p.RECORDING_SID: recording_sid,
        p.RECORDING_URL: recording_url(call, recording_sid),
        "RecordingStatus": status,
        "RecordingChannels": "1",
        "RecordingSource": source,
        "RecordingStartTime": started or rfc2822_now(call),
        "ErrorCode": "0",
    }
    if duration is not None:
        params[p.RECORDING_DURATION] = str(whole_seconds(duration))
    call.send_callback(resolved, str(method), params)


def whole_seconds(seconds: float) -> int:
    """Durations in Twilio's parameters are whole seconds; anything heard counts as at least 1."""
    if seconds <= 0:
        return 0
    return max(1, round(seconds))


def send_leg_status(
    call: CallContext,
    noun_callback: tuple[str | None, str, Iterable[str]],
    leg: CallIdentity,
    event: str,
    *,
    status: str,
    sequence: int,
    duration: float | None = None,
) -> bool:
    """Send a dialed noun's ``statusCallback`` for ``event`` (``initiated``, ``ringing``,
    ``answered``, ``completed``) when its ``statusCallbackEvent`` asks for it. True if sent.

    ``noun_callback`` is the noun's (``statusCallback``, method, ``statusCallbackEvent``); the
    parameters are the child leg's (its ``CallSid``, ``ParentCallSid``, ``Direction``)."""
    url, method, events = noun_callback
    if not url or event not in {str(item) for item in events}:
        return False
    resolved = call.resolve_url(url)
    if resolved is None:
        return False
    params = status_callback_params(
        leg,
        event,
        status=status,
        sequence_number=sequence,
        timestamp=call_moment(call.started_at, call.clock.now()),
        duration=whole_seconds(duration) if duration is not None else None,
    )
    call.send_callback(resolved, str(method), params)
    return True
