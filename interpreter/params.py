"""Twilio's webhook parameter names, in one place, and the builders of each request's parameters.

Every request callbox sends to an application (voice URL, action URLs, ``<Redirect>``, fallback,
status callbacks) starts from ``voice_params`` (reference section 4.2) and adds what that request
carries (section 4.3). Names keep Twilio's spelling exactly.

Geographic parameters (``FromCity``, ``ToCountry``...) are omitted: callbox has no number lookup,
and Twilio itself fills them best effort, so an application cannot rely on them. Pass them through
``CallSettings.extra_params`` when a test needs them (``with_legacy_twins`` adds the legacy
``Caller*``/``Called*`` copy Twilio sends beside each ``From*``/``To*`` one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import format_datetime

from callbox.interpreter.status import CallStatus

API_VERSION = "2010-04-01"

# --- the standard voice parameters (section 4.2) ----------------------------------------------
CALL_SID = "CallSid"
ACCOUNT_SID = "AccountSid"
FROM = "From"
TO = "To"
CALLER = "Caller"
CALLED = "Called"
CALL_STATUS = "CallStatus"
API_VERSION_PARAM = "ApiVersion"
DIRECTION = "Direction"
FORWARDED_FROM = "ForwardedFrom"
CALLER_NAME = "CallerName"
PARENT_CALL_SID = "ParentCallSid"
CALL_TOKEN = "CallToken"

GEO_PARAMS = (
    "FromCity",
    "FromState",
    "FromZip",
    "FromCountry",
    "ToCity",
    "ToState",
    "ToZip",
    "ToCountry",
    "CallerCity",
    "CallerState",
    "CallerZip",
    "CallerCountry",
    "CalledCity",
    "CalledState",
    "CalledZip",
    "CalledCountry",
)
"""Twilio's best-effort geographic lookups: not sent by callbox (see the module docstring)."""

LEGACY_PREFIXES = {"From": "Caller", "To": "Called", "Caller": "From", "Called": "To"}
"""Twilio sends each geographic parameter twice: ``FromCity`` and the legacy ``CallerCity``,
``ToState`` and ``CalledState``... with the same value."""

CALL_IDENTITY_PARAMS = frozenset(
    {CALL_SID, ACCOUNT_SID, FROM, TO, CALLER, CALLED, CALL_STATUS, API_VERSION_PARAM, DIRECTION}
)
"""The parameters a call sets itself: extra parameters cannot replace them."""


def with_legacy_twins(params: Mapping[str, str]) -> dict[str, str]:
    """``params`` plus the twin of each geographic parameter, as Twilio sends both
    (``FromState=CA`` also gives ``CallerState=CA``); a twin given explicitly is kept."""
    completed = dict(params)
    for name, value in params.items():
        if name not in GEO_PARAMS:
            continue
        for prefix, twin_prefix in LEGACY_PREFIXES.items():
            if name.startswith(prefix) and name[len(prefix) :] in (
                "City",
                "State",
                "Zip",
                "Country",
            ):
                completed.setdefault(twin_prefix + name[len(prefix) :], value)
    return completed


# --- status callbacks (section 4.3) -------------------------------------------------------------
CALL_DURATION = "CallDuration"
SEQUENCE_NUMBER = "SequenceNumber"
TIMESTAMP = "Timestamp"
CALLBACK_SOURCE = "CallbackSource"
CALL_PROGRESS_EVENTS = "call-progress-events"
SIP_RESPONSE_CODE = "SipResponseCode"

# --- fallback ---------------------------------------------------------------------------------
ERROR_CODE = "ErrorCode"
ERROR_URL = "ErrorUrl"

# --- verb parameters (built by the verb runners; named here so there is one spelling) ----------
DIGITS = "Digits"
SPEECH_RESULT = "SpeechResult"
CONFIDENCE = "Confidence"
RECORDING_URL = "RecordingUrl"
RECORDING_SID = "RecordingSid"
RECORDING_DURATION = "RecordingDuration"
DIAL_CALL_STATUS = "DialCallStatus"
DIAL_CALL_SID = "DialCallSid"
DIAL_CALL_DURATION = "DialCallDuration"
DIAL_BRIDGED = "DialBridged"
QUEUE_RESULT = "QueueResult"
QUEUE_SID = "QueueSid"
QUEUE_TIME = "QueueTime"
DEQUEUING_CALL_SID = "DequeingCallSid"
"""Twilio's spelling (sic) of the agent's CallSid in a ``<Queue url>`` request."""
CONFERENCE_SID = "ConferenceSid"

