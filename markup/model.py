"""The typed model of TwiML documents: one frozen dataclass per tag of voice and messaging TwiML.

The interpreter runs these values, never raw XML. ``markup.build`` makes them from a parsed tree;
attributes are Python values with Twilio's defaults, named from the wire names by ``snake_case``.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from markup.dialect import Dialect
from markup.source import Position

NOWHERE = Position(0, 0)

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """The Python name of a TwiML attribute: the one naming rule of the model.

    camelCase becomes snake_case (``finishOnKey`` -> ``finish_on_key``), ``:`` and ``-`` become
    ``_`` (``xml:lang`` -> ``xml_lang``, ``interpret-as`` -> ``interpret_as``), and a Python
    keyword gets a trailing ``_`` (``from`` -> ``from_``, ``for`` -> ``for_``).
    """
    python = _CAMEL_HUMP.sub("_", name.replace(":", "_").replace("-", "_")).lower()
    return python + "_" if keyword.iskeyword(python) else python


# --- Enumerations: values are the wire strings ------------------------------------------------------


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"


class GatherInput(StrEnum):
    DTMF = "dtmf"
    SPEECH = "speech"


class RejectReason(StrEnum):
    REJECTED = "rejected"
    BUSY = "busy"


class DialRecord(StrEnum):
    """``<Dial record>`` (legacy ``true``/``false`` are read as record-from-answer / do-not-record)."""

    DO_NOT_RECORD = "do-not-record"
    RECORD_FROM_ANSWER = "record-from-answer"
    RECORD_FROM_RINGING = "record-from-ringing"
    RECORD_FROM_ANSWER_DUAL = "record-from-answer-dual"
    RECORD_FROM_RINGING_DUAL = "record-from-ringing-dual"


class Trim(StrEnum):
    TRIM_SILENCE = "trim-silence"
    DO_NOT_TRIM = "do-not-trim"


class RecordingEvent(StrEnum):
    """``recordingStatusCallbackEvent`` values (space-separated list)."""

    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    ABSENT = "absent"


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


class RecordingTrack(StrEnum):
    """``<Dial recordingTrack>`` and ``<Recording track>``."""

    BOTH = "both"
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class RecordingChannels(StrEnum):
    MONO = "mono"
    DUAL = "dual"


class StreamTrack(StrEnum):
    """``track`` of ``<Stream>``, ``<Siprec>`` and ``<Transcription>``."""

    INBOUND_TRACK = "inbound_track"
    OUTBOUND_TRACK = "outbound_track"
    BOTH_TRACKS = "both_tracks"


class MachineDetection(StrEnum):
    ENABLE = "Enable"
    DETECT_MESSAGE_END = "DetectMessageEnd"


class DialEvent(StrEnum):
    CALL_PROGRESS_EVENT = "call-progress-event"


class ConversationEvent(StrEnum):
    CALL_INITIATED = "call-initiated"
    CALL_RINGING = "call-ringing"
    CALL_ANSWERED = "call-answered"
    CALL_COMPLETED = "call-completed"


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


class PayInput(StrEnum):
    DTMF = "dtmf"


class PaymentMethod(StrEnum):
    CREDIT_CARD = "credit-card"
    ACH_DEBIT = "ach-debit"


class BankAccountType(StrEnum):
    CONSUMER_CHECKING = "consumer-checking"
    CONSUMER_SAVINGS = "consumer-savings"
    COMMERCIAL_CHECKING = "commercial-checking"
    COMMERCIAL_SAVINGS = "commercial-savings"


class TokenType(StrEnum):
    ONE_TIME = "one-time"
    REUSABLE = "reusable"
    PAYMENT_METHOD = "payment-method"


class CardType(StrEnum):
    VISA = "visa"
    MASTERCARD = "mastercard"
    AMEX = "amex"
    MAESTRO = "maestro"
    DISCOVER = "discover"
    OPTIMA = "optima"
    JCB = "jcb"
    DINERS_CLUB = "diners-club"
    ENROUTE = "enroute"


class PromptFor(StrEnum):
    PAYMENT_CARD_NUMBER = "payment-card-number"
    EXPIRATION_DATE = "expiration-date"
    SECURITY_CODE = "security-code"
    POSTAL_CODE = "postal-code"
    PAYMENT_PROCESSING = "payment-processing"
    BANK_ACCOUNT_NUMBER = "bank-account-number"
    BANK_ROUTING_NUMBER = "bank-routing-number"


class PromptErrorType(StrEnum):
    TIMEOUT = "timeout"
    INVALID_CARD_NUMBER = "invalid-card-number"
    INVALID_CARD_TYPE = "invalid-card-type"
    INVALID_DATE = "invalid-date"
    INVALID_SECURITY_CODE = "invalid-security-code"
    INTERNAL_ERROR = "internal-error"
    INPUT_MATCHING_FAILED = "input-matching-failed"


class BreakStrength(StrEnum):
    NONE = "none"
    X_WEAK = "x-weak"
    WEAK = "weak"
    MEDIUM = "medium"
    STRONG = "strong"
    X_STRONG = "x-strong"


class EmphasisLevel(StrEnum):
    STRONG = "strong"
    MODERATE = "moderate"
    REDUCED = "reduced"


class PhonemeAlphabet(StrEnum):
    IPA = "ipa"
    X_SAMPA = "x-sampa"
    X_AMAZON_JYUTPING = "x-amazon-jyutping"
    X_AMAZON_PINYIN = "x-amazon-pinyin"
    X_AMAZON_PRON_KANA = "x-amazon-pron-kana"
    X_AMAZON_YOMIGANA = "x-amazon-yomigana"


class InterpretAs(StrEnum):
    CHARACTERS = "characters"
    SPELL_OUT = "spell-out"
    CARDINAL = "cardinal"
    NUMBER = "number"
    ORDINAL = "ordinal"
    DIGITS = "digits"
    FRACTION = "fraction"
    UNIT = "unit"
    DATE = "date"
    TIME = "time"
    ADDRESS = "address"
    EXPLETIVE = "expletive"
    TELEPHONE = "telephone"


class SayAsFormat(StrEnum):
    MDY = "mdy"
    DMY = "dmy"
    YMD = "ymd"
    MD = "md"
    DM = "dm"
    YM = "ym"
    MY = "my"
    D = "d"
    M = "m"
    Y = "y"
    YYYYMMDD = "yyyymmdd"


AUTO: Literal["auto"] = "auto"
"""``<Gather speechTimeout="auto">``."""

_COMPLETED_RECORDING = frozenset({RecordingEvent.COMPLETED})
_COMPLETED_CALL = frozenset({CallEvent.COMPLETED})
_GATHER_DTMF = frozenset({GatherInput.DTMF})
_DEFAULT_CARDS = frozenset({CardType.VISA, CardType.MASTERCARD, CardType.AMEX})


# --- Unknown and shared nouns ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unknown:
    """An element the model does not know (or one out of its place); the interpreter warns on it.

    ``attributes`` are the attributes as written, in document order.
    """

    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    position: Position = field(default=NOWHERE, compare=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of attribute ``name`` as written."""
        for key, value in self.attributes:
            if key == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Parameter:
    """``<Parameter name value/>``: a custom parameter passed on (Stream, Client, Pay, Hangup...)."""

    name: str | None = None
    value: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Config:
    """``<Config name value/>`` of ``<Transcription>`` and ``<VirtualAgent>``."""

    name: str | None = None
    value: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


