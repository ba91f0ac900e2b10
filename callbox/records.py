"""The platform's records: one frozen dataclass per Twilio 2010-04-01 resource, plus their enums.

Field names are the JSON names of Twilio's resources (``from`` is ``from_``); SIDs carry Twilio's
prefixes; datetimes are timezone-aware UTC; prices are ``Decimal`` or ``None``; enum values are the
wire strings. Computed wire fields (``uri``, ``subresource_uris``, ``*_formatted``) belong to the API,
not here. A few fields the API does not show (a call's ``url``, ``method``...) are the instructions
the platform keeps for running the record; they are marked "not on the wire".
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

API_VERSION = "2010-04-01"


class SidPrefix(StrEnum):
    """The two letters a SID starts with, by resource (then 32 lowercase hex digits)."""

    ACCOUNT = "AC"
    CALL = "CA"
    SMS = "SM"
    MMS = "MM"
    PHONE_NUMBER = "PN"
    APPLICATION = "AP"
    RECORDING = "RE"
    NOTIFICATION = "NO"


def new_sid(prefix: SidPrefix | str) -> str:
    """A fresh random SID: the prefix and 32 lowercase hex digits, as Twilio's are."""
    return f"{prefix}{secrets.token_hex(16)}"


def is_sid(value: str, prefix: SidPrefix | str) -> bool:
    """Whether ``value`` is a well-formed SID with this prefix."""
    body = value[2:]
    return (
        value[:2] == str(prefix) and len(body) == 32 and all(c in "0123456789abcdef" for c in body)
    )


def utc_now() -> datetime:
    """The current time in UTC, to the second (Twilio's dates carry no fractions)."""
    return datetime.now(UTC).replace(microsecond=0)


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class AccountType(StrEnum):
    TRIAL = "Trial"
    FULL = "Full"


class CallStatus(StrEnum):
    """A call's status. ``initiated`` is a callback event's status; the REST API shows ``queued``."""

    QUEUED = "queued"
    INITIATED = "initiated"
    RINGING = "ringing"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no-answer"
    CANCELED = "canceled"

    @property
    def is_final(self) -> bool:
        return self in FINAL_CALL_STATUSES


FINAL_CALL_STATUSES = frozenset(
    {
        CallStatus.COMPLETED,
        CallStatus.BUSY,
        CallStatus.FAILED,
        CallStatus.NO_ANSWER,
        CallStatus.CANCELED,
    }
)


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND_API = "outbound-api"
    OUTBOUND_DIAL = "outbound-dial"


class CallEventName(StrEnum):
    """The ``StatusCallbackEvent`` values a call's creator may ask for."""

    INITIATED = "initiated"
    RINGING = "ringing"
    ANSWERED = "answered"
    COMPLETED = "completed"


class AnsweredBy(StrEnum):
    HUMAN = "human"
    MACHINE_START = "machine_start"
    MACHINE_END_BEEP = "machine_end_beep"
    MACHINE_END_SILENCE = "machine_end_silence"
    MACHINE_END_OTHER = "machine_end_other"
    FAX = "fax"
    UNKNOWN = "unknown"


class MessageStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"
    RECEIVING = "receiving"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    READ = "read"
    PARTIALLY_DELIVERED = "partially_delivered"
    CANCELED = "canceled"


class MessageDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND_API = "outbound-api"
    OUTBOUND_CALL = "outbound-call"
    OUTBOUND_REPLY = "outbound-reply"


class RecordingStatus(StrEnum):
    IN_PROGRESS = "in-progress"
    PAUSED = "paused"
    STOPPED = "stopped"
    PROCESSING = "processing"
    COMPLETED = "completed"
    ABSENT = "absent"
    DELETED = "deleted"


class RecordingSource(StrEnum):
    DIAL_VERB = "DialVerb"
    CONFERENCE = "Conference"
    OUTBOUND_API = "OutboundAPI"
    TRUNKING = "Trunking"
    RECORD_VERB = "RecordVerb"
    START_CALL_RECORDING_API = "StartCallRecordingAPI"
    START_CONFERENCE_RECORDING_API = "StartConferenceRecordingAPI"


class AddressRequirement(StrEnum):
    NONE = "none"
    ANY = "any"
    LOCAL = "local"
    FOREIGN = "foreign"


class VoiceReceiveMode(StrEnum):
    VOICE = "voice"
    FAX = "fax"


class NotificationLog(StrEnum):
    """A notification's ``log`` level: Twilio writes ``"0"`` for an error, ``"1"`` for a warning."""

    ERROR = "0"
    WARNING = "1"


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a phone number can do (the ``capabilities`` object of an IncomingPhoneNumber)."""

    voice: bool = True
    sms: bool = True
    mms: bool = True
    fax: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Account:
    """An account; the top-level one owns itself (``owner_account_sid == sid``)."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.ACCOUNT
    sid: str
    owner_account_sid: str
    friendly_name: str
    auth_token: str
    status: AccountStatus = AccountStatus.ACTIVE
    type: AccountType = AccountType.FULL
    date_created: datetime
    date_updated: datetime

    @property
    def account_sid(self) -> str:
        """The account this record belongs to, as for every other record: its owner."""
        return self.owner_account_sid


