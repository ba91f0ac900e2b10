"""Calls arriving at the platform's numbers: which number a call reaches, what it runs (the
number's VoiceUrl, or its voice application's) and the inbound call's record, ringing.

The exchange runs the call; this module only decides what a call to a number is.
"""

from __future__ import annotations

from callbox.network.errors import UnservedNumberError
from callbox.records import (
    Application,
    Call,
    CallDirection,
    CallStatus,
    IncomingPhoneNumber,
    SidPrefix,
    new_sid,
    utc_now,
)
from callbox.store import Condition, Op, Query, Store


def number_of(store: Store, phone_number: str) -> IncomingPhoneNumber | None:
    """The platform's number ``phone_number`` (E.164), or None."""
    query = Query(IncomingPhoneNumber, conditions=(Condition("phone_number", Op.EQ, phone_number),))
    found = store.list(query, page_size=1).records
    return found[0] if found else None


def inbound_call(store: Store, to: str, from_: str, parent_call_sid: str | None = None) -> Call:
    """The record of a call from ``from_`` reaching the number ``to``, ringing, with the voice
    URL, fallback and status callback it runs with (not yet stored); UnservedNumberError when the
    platform has no number ``to`` or it has no VoiceUrl (nor a voice application)."""
    number = number_of(store, to)
    if number is None:
        raise UnservedNumberError(f"{to} is not a number this platform serves")
    url, method = number.voice_url, number.voice_method
    fallback, fallback_method = number.voice_fallback_url, number.voice_fallback_method
    status_callback, status_method = number.status_callback, number.status_callback_method
    if number.voice_application_sid:
        application = store.get(Application, number.voice_application_sid)
        if application is not None:
            url, method = application.voice_url, application.voice_method
            fallback = application.voice_fallback_url
            fallback_method = application.voice_fallback_method
            status_callback = application.status_callback
            status_method = application.status_callback_method
    if not url:
        raise UnservedNumberError(f"{to} has no VoiceUrl (nor a voice application) to run")
    now = utc_now()
    return Call(
        sid=new_sid(SidPrefix.CALL),
        account_sid=number.account_sid,
        to=to,
        from_=from_,
        status=CallStatus.RINGING,
        direction=CallDirection.INBOUND,
        date_created=now,
        date_updated=now,
        start_time=now,
        parent_call_sid=parent_call_sid,
        phone_number_sid=number.sid,
        url=url,
        method=method,
        fallback_url=fallback,
        fallback_method=fallback_method,
        status_callback=status_callback,
        status_callback_method=status_method,
    )