# --- SSML inside <Say> --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SsmlBreak:
    """``<break>``: a pause. ``time`` is as written (``500ms``, ``2s``)."""

    strength: BreakStrength | None = None
    time: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlEmphasis:
    level: EmphasisLevel | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlLang:
    xml_lang: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlP:
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlS:
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlPhoneme:
    alphabet: PhonemeAlphabet | None = None
    ph: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlProsody:
    """``<prosody>``; ``volume``, ``rate`` and ``pitch`` are as written (``loud``, ``+6dB``, ``80%``)."""

    volume: str | None = None
    rate: str | None = None
    pitch: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlSayAs:
    interpret_as: InterpretAs | None = None
    format: SayAsFormat | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlSub:
    """``<sub alias>``: the alias is spoken instead of the text."""

    alias: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlW:
    role: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlAmazonEffect:
    """``<amazon:effect>`` (Polly only; twilio emits it through ``add_child``)."""

    name: str | None = None
    phonation: str | None = None
    vocal_tract_length: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class SsmlAmazonDomain:
    """``<amazon:domain name="news">`` (Polly only)."""

    name: str | None = None
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


SsmlNode = (
    SsmlBreak
    | SsmlEmphasis
    | SsmlLang
    | SsmlP
    | SsmlS
    | SsmlPhoneme
    | SsmlProsody
    | SsmlSayAs
    | SsmlSub
    | SsmlW
    | SsmlAmazonEffect
    | SsmlAmazonDomain
)
SayContent = str | SsmlNode | Unknown
"""Mixed content of ``<Say>`` and the SSML containers: text and SSML elements, in order."""


