"""``<Connect>``, ``<Start>``, ``<Stop>`` and ``<Refer>`` with their nouns: media streams, SIPREC,
real-time transcription and recording, rooms, ConversationRelay and the virtual agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from callbox.markup.model.common import (
    COMPLETED_RECORDING,
    NOWHERE,
    Config,
    DialRecord,
    HttpMethod,
    Parameter,
    RecordingEvent,
    RecordingTrack,
    Trim,
    Unknown,
)
from callbox.markup.source import Position


class RecordingChannels(StrEnum):
    MONO = "mono"
    DUAL = "dual"


class StreamTrack(StrEnum):
    """``track`` of ``<Stream>``, ``<Siprec>`` and ``<Transcription>``."""

    INBOUND_TRACK = "inbound_track"
    OUTBOUND_TRACK = "outbound_track"
    BOTH_TRACKS = "both_tracks"


class ConversationEvent(StrEnum):
    CALL_INITIATED = "call-initiated"
    CALL_RINGING = "call-ringing"
    CALL_ANSWERED = "call-answered"
    CALL_COMPLETED = "call-completed"


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
    recording_status_callback_event: frozenset[RecordingEvent] = COMPLETED_RECORDING
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
    recording_status_callback_event: frozenset[RecordingEvent] = COMPLETED_RECORDING
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
