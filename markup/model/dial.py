"""``<Dial>`` and its nouns (``<Number>``, ``<Client>``, ``<Conference>``, ``<Queue>``, ``<Sip>``,
``<Sim>``, ``<Application>``, ``<WhatsApp>``), with the enumerations only they use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from callbox.markup.model.common import (
    COMPLETED_RECORDING,
    NOWHERE,
    DialRecord,
    HttpMethod,
    Parameter,
    RecordingEvent,
    RecordingTrack,
    Trim,
    Unknown,
)
from callbox.markup.source import Position


class CallEvent(StrEnum):
    """``statusCallbackEvent`` of the dialed nouns (Number, Client, Sip, Application, WhatsApp)."""

    INITIATED = "initiated"
    RINGING = "ringing"
    ANSWERED = "answered"
    COMPLETED = "completed"


class ConferenceEvent(StrEnum):
    START = "start"
    END = "end"
    JOIN = "join"
    LEAVE = "leave"
    MUTE = "mute"
    HOLD = "hold"
    MODIFY = "modify"
    SPEAKER = "speaker"
    ANNOUNCEMENT = "announcement"


class ConferenceBeep(StrEnum):
    TRUE = "true"
    FALSE = "false"
    ON_ENTER = "onEnter"
    ON_EXIT = "onExit"


class ConferenceRecord(StrEnum):
    DO_NOT_RECORD = "do-not-record"
    RECORD_FROM_START = "record-from-start"


class ConferenceRegion(StrEnum):
    US1 = "us1"
    US2 = "us2"
    IE1 = "ie1"
    SG1 = "sg1"
    BR1 = "br1"
    AU1 = "au1"
    JP1 = "jp1"
    DE1 = "de1"


class JitterBufferSize(StrEnum):
    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    OFF = "off"


class MachineDetection(StrEnum):
    ENABLE = "Enable"
    DETECT_MESSAGE_END = "DetectMessageEnd"


class DialEvent(StrEnum):
    CALL_PROGRESS_EVENT = "call-progress-event"


class RingTone(StrEnum):
    AT = "at"
    AU = "au"
    BG = "bg"
    BR = "br"
    BE = "be"
    CH = "ch"
    CL = "cl"
    CN = "cn"
    CZ = "cz"
    DE = "de"
    DK = "dk"
    EE = "ee"
    ES = "es"
    FI = "fi"
    FR = "fr"
    GR = "gr"
    HU = "hu"
    IL = "il"
    IN = "in"
    IT = "it"
    LT = "lt"
    JP = "jp"
    MX = "mx"
    MY = "my"
    NL = "nl"
    NO = "no"
    NZ = "nz"
    PH = "ph"
    PL = "pl"
    PT = "pt"
    RU = "ru"
    SE = "se"
    SG = "sg"
    TH = "th"
    UK = "uk"
    US = "us"
    US_OLD = "us-old"
    TW = "tw"
    VE = "ve"
    ZA = "za"


_COMPLETED_CALL = frozenset({CallEvent.COMPLETED})


# --- Dial and its nouns ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DialedParty:
    """What every party ``<Dial>`` rings has: the ``url`` whisper document run on its answered
    leg (with ``method``) and its own call progress callbacks (``status_callback*``)."""

    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST


@dataclass(frozen=True, slots=True)
class MachineDetectingParty(DialedParty):
    """A dialed party that can be screened by answering machine detection (Number, Sip)."""

    machine_detection: MachineDetection | None = None
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000
    amd_status_callback: str | None = None
    amd_status_callback_method: HttpMethod = HttpMethod.POST


@dataclass(frozen=True, slots=True)
class Number(MachineDetectingParty):
    """``<Number>``: a phone number to ring (``number``, stripped text)."""

    send_digits: str | None = None
    byoc: str | None = None
    number: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Identity:
    """``<Identity>`` of a ``<Client>``; the client's ``identity`` field holds its text too."""

    identity: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Client(DialedParty):
    """``<Client>``: a Voice SDK client; ``identity`` is the text or the ``<Identity>`` child."""

    identity: str = ""
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Conference:
    """``<Conference>``: a named room (``name``, stripped text). ``wait_url`` None means Twilio's
    hold music, ``""`` silence; ``region`` and ``jitter_buffer_size`` None let Twilio choose."""

    muted: bool = False
    beep: ConferenceBeep = ConferenceBeep.TRUE
    start_conference_on_enter: bool = True
    end_conference_on_exit: bool = False
    wait_url: str | None = None
    wait_method: HttpMethod = HttpMethod.POST
    max_participants: int = 250
    record: ConferenceRecord = ConferenceRecord.DO_NOT_RECORD
    region: ConferenceRegion | None = None
    coach: str | None = None
    trim: Trim = Trim.TRIM_SILENCE
    status_callback_event: frozenset[ConferenceEvent] = frozenset()
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = COMPLETED_RECORDING
    event_callback_url: str | None = None
    jitter_buffer_size: JitterBufferSize | None = None
    participant_label: str | None = None
    recording_configuration_id: str | None = None
    name: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Queue:
    """``<Queue>`` in ``<Dial>``: bridge to the caller at the head of the queue ``name``."""

    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    reservation_sid: str | None = None
    post_work_activity_sid: str | None = None
    name: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Uri:
    """``<Uri>`` of a ``<Sip>`` noun: one SIP URI of a failover list (twilio's ``SipUri``)."""

    priority: int | None = None
    weight: int | None = None
    username: str | None = None
    password: str | None = None
    uri: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Header:
    name: str | None = None
    value: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Headers:
    """``<Headers>`` of a ``<Sip>`` noun: the custom SIP headers in ``items``."""

    items: tuple[Header, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Sip(MachineDetectingParty):
    """``<Sip>`` inside ``<Dial>``: ring a SIP endpoint (``uri``, the stripped text, and/or the
    ``<Uri>`` children). ``<Sip>`` inside ``<Refer>`` is ``ReferSip``."""

    username: str | None = None
    password: str | None = None
    uri: str = ""
    uris: tuple[Uri, ...] = ()
    headers: Headers | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Sim:
    sim_sid: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class ApplicationSid:
    sid: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Application(DialedParty):
    """``<Application>``: dial a TwiML App; ``application_sid`` is the text or the child's."""

    customer_id: str | None = None
    copy_parent_to: bool = False
    application_sid: str = ""
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class WhatsApp(DialedParty):
    phone_number: str = ""
    position: Position = field(default=NOWHERE, compare=False)


DialNoun = Number | Client | Conference | Queue | Sip | Sim | Application | WhatsApp | Unknown


@dataclass(frozen=True, slots=True)
class Dial:
    """``<Dial>``: bridge the caller to another party. ``number`` is the text form
    (``<Dial>+14155550100</Dial>``), None when the nouns are used; ``action`` None means the
    document goes on with the next verb; ``ring_tone`` None means chosen from the number."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    timeout: int = 30
    caller_id: str | None = None
    hangup_on_star: bool = False
    time_limit: int = 14400
    record: DialRecord = DialRecord.DO_NOT_RECORD
    trim: Trim = Trim.DO_NOT_TRIM
    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = COMPLETED_RECORDING
    recording_track: RecordingTrack = RecordingTrack.BOTH
    answer_on_bridge: bool = False
    ring_tone: RingTone | None = None
    sequential: bool = False
    refer_url: str | None = None
    refer_method: HttpMethod = HttpMethod.POST
    events: frozenset[DialEvent] = frozenset()
    recording_configuration_id: str | None = None
    passports: str | None = None
    number: str | None = None
    nouns: tuple[DialNoun, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)