def spoken_text(children: tuple[SayContent, ...]) -> str:
    """The plain text of mixed content: SSML flattened, ``<sub>`` read as its alias, whitespace
    collapsed to single spaces (breaks, paragraphs and sentences separate words)."""
    parts: list[str] = []
    _flatten(children, parts)
    return " ".join("".join(parts).split())


def _flatten(children: tuple[SayContent, ...], parts: list[str]) -> None:
    for child in children:
        if isinstance(child, str):
            parts.append(child)
        elif isinstance(child, SsmlSub) and child.alias is not None:
            parts.append(child.alias)
        elif isinstance(child, SsmlBreak | SsmlP | SsmlS):
            parts.append(" ")
            if not isinstance(child, SsmlBreak):
                _flatten(child.children, parts)
                parts.append(" ")
        elif not isinstance(child, SsmlBreak | Unknown):
            _flatten(child.children, parts)


# --- Say, Play, Pause: the prompts ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    """``<Say>``: text to speech. ``text`` is what is spoken (``spoken_text(children)``);
    ``children`` is the mixed content as written (text and SSML nodes)."""

    voice: str = "man"
    language: str = "en-US"
    loop: int = 1
    text: str = ""
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Play:
    """``<Play>``: an audio URL (``url``, stripped) or, with ``digits``, DTMF tones."""

    loop: int = 1
    digits: str | None = None
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Pause:
    length: int = 1
    position: Position = field(default=NOWHERE, compare=False)


GatherChild = Say | Play | Pause | Unknown


@dataclass(frozen=True, slots=True)
class Gather:
    """``<Gather>``: collect DTMF and/or speech. ``action`` None means the current document;
    ``num_digits`` None means unlimited; ``speech_timeout`` None means the same as ``timeout``;
    ``speech_model`` ``default`` lets Twilio pick the recognizer."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    input: frozenset[GatherInput] = _GATHER_DTMF
    timeout: int = 5
    finish_on_key: str = "#"
    num_digits: int | None = None
    speech_timeout: int | Literal["auto"] | None = None
    max_speech_time: int = 60
    speech_model: str = "default"
    enhanced: bool = False
    language: str = "en-US"
    hints: str | None = None
    profanity_filter: bool = True
    barge_in: bool = True
    partial_result_callback: str | None = None
    partial_result_callback_method: HttpMethod = HttpMethod.POST
    action_on_empty_result: bool = False
    debug: bool = False
    children: tuple[GatherChild, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Record:
    """``<Record>``: record the caller. ``action`` None means the current document."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    timeout: int = 5
    finish_on_key: str = "1234567890*#"
    max_length: int = 3600
    play_beep: bool = True
    trim: Trim = Trim.TRIM_SILENCE
    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = _COMPLETED_RECORDING
    transcribe: bool = False
    transcribe_callback: str | None = None
    recording_configuration_id: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


# --- Dial and its nouns ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Number:
    """``<Number>``: a phone number to ring (``number``, stripped text)."""

    send_digits: str | None = None
    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    byoc: str | None = None
    machine_detection: MachineDetection | None = None
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000
    amd_status_callback: str | None = None
    amd_status_callback_method: HttpMethod = HttpMethod.POST
    number: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Identity:
    """``<Identity>`` of a ``<Client>``; the client's ``identity`` field holds its text too."""

    identity: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Client:
    """``<Client>``: a Voice SDK client; ``identity`` is the text or the ``<Identity>`` child."""

    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
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
    recording_status_callback_event: frozenset[RecordingEvent] = _COMPLETED_RECORDING
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
class Sip:
    """``<Sip>`` inside ``<Dial>``: ring a SIP endpoint (``uri``, the stripped text, and/or the
    ``<Uri>`` children). ``<Sip>`` inside ``<Refer>`` is ``ReferSip``."""

    username: str | None = None
    password: str | None = None
    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    machine_detection: MachineDetection | None = None
    machine_detection_timeout: int = 30
    machine_detection_speech_threshold: int = 2400
    machine_detection_speech_end_threshold: int = 1200
    machine_detection_silence_timeout: int = 5000
    amd_status_callback: str | None = None
    amd_status_callback_method: HttpMethod = HttpMethod.POST
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
class Application:
    """``<Application>``: dial a TwiML App; ``application_sid`` is the text or the child's."""

    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    customer_id: str | None = None
    copy_parent_to: bool = False
    application_sid: str = ""
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class WhatsApp:
    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[CallEvent] = _COMPLETED_CALL
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
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
    recording_status_callback_event: frozenset[RecordingEvent] = _COMPLETED_RECORDING
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


# --- Call control: Hangup, Redirect, Reject, Enqueue, Leave, Echo, Sms ---------------------------


@dataclass(frozen=True, slots=True)
class Hangup:
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Redirect:
    """``<Redirect>``: fetch ``url`` (stripped text; ``""`` re-requests the current document)."""

    method: HttpMethod = HttpMethod.POST
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Reject:
    reason: RejectReason = RejectReason.REJECTED
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Task:
    """``<Task>`` of ``<Enqueue workflowSid>``: TaskRouter attributes as JSON text (``body``)."""

    priority: int | None = None
    timeout: int | None = None
    body: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Enqueue:
    """``<Enqueue>``: put the caller in the queue ``name`` (or a TaskRouter ``task``).
    ``wait_url`` None means Twilio's hold music."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    wait_url: str | None = None
    wait_url_method: HttpMethod = HttpMethod.POST
    workflow_sid: str | None = None
    max_queue_size: int | None = None
    name: str = ""
    task: Task | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Leave:
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Echo:
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Sms:
    """``<Sms>`` in a voice document (deprecated): send ``text`` during the call."""

    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback: str | None = None
    text: str = ""
    position: Position = field(default=NOWHERE, compare=False)


# --- Connect, Start, Stop and their nouns -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Stream:
    """``<Stream>``: a media stream over WebSocket. The same tag in three places: in ``<Start>``
    it forks audio (unidirectional), in ``<Connect>`` it bridges (bidirectional, blocking), in
    ``<Stop>`` it names the stream to stop. The verb holding it says which."""

    url: str | None = None
    name: str | None = None
    track: StreamTrack = StreamTrack.INBOUND_TRACK
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    connector_name: str | None = None
    audio_format: str | None = None
    sample_rate: int | None = None
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Siprec:
    name: str | None = None
    connector_name: str | None = None
    track: StreamTrack = StreamTrack.INBOUND_TRACK
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Transcription:
    """``<Transcription>``: real-time transcription (``track`` None means both tracks)."""

    name: str | None = None
    track: StreamTrack | None = None
    status_callback_url: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    inbound_track_label: str | None = None
    outbound_track_label: str | None = None
    partial_results: bool = False
    language_code: str = "en-US"
    transcription_engine: str | None = None
    profanity_filter: bool = True
    speech_model: str | None = None
    hints: str | None = None
    enable_automatic_punctuation: bool = True
    intelligence_service: str | None = None
    configs: tuple[Config, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Recording:
    """``<Recording>`` in ``<Start>``: background call recording (None: Twilio's default)."""

    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = _COMPLETED_RECORDING
    trim: Trim | None = None
    track: RecordingTrack = RecordingTrack.BOTH
    channels: RecordingChannels | None = None
    recording_configuration_id: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Room:
    participant_identity: str | None = None
    name: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Autopilot:
    """``<Autopilot>`` (retired product: kept so the interpreter can say it is unsupported)."""

    name: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Language:
    """``<Language>`` of ``<ConversationRelay>``: settings for one language (strings as written)."""

    code: str | None = None
    tts_provider: str | None = None
    voice: str | None = None
    transcription_provider: str | None = None
    speech_model: str | None = None
    hints: str | None = None
    asr_smart_format: str | None = None
    tts_text_normalization: str | None = None
    tts_language_text_normalization: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class ConversationRelay:
    """``<ConversationRelay>``: an LLM voice agent over WebSocket. The many provider settings are
    kept as written (None: Twilio's default); ``eager_eot_threshold`` is 0.3-0.9."""

    url: str | None = None
    welcome_greeting: str | None = None
    welcome_greeting_interruptible: str | None = None
    language: str | None = None
    tts_language: str | None = None
    transcription_language: str | None = None
    tts_provider: str | None = None
    voice: str | None = None
    transcription_provider: str | None = None
    speech_model: str | None = None
    profanity_filter: bool | None = None
    dtmf_detection: bool | None = None
    partial_prompts: bool | None = None
    interruptible: str | None = None
    preemptible: bool | None = None
    hints: str | None = None
    intelligence_service: str | None = None
    report_input_during_agent_speech: str | None = None
    interrupt_sensitivity: str | None = None
    debug: str | None = None
    events: str | None = None
    elevenlabs_text_normalization: str | None = None
    tts_text_normalization: str | None = None
    tts_language_text_normalization: str | None = None
    elevenlabs_language_text_normalization: str | None = None
    asr_smart_format: str | None = None
    background_noise_reduction: str | None = None
    speech_timeout: str | None = None
    deepgram_smart_format: str | None = None
    ignore_backchannel: str | None = None
    partial_prompt_on_hangup: str | None = None
    eager_eot_threshold: float | None = None
    include_in_prompt: str | None = None
    customer_name: str | None = None
    application_reconnect: str | None = None
    echo_prompt_filtering: str | None = None
    turn_detection: str | None = None
    languages: tuple[Language, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class VirtualAgent:
    connector_name: str | None = None
    language: str | None = None
    sentiment_analysis: bool | None = None
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    configs: tuple[Config, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Conversation:
    """``<Conversation>`` in ``<Connect>`` (Conversations voice)."""

    service_instance_sid: str | None = None
    inbound_autocreation: bool | None = None
    routing_assignment_timeout: int | None = None
    inbound_timeout: int | None = None
    url: str | None = None
    method: HttpMethod = HttpMethod.POST
    record: DialRecord = DialRecord.DO_NOT_RECORD
    trim: Trim | None = None
    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = _COMPLETED_RECORDING
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    status_callback_event: frozenset[ConversationEvent] = frozenset()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class AiSession:
    ai_connector: str | None = None
    ai_session_configuration: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class ConversationRelaySession:
    connector: str | None = None
    session_configuration: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


ConnectNoun = (
    Stream
    | Room
    | ConversationRelay
    | VirtualAgent
    | Conversation
    | Autopilot
    | AiSession
    | ConversationRelaySession
    | Unknown
)
StartNoun = Stream | Siprec | Transcription | Recording | Unknown
StopNoun = Stream | Siprec | Transcription | Unknown


@dataclass(frozen=True, slots=True)
class Connect:
    """``<Connect>``: a blocking bridge to a service; ``action`` None goes on with the next verb."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    nouns: tuple[ConnectNoun, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Start:
    """``<Start>``: non-blocking forks (streams, recordings, transcriptions)."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    nouns: tuple[StartNoun, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Stop:
    """``<Stop>``: stop the forks named by its nouns."""

    nouns: tuple[StopNoun, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class ReferSip:
    """``<Sip>`` inside ``<Refer>``: the SIP URI the call is transferred to (twilio's name)."""

    uri: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Refer:
    """``<Refer>``: SIP REFER transfer to ``sip`` (the first ``<Sip>`` child)."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    sip: ReferSip | None = None
    position: Position = field(default=NOWHERE, compare=False)


# --- Pay ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prompt:
    """``<Prompt>`` of ``<Pay>``: what to play for one step (``for_``) and outcome."""

    for_: PromptFor | None = None
    error_type: frozenset[PromptErrorType] = frozenset()
    card_type: frozenset[CardType] = frozenset()
    attempt: frozenset[int] = frozenset()
    require_matching_inputs: bool | None = None
    children: tuple[GatherChild, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Pay:
    """``<Pay>``: collect a payment. ``postal_code`` is a bool or a fixed postal code;
    ``token_type`` None lets Twilio choose from ``charge_amount``."""

    input: PayInput = PayInput.DTMF
    action: str | None = None
    status_callback: str | None = None
    status_callback_method: HttpMethod = HttpMethod.POST
    timeout: int = 5
    max_attempts: int = 1
    security_code: bool = True
    postal_code: bool | str = True
    min_postal_code_length: int | None = None
    payment_connector: str = "Default"
    payment_method: PaymentMethod = PaymentMethod.CREDIT_CARD
    bank_account_type: BankAccountType = BankAccountType.CONSUMER_CHECKING
    token_type: TokenType | None = None
    charge_amount: str | None = None
    currency: str = "usd"
    description: str | None = None
    valid_card_types: frozenset[CardType] = _DEFAULT_CARDS
    language: str = "en-US"
    prompts: tuple[Prompt, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


# --- Messaging ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Body:
    text: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Media:
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Message:
    """``<Message>``: a reply. ``body`` is the text of the message (its own text and every
    ``<Body>``); ``media`` the URLs of its ``<Media>``. ``to``/``from_`` None mean the sender and
    the number that received the message."""

    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback: str | None = None
    body: str = ""
    media: tuple[str, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


# --- The document ---------------------------------------------------------------------------------

VoiceVerb = (
    Connect
    | Dial
    | Echo
    | Enqueue
    | Gather
    | Hangup
    | Leave
    | Pause
    | Pay
    | Play
    | Record
    | Redirect
    | Refer
    | Reject
    | Say
    | Sms
    | Start
    | Stop
)
MessagingVerb = Message | Redirect
Verb = VoiceVerb | MessagingVerb | Unknown
"""A child of ``<Response>``. Both dialects' verbs are built in either document (the lint rule
on dialects reports a ``<Message>`` in a voice document); anything else is ``Unknown``."""


@dataclass(frozen=True, slots=True)
class Response:
    """A whole document: its verbs in order, and the dialect it was read as."""

    verbs: tuple[Verb, ...] = ()
    dialect: Dialect = Dialect.VOICE
    position: Position = field(default=NOWHERE, compare=False)


Node = (
    Verb
    | DialNoun
    | ConnectNoun
    | StartNoun
    | SsmlNode
    | Parameter
    | Config
    | Identity
    | Uri
    | Header
    | Headers
    | ApplicationSid
    | Task
    | Language
    | ReferSip
    | Prompt
    | Body
    | Media
    | Response
)

MODEL_CLASSES: dict[str, type] = {
    "Response": Response,
    # voice verbs
    "Connect": Connect,
    "Dial": Dial,
    "Echo": Echo,
    "Enqueue": Enqueue,
    "Gather": Gather,
    "Hangup": Hangup,
    "Leave": Leave,
    "Pause": Pause,
    "Pay": Pay,
    "Play": Play,
    "Record": Record,
    "Redirect": Redirect,
    "Refer": Refer,
    "Reject": Reject,
    "Say": Say,
    "Sms": Sms,
    "Start": Start,
    "Stop": Stop,
    # nouns
    "Number": Number,
    "Client": Client,
    "Identity": Identity,
    "Conference": Conference,
    "Queue": Queue,
    "Sip": Sip,
    "Uri": Uri,
    "Headers": Headers,
    "Header": Header,
    "Sim": Sim,
    "Application": Application,
    "ApplicationSid": ApplicationSid,
    "WhatsApp": WhatsApp,
    "Task": Task,
    "Stream": Stream,
    "Siprec": Siprec,
    "Transcription": Transcription,
    "Recording": Recording,
    "Room": Room,
    "Autopilot": Autopilot,
    "ConversationRelay": ConversationRelay,
    "Language": Language,
    "VirtualAgent": VirtualAgent,
    "Conversation": Conversation,
    "AiSession": AiSession,
    "ConversationRelaySession": ConversationRelaySession,
    "Prompt": Prompt,
    "Parameter": Parameter,
    "Config": Config,
    # SSML
    "break": SsmlBreak,
    "emphasis": SsmlEmphasis,
    "lang": SsmlLang,
    "p": SsmlP,
    "s": SsmlS,
    "phoneme": SsmlPhoneme,
    "prosody": SsmlProsody,
    "say-as": SsmlSayAs,
    "sub": SsmlSub,
    "w": SsmlW,
    "amazon:effect": SsmlAmazonEffect,
    "amazon:domain": SsmlAmazonDomain,
    # messaging
    "Message": Message,
    "Body": Body,
    "Media": Media,
}
"""The class of each tag. A tag whose meaning depends on its parent is in ``CONTEXT_CLASSES``."""

CONTEXT_CLASSES: dict[tuple[str, str], type] = {("Refer", "Sip"): ReferSip}
"""(parent tag, tag) pairs whose class differs from ``MODEL_CLASSES[tag]``."""
