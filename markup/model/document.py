"""The whole document: the verb unions, ``Response``, every node type, and the tables from a tag
to its class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from callbox.markup.dialect import Dialect
from callbox.markup.model.common import NOWHERE, Config, Parameter, Unknown
from callbox.markup.model.connect import (
    AiSession,
    Autopilot,
    Connect,
    ConnectNoun,
    Conversation,
    ConversationRelay,
    ConversationRelaySession,
    Language,
    Recording,
    Refer,
    ReferSip,
    Room,
    Siprec,
    Start,
    StartNoun,
    Stop,
    Stream,
    Transcription,
    VirtualAgent,
)
from callbox.markup.model.dial import (
    Application,
    ApplicationSid,
    Client,
    Conference,
    Dial,
    DialNoun,
    Header,
    Headers,
    Identity,
    Number,
    Queue,
    Sim,
    Sip,
    Uri,
    WhatsApp,
)
from callbox.markup.model.messaging import Body, Media, Message
from callbox.markup.model.pay import Pay, Prompt
from callbox.markup.model.ssml import (
    SsmlAmazonDomain,
    SsmlAmazonEffect,
    SsmlBreak,
    SsmlEmphasis,
    SsmlLang,
    SsmlNode,
    SsmlP,
    SsmlPhoneme,
    SsmlProsody,
    SsmlS,
    SsmlSayAs,
    SsmlSub,
    SsmlW,
)
from callbox.markup.model.voice import (
    Echo,
    Enqueue,
    Gather,
    Hangup,
    Leave,
    Pause,
    Play,
    Record,
    Redirect,
    Reject,
    Say,
    Sms,
    Task,
)
from callbox.markup.source import Position

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
