"""Builders of ``<Connect>``, ``<Start>``, ``<Stop>`` and ``<Refer>`` and their nouns."""

from __future__ import annotations

from callbox import codes
from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    BOOL,
    CONFIGS_AND_PARAMETERS,
    METHOD,
    PARAMETERS,
    RECORDING_EVENTS,
    TEXT,
    TRIM,
    URL,
    ChildRule,
    RuleSpec,
    TextRule,
    element_builder,
    register,
)

WSS_URL = a.url(("wss", "ws"), absolute=True)
STREAM_TRACK = a.choice(m.StreamTrack)

# --- Connect, Start, Stop -------------------------------------------------------------------------

STREAM_SPECS: dict[str, RuleSpec] = {
    "url": WSS_URL,
    "name": TEXT,
    "track": STREAM_TRACK,
    "statusCallback": URL,
    "statusCallbackMethod": METHOD,
    "connectorName": TEXT,
    "audioFormat": TEXT,
    "sampleRate": a.integer(1, unit="hertz"),
}
build_stream = element_builder(m.Stream, register(m.Stream, STREAM_SPECS), children=PARAMETERS)
build_siprec = element_builder(
    m.Siprec,
    register(
        m.Siprec,
        {
            "name": TEXT,
            "connectorName": TEXT,
            "track": STREAM_TRACK,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
        },
    ),
    children=PARAMETERS,
)
build_transcription = element_builder(
    m.Transcription,
    register(
        m.Transcription,
        {
            "name": TEXT,
            "track": STREAM_TRACK,
            "statusCallbackUrl": URL,
            "statusCallbackMethod": METHOD,
            "inboundTrackLabel": TEXT,
            "outboundTrackLabel": TEXT,
            "partialResults": BOOL,
            "languageCode": a.language_tag,
            "transcriptionEngine": TEXT,
            "profanityFilter": BOOL,
            "speechModel": TEXT,
            "hints": TEXT,
            "enableAutomaticPunctuation": BOOL,
            "intelligenceService": TEXT,
        },
    ),
    children=CONFIGS_AND_PARAMETERS,
)
build_recording = element_builder(
    m.Recording,
    register(
        m.Recording,
        {
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "trim": TRIM,
            "track": a.choice(m.RecordingTrack),
            "channels": a.choice(m.RecordingChannels),
            "recordingConfigurationId": TEXT,
        },
    ),
)
build_room = element_builder(
    m.Room, register(m.Room, {"participantIdentity": TEXT}), text=TextRule("name")
)
build_autopilot = element_builder(m.Autopilot, register(m.Autopilot, {}), text=TextRule("name"))
LANGUAGE_TEXT_FIELDS = (
    "code",
    "ttsProvider",
    "voice",
    "transcriptionProvider",
    "speechModel",
    "hints",
    "asrSmartFormat",
    "ttsTextNormalization",
    "ttsLanguageTextNormalization",
)
TEXT_BOOLEAN = a.pattern(r"[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]", "true or false")
"""A flag kept as the text written (ConversationRelay passes it on), checked as the XSD does."""
TEXT_NORMALIZATION = a.pattern(r"auto|on|off", "auto, on or off")
INTERRUPT_MODE = a.pattern(
    r"none|any|speech|dtmf|true|false", "none, any, speech, dtmf, true or false"
)
INTERRUPT_SENSITIVITY = a.pattern(r"low|medium|high", "low, medium or high")
CHECKED_TEXT_FIELDS: dict[str, a.Coercer[str]] = {
    "asrSmartFormat": TEXT_BOOLEAN,
    "ttsLanguageTextNormalization": TEXT_BOOLEAN,
    "elevenlabsLanguageTextNormalization": TEXT_BOOLEAN,
    "partialPromptOnHangup": TEXT_BOOLEAN,
    "applicationReconnect": TEXT_BOOLEAN,
    "echoPromptFiltering": TEXT_BOOLEAN,
    "turnDetection": TEXT_BOOLEAN,
    "ttsTextNormalization": TEXT_NORMALIZATION,
    "elevenlabsTextNormalization": TEXT_NORMALIZATION,
    "interruptible": INTERRUPT_MODE,
    "welcomeGreetingInterruptible": INTERRUPT_MODE,
    "interruptSensitivity": INTERRUPT_SENSITIVITY,
}
"""Text fields whose values the XSD enumerates: the same values here (a test checks they agree)."""


def _text_fields(names: tuple[str, ...]) -> dict[str, a.Coercer[str | a.Problem]]:
    return {name: CHECKED_TEXT_FIELDS.get(name, TEXT) for name in names}


