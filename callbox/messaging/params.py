"""Twilio's messaging webhook parameters, named in one place, and the builders of the two
requests messaging sends an app: an inbound message (the number's SmsUrl, a ``<Redirect>``)
and an outbound message's status callback."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass, field

from callbox.messaging.addresses import country_of

API_VERSION = "2010-04-01"

MESSAGE_SID = "MessageSid"
SMS_SID = "SmsSid"
SMS_MESSAGE_SID = "SmsMessageSid"
ACCOUNT_SID = "AccountSid"
MESSAGING_SERVICE_SID = "MessagingServiceSid"
FROM = "From"
TO = "To"
BODY = "Body"
NUM_MEDIA = "NumMedia"
NUM_SEGMENTS = "NumSegments"
MEDIA_URL = "MediaUrl"  # + index
MEDIA_CONTENT_TYPE = "MediaContentType"  # + index
SMS_STATUS = "SmsStatus"
MESSAGE_STATUS = "MessageStatus"
API_VERSION_PARAM = "ApiVersion"
ERROR_CODE = "ErrorCode"
ERROR_URL = "ErrorUrl"
OPT_OUT_TYPE = "OptOutType"
GEO_PARAMS = ("City", "State", "Zip", "Country")
"""Each is sent for both ends (``FromCity``, ``ToCountry``...); callbox knows only the country,
from the calling code, and sends the others empty, as Twilio does when it does not know them."""


def content_type_of(url: str) -> str:
    """The media type of a media URL, guessed from its name (``image/jpeg`` for ``a.jpg``)."""
    guessed, _ = mimetypes.guess_type(url.split("?", 1)[0])
    return guessed or "application/octet-stream"


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message arriving at one of the platform's numbers."""

    sid: str
    account_sid: str
    from_: str
    to: str
    body: str
    media: Sequence[str] = ()
    num_segments: int = 1
    messaging_service_sid: str | None = None
    opt_out_type: str | None = None
    media_types: Sequence[str] = field(default=())
    """The content type of each media URL (guessed from the URL when not given)."""


def inbound_params(message: InboundMessage) -> dict[str, str]:
    """What the SmsUrl (and each ``<Redirect>``) is requested with."""
    params = {
        MESSAGE_SID: message.sid,
        SMS_SID: message.sid,
        SMS_MESSAGE_SID: message.sid,
        ACCOUNT_SID: message.account_sid,
    }
    if message.messaging_service_sid:
        params[MESSAGING_SERVICE_SID] = message.messaging_service_sid
    params |= {
        FROM: message.from_,
        TO: message.to,
        BODY: message.body,
        NUM_MEDIA: str(len(message.media)),
        NUM_SEGMENTS: str(message.num_segments),
        SMS_STATUS: "received",
        API_VERSION_PARAM: API_VERSION,
    }
    types = list(message.media_types) or [content_type_of(url) for url in message.media]
    for index, url in enumerate(message.media):
        params[f"{MEDIA_CONTENT_TYPE}{index}"] = types[index] if index < len(types) else ""
        params[f"{MEDIA_URL}{index}"] = url
    for end, number in (("From", message.from_), ("To", message.to)):
        for part in GEO_PARAMS:
            params[f"{end}{part}"] = country_of(number) if part == "Country" else ""
    if message.opt_out_type:
        params[OPT_OUT_TYPE] = message.opt_out_type
    return params


def status_params(
    *,
    sid: str,
    account_sid: str,
    from_: str,
    to: str,
    status: str,
    messaging_service_sid: str | None = None,
    error_code: int | None = None,
) -> dict[str, str]:
    """What an outbound message's status callback is requested with."""
    params = {
        MESSAGE_SID: sid,
        SMS_SID: sid,
        ACCOUNT_SID: account_sid,
        FROM: from_,
        TO: to,
        MESSAGE_STATUS: status,
        SMS_STATUS: status,
        API_VERSION_PARAM: API_VERSION,
    }
    if messaging_service_sid:
        params[MESSAGING_SERVICE_SID] = messaging_service_sid
    if error_code is not None:
        params[ERROR_CODE] = str(error_code)
    return params