STATUS_CALLBACK_EVENTS = ("initiated", "ringing", "answered", "completed")
"""The call progress events a status callback can ask for, in the order they happen."""

DIRECTIONS = ("inbound", "outbound-api", "outbound-dial")


@dataclass(frozen=True, slots=True)
class CallIdentity:
    """What every request of one call says about the call."""

    call_sid: str
    account_sid: str
    from_: str
    to: str
    direction: str = "inbound"
    parent_call_sid: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


def voice_params(call: CallIdentity, status: CallStatus | str) -> dict[str, str]:
    """The standard parameters of every voice request (voice URL, actions, redirects)."""
    params = {
        CALL_SID: call.call_sid,
        ACCOUNT_SID: call.account_sid,
        FROM: call.from_,
        TO: call.to,
        CALLER: call.from_,
        CALLED: call.to,
        CALL_STATUS: str(status),
        API_VERSION_PARAM: API_VERSION,
        DIRECTION: call.direction,
    }
    if call.parent_call_sid:
        params[PARENT_CALL_SID] = call.parent_call_sid
    params.update(call.extra)
    return params


def action_params(
    call: CallIdentity, status: CallStatus | str, verb_params: Mapping[str, str]
) -> dict[str, str]:
    """An action or ``<Redirect>`` request: the standard parameters plus the verb's own."""
    params = voice_params(call, status)
    params.update(verb_params)
    return params


def fallback_params(
    call: CallIdentity,
    status: CallStatus | str,
    error_code: str,
    error_url: str,
    verb_params: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The fallback URL's request: what the failed request carried, plus ``ErrorCode`` and
    ``ErrorUrl`` (the URL that failed)."""
    params = action_params(call, status, verb_params or {})
    params[ERROR_CODE] = error_code
    params[ERROR_URL] = error_url
    return params


def callback_status(event: str, final_status: CallStatus) -> str:
    """The ``CallStatus`` a status callback reports for a progress ``event``.

    ``answered`` reports ``in-progress``; ``completed`` reports the final status (``busy``,
    ``no-answer``... when the call never got that far).
    """
    if event == "answered":
        return CallStatus.IN_PROGRESS.value
    if event == "completed":
        return final_status.value
    return event


SIP_RESPONSE_CODES: dict[CallStatus, str] = {
    CallStatus.COMPLETED: "200",
    CallStatus.BUSY: "486",
    CallStatus.NO_ANSWER: "487",
    CallStatus.CANCELED: "487",
    CallStatus.FAILED: "500",
}
"""The ``SipResponseCode`` a ``completed`` status callback reports for each final status (SIP's
200 OK, 486 Busy Here, 487 Request Terminated, 500 Server Error): callbox's choice, as a
simulated call has no SIP signalling."""


def call_moment(started_at: datetime, at: float) -> datetime:
    """The date and time of call time ``at`` (seconds from the start) on a call that started at
    ``started_at``: what ``Timestamp`` and ``RecordingStartTime`` report, so that they agree with
    the call's own clock (virtual time included) rather than with the moment they are sent."""
    return started_at + timedelta(seconds=at)


def rfc2822(moment: datetime) -> str:
    """A timestamp as Twilio sends it: ``Mon, 16 Aug 2010 03:45:01 +0000``."""
    return format_datetime(moment)


def status_callback_params(
    call: CallIdentity,
    event: str,
    *,
    status: CallStatus | str,
    sequence_number: int,
    timestamp: datetime,
    duration: int | None = None,
) -> dict[str, str]:
    """A call progress status callback (``initiated``, ``ringing``, ``answered``, ``completed``).

    ``status`` is the ``CallStatus`` to report (see ``callback_status``); ``duration`` (whole
    seconds) is sent on ``completed`` as ``CallDuration``, with ``SipResponseCode``.
    """
    params = voice_params(call, status)
    params[CALLBACK_SOURCE] = CALL_PROGRESS_EVENTS
    params[SEQUENCE_NUMBER] = str(sequence_number)
    params[TIMESTAMP] = rfc2822(timestamp)
    if event == "completed":
        params[CALL_DURATION] = str(duration or 0)
        sip = {str(key): code for key, code in SIP_RESPONSE_CODES.items()}.get(str(status))
        if sip is not None:
            params[SIP_RESPONSE_CODE] = sip
    return params