build_language = element_builder(
    m.Language, register(m.Language, _text_fields(LANGUAGE_TEXT_FIELDS))
)
CONVERSATION_RELAY_TEXT_FIELDS = (
    "welcomeGreeting",
    "welcomeGreetingInterruptible",
    "language",
    "ttsLanguage",
    "transcriptionLanguage",
    "ttsProvider",
    "voice",
    "transcriptionProvider",
    "speechModel",
    "interruptible",
    "hints",
    "intelligenceService",
    "reportInputDuringAgentSpeech",
    "interruptSensitivity",
    "debug",
    "events",
    "elevenlabsTextNormalization",
    "ttsTextNormalization",
    "ttsLanguageTextNormalization",
    "elevenlabsLanguageTextNormalization",
    "asrSmartFormat",
    "backgroundNoiseReduction",
    "speechTimeout",
    "deepgramSmartFormat",
    "ignoreBackchannel",
    "partialPromptOnHangup",
    "includeInPrompt",
    "customerName",
    "applicationReconnect",
    "echoPromptFiltering",
    "turnDetection",
)
build_conversation_relay = element_builder(
    m.ConversationRelay,
    register(
        m.ConversationRelay,
        {
            **_text_fields(CONVERSATION_RELAY_TEXT_FIELDS),
            "url": WSS_URL,
            "profanityFilter": BOOL,
            "dtmfDetection": BOOL,
            "partialPrompts": BOOL,
            "preemptible": BOOL,
            "eagerEotThreshold": a.decimal(0.3, 0.9),
        },
    ),
    children={**PARAMETERS, "Language": ChildRule("languages", build_language)},
)
build_virtual_agent = element_builder(
    m.VirtualAgent,
    register(
        m.VirtualAgent,
        {
            "connectorName": TEXT,
            "language": a.language_tag,
            "sentimentAnalysis": BOOL,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
        },
    ),
    children=CONFIGS_AND_PARAMETERS,
)
build_conversation = element_builder(
    m.Conversation,
    register(
        m.Conversation,
        {
            "serviceInstanceSid": TEXT,
            "inboundAutocreation": BOOL,
            "routingAssignmentTimeout": a.seconds(0),
            "inboundTimeout": a.seconds(0),
            "url": URL,
            "method": METHOD,
            "record": a.choice(
                m.DialRecord,
                {"true": m.DialRecord.RECORD_FROM_ANSWER, "false": m.DialRecord.DO_NOT_RECORD},
            ),
            "trim": TRIM,
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "statusCallbackEvent": a.choices(m.ConversationEvent),
        },
    ),
)
build_ai_session = element_builder(
    m.AiSession, register(m.AiSession, {"aiConnector": TEXT, "aiSessionConfiguration": TEXT})
)
build_conversation_relay_session = element_builder(
    m.ConversationRelaySession,
    register(m.ConversationRelaySession, {"connector": TEXT, "sessionConfiguration": TEXT}),
)
STREAM = ChildRule("nouns", build_stream)
SIPREC = ChildRule("nouns", build_siprec)
TRANSCRIPTION = ChildRule("nouns", build_transcription)
ACTION_METHOD: dict[str, RuleSpec] = {"action": URL, "method": METHOD}
build_connect = element_builder(
    m.Connect,
    register(m.Connect, ACTION_METHOD),
    children={
        "Stream": STREAM,
        "Room": ChildRule("nouns", build_room),
        "ConversationRelay": ChildRule("nouns", build_conversation_relay),
        "VirtualAgent": ChildRule("nouns", build_virtual_agent),
        "Conversation": ChildRule("nouns", build_conversation),
        "Autopilot": ChildRule("nouns", build_autopilot),
        "AiSession": ChildRule("nouns", build_ai_session),
        "ConversationRelaySession": ChildRule("nouns", build_conversation_relay_session),
    },
    unknown_into="nouns",
)
build_start = element_builder(
    m.Start,
    register(m.Start, ACTION_METHOD),
    children={
        "Stream": STREAM,
        "Siprec": SIPREC,
        "Transcription": TRANSCRIPTION,
        "Recording": ChildRule("nouns", build_recording),
    },
    unknown_into="nouns",
    misplaced=codes.START_NESTED,
)
build_stop = element_builder(
    m.Stop,
    register(m.Stop, {}),
    children={"Stream": STREAM, "Siprec": SIPREC, "Transcription": TRANSCRIPTION},
    unknown_into="nouns",
)
build_refer_sip = element_builder(
    m.ReferSip, register(m.ReferSip, {}), text=TextRule("uri", a.sip_uri)
)
build_refer = element_builder(
    m.Refer,
    register(m.Refer, ACTION_METHOD),
    children={"Sip": ChildRule("sip", build_refer_sip, single=True)},
)