@dataclass(frozen=True, slots=True, kw_only=True)
class Call:
    """One leg of a call, inbound or outbound."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.CALL
    sid: str
    account_sid: str
    to: str
    from_: str
    status: CallStatus
    direction: CallDirection
    date_created: datetime
    date_updated: datetime
    parent_call_sid: str | None = None
    phone_number_sid: str | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    duration: int | None = None  # whole seconds; the wire shows it as a string
    price: Decimal | None = None
    price_unit: str = "USD"
    answered_by: AnsweredBy | None = None
    forwarded_from: str | None = None
    group_sid: str | None = None
    caller_name: str | None = None
    queue_time: int = 0  # milliseconds; the wire shows it as a string
    trunk_sid: str | None = None
    # Not on the wire: what to run and whom to tell.
    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    twiml: str | None = None
    application_sid: str | None = None
    fallback_url: str | None = None
    fallback_method: HttpMethod = HttpMethod.POST
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    status_callback_events: tuple[CallEventName, ...] = (CallEventName.COMPLETED,)
    timeout: int = 60
    send_digits: str | None = None
    record: bool = False
    machine_detection: str | None = None
    routing: str | None = None  # the soft-switch's routing record (JSON), shown at .../Routing.json


@dataclass(frozen=True, slots=True, kw_only=True)
class Message:
    """An SMS (``SM`` SID) or MMS (``MM`` SID), inbound or outbound."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.SMS
    sid: str
    account_sid: str
    to: str
    from_: str
    body: str
    status: MessageStatus
    direction: MessageDirection
    date_created: datetime
    date_updated: datetime
    date_sent: datetime | None = None
    messaging_service_sid: str | None = None
    num_segments: int = 1
    num_media: int = 0
    price: Decimal | None = None
    price_unit: str = "USD"
    error_code: int | None = None
    error_message: str | None = None
    # Not on the wire.
    media_urls: tuple[str, ...] = ()
    status_callback: str | None = None
    routing: str | None = None  # the soft-switch's routing record (JSON), shown at .../Routing.json


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingPhoneNumber:
    """A phone number the platform serves, and where its calls and messages go."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.PHONE_NUMBER
    sid: str
    account_sid: str
    phone_number: str  # E.164
    friendly_name: str
    date_created: datetime
    date_updated: datetime
    voice_url: str | None = None
    voice_method: HttpMethod = HttpMethod.POST
    voice_fallback_url: str | None = None
    voice_fallback_method: HttpMethod = HttpMethod.POST
    voice_caller_id_lookup: bool = False
    voice_application_sid: str | None = None
    voice_receive_mode: VoiceReceiveMode = VoiceReceiveMode.VOICE
    sms_url: str | None = None
    sms_method: HttpMethod = HttpMethod.POST
    sms_fallback_url: str | None = None
    sms_fallback_method: HttpMethod = HttpMethod.POST
    sms_application_sid: str | None = None
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    capabilities: Capabilities = field(default_factory=Capabilities)
    address_requirements: AddressRequirement = AddressRequirement.NONE
    address_sid: str | None = None
    identity_sid: str | None = None
    bundle_sid: str | None = None
    trunk_sid: str | None = None
    beta: bool = False
    origin: str = "twilio"
    status: str = "in-use"


@dataclass(frozen=True, slots=True, kw_only=True)
class Application:
    """A reusable set of voice and messaging URLs that numbers and calls can point at."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.APPLICATION
    sid: str
    account_sid: str
    friendly_name: str
    date_created: datetime
    date_updated: datetime
    voice_url: str | None = None
    voice_method: HttpMethod = HttpMethod.POST
    voice_fallback_url: str | None = None
    voice_fallback_method: HttpMethod = HttpMethod.POST
    voice_caller_id_lookup: bool = False
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    sms_url: str | None = None
    sms_method: HttpMethod = HttpMethod.POST
    sms_fallback_url: str | None = None
    sms_fallback_method: HttpMethod = HttpMethod.POST
    sms_status_callback: str | None = None
    message_status_callback: str | None = None
    public_application_connect_enabled: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Recording:
    """A recording of (part of) a call; its audio is kept by the store beside the record."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.RECORDING
    sid: str
    account_sid: str
    call_sid: str
    status: RecordingStatus
    source: RecordingSource
    date_created: datetime
    date_updated: datetime
    start_time: datetime | None = None
    duration: int | None = None  # whole seconds; ``-1`` on the wire while in progress
    channels: int = 1
    conference_sid: str | None = None
    price: Decimal | None = None
    price_unit: str = "USD"
    error_code: int | None = None
    track: str = "both"


@dataclass(frozen=True, slots=True, kw_only=True)
class Notification:
    """A warning or error a call hit, with the request that led to it and the response seen."""

    PREFIX: ClassVar[SidPrefix] = SidPrefix.NOTIFICATION
    sid: str
    account_sid: str
    call_sid: str | None
    error_code: str
    log: NotificationLog
    message_text: str
    message_date: datetime
    date_created: datetime
    date_updated: datetime
    more_info: str = ""
    request_method: HttpMethod | None = None
    request_url: str | None = None
    request_variables: str = ""  # the form-encoded parameters sent
    response_headers: str = ""  # as Twilio shows them: one "Name: value" per line
    response_body: str = ""


Record = Account | Call | Message | IncomingPhoneNumber | Application | Recording | Notification
RECORD_TYPES: tuple[type[Record], ...] = (
    Account,
    Call,
    Message,
    IncomingPhoneNumber,
    Application,
    Recording,
    Notification,
)


def more_info_url(code: str | int) -> str:
    """Twilio's page for an error code, the ``more_info`` of errors and notifications."""
    return f"https://www.twilio.com/docs/errors/{code}"
