"""Everything the installed ``twilio`` package's TwiML builders emit passes schema validation.

The documents are generated here, at test time: every builder class of
``twilio.twiml.voice_response`` and ``twilio.twiml.messaging_response`` is found with ``inspect``,
and every builder method is called twice, with every keyword it accepts set to a valid value and
with no keywords at all, nested under its parent as the builders allow. Valid values come from a
table by parameter name (``method`` -> ``GET``, ``*_url`` -> a URL, ...), not from copied documents,
so a new method or keyword in a new twilio release is a new, failing, case until the schema and
the table know it.
"""

from __future__ import annotations

import inspect
import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from lxml import etree
from twilio.twiml import TwiML, messaging_response, voice_response

from callbox.cli.main import main
from callbox.markup.dialect import Dialect
from callbox.markup.parser import parse
from callbox.markup.schema import compiled, validate

URL = "https://example.com/flows/next"

# -- Valid values, by parameter name -----------------------------------------------------------

BOOLEAN_KEYWORDS = frozenset(
    {
        "action_on_empty_result",
        "answer_on_bridge",
        "application_reconnect",
        "asr_smart_format",
        "backgroundNoiseReduction",
        "barge_in",
        "copy_parent_to",
        "debug",
        "deepgramSmartFormat",
        "dtmf_detection",
        "echo_prompt_filtering",
        "elevenlabs_language_text_normalization",
        "enable_automatic_punctuation",
        "end_conference_on_exit",
        "enhanced",
        "hangup_on_star",
        "ignoreBackchannel",
        "inbound_autocreation",
        "muted",
        "partial_prompt_on_hangup",
        "partial_prompts",
        "partial_results",
        "play_beep",
        "postal_code",
        "preemptible",
        "profanity_filter",
        "require_matching_inputs",
        "security_code",
        "sentiment_analysis",
        "sequential",
        "start_conference_on_enter",
        "transcribe",
        "tts_language_text_normalization",
        "turn_detection",
    }
)

# twilio-python writes a list attribute with str(list) (``"['a', 'b']"``), so a Python user passes
# the space-separated string that twilio-node writes for an array; so do these values.
VALUES: dict[str, object] = {
    # numbers
    "loop": 2,
    "length": 3,
    "timeout": 5,
    "num_digits": 4,
    "max_speech_time": 30,
    "max_length": 120,
    "time_limit": 600,
    "max_queue_size": 100,
    "max_attempts": 2,
    "min_postal_code_length": 5,
    "max_participants": 10,
    "priority": 1,
    "weight": 10,
    "routing_assignment_timeout": 30,
    "inbound_timeout": 30,
    "sample_rate": 16000,
    "machine_detection_timeout": 30,
    "machine_detection_speech_threshold": 2400,
    "machine_detection_speech_end_threshold": 1200,
    "machine_detection_silence_timeout": 5000,
    "charge_amount": "10.50",
    "eager_eot_threshold": "0.5",
    "attempt": "1 2",
    # closed sets
    "input": "dtmf speech",
    "finish_on_key": "#",
    "speech_timeout": "auto",
    "reason": "busy",
    "record": "record-from-answer-dual",
    "trim": "trim-silence",
    "recording_track": "both",
    "ring_tone": "uk",
    "beep": "onEnter",
    "region": "ie1",
    "jitter_buffer_size": "small",
    "machine_detection": "DetectMessageEnd",
    "track": "both_tracks",
    "channels": "dual",
    "bank_account_type": "consumer-savings",
    "payment_method": "credit-card",
    "token_type": "reusable",
    "valid_card_types": "visa mastercard amex",
    "card_type": "visa amex",
    "error_type": "timeout invalid-card-number",
    "for_": "payment-card-number",
    "interruptible": "speech",
    "welcome_greeting_interruptible": "any",
    "interrupt_sensitivity": "high",
    "elevenlabs_text_normalization": "on",
    "tts_text_normalization": "auto",
    "events": "call-progress-event",
    "status_callback_event": "initiated ringing answered completed",
    "recording_status_callback_event": "in-progress completed absent",
    "strength": "x-strong",
    "time": "750ms",
    "level": "moderate",
    "alphabet": "ipa",
    "ph": "pɪˈkɑːn",
    "volume": "+6dB",
    "rate": "85%",
    "pitch": "-5%",
    "interpret_as": "date",
    "format": "ymd",
    "role": "amazon:VB",
    "send_digits": "ww1234#",
    "digits": "wwww3",
    # languages
    "language": "en-US",
    "language_code": "en-US",
    "code": "en-US",
    "tts_language": "en-GB",
    "transcription_language": "en-US",
    "xml_lang": "fr-FR",
    # free text: names, identities, numbers, SIDs
    "message": "Hello from callbox",
    "words": "callbox",
    "body": "Thanks for your message",
    "number": "+15558675310",
    "phone_number": "+15558675310",
    "to": "+15558675310",
    "from_": "+15017122661",
    "caller_id": "+15017122661",
    "name": "support",
    "value": "42",
    "identity": "alice",
    "client_identity": "alice",
    "participant_identity": "alice",
    "username": "alice",
    "password": "secret",
    "sip_url": "sip:alice@example.com",
    "sim_sid": "DE0123456789abcdef0123456789abcdef",
    "sid": "AP0123456789abcdef0123456789abcdef",
    "application_sid": "AP0123456789abcdef0123456789abcdef",
    "coach": "CA0123456789abcdef0123456789abcdef",
    "workflow_sid": "WW0123456789abcdef0123456789abcdef",
    "reservation_sid": "WR0123456789abcdef0123456789abcdef",
    "post_work_activity_sid": "WA0123456789abcdef0123456789abcdef",
    "service_instance_sid": "IS0123456789abcdef0123456789abcdef",
    "recording_configuration_id": "RC0123456789abcdef0123456789abcdef",
    "intelligence_service": "GA0123456789abcdef0123456789abcdef",
    "byoc": "BY0123456789abcdef0123456789abcdef",
    "customer_id": "customer-42",
    "customer_name": "Ada",
    "passports": "eyJhbGciOiJFUzI1NiJ9",
    "participant_label": "agent",
    "connector_name": "my-connector",
    "connector": "my-connector",
    "ai_connector": "my-connector",
    "ai_session_configuration": "my-configuration",
    "session_configuration": "my-configuration",
    "payment_connector": "Default",
    "currency": "usd",
    "description": "Order 42",
    "hints": "yes, no, $OOV_CLASS_DIGIT_SEQUENCE",
    "speech_model": "phone_call",
    "voice": "Polly.Joanna-Neural",
    "tts_provider": "ElevenLabs",
    "transcription_provider": "Deepgram",
    "transcription_engine": "google",
    "audio_format": "audio/x-mulaw",
    "inbound_track_label": "customer",
    "outbound_track_label": "agent",
    "welcome_greeting": "Hi! How can I help?",
    "report_input_during_agent_speech": "none",
    "include_in_prompt": "turn-state",
    "speechTimeout": "2000",
    "alias": "World Wide Web Consortium",
}

# Where one name means different things on different elements: (builder method, keyword).
OVERRIDES: dict[tuple[str, str], object] = {
    ("conference", "status_callback_event"): "start end join leave mute hold",
    ("conference", "record"): "record-from-start",
    ("conversation", "status_callback_event"): "call-initiated call-answered call-completed",
    ("recording", "track"): "both",
    ("pay", "input"): "dtmf",
    ("record", "finish_on_key"): "1234567890*#",
    ("task", "body"): '{"selected_language": "es"}',
}


def valid_value(method: str, keyword: str) -> object:
    """A valid value for a builder keyword, from its name; fails for a name no rule knows."""
    if (method, keyword) in OVERRIDES:
        return OVERRIDES[(method, keyword)]
    if keyword in VALUES:
        return VALUES[keyword]
    if keyword in BOOLEAN_KEYWORDS:
        return True
    if keyword == "method" or keyword.endswith("_method"):
        return "GET"
    if keyword in ("action", "url") or keyword.endswith(("_url", "callback")):
        return URL
    pytest.fail(f"no valid value known for keyword {keyword!r} of {method}(): add it to the table")


# -- The builders --------------------------------------------------------------------------------

EXCLUDED = {
    ("VoiceResponse", "queue"): "<Queue> is a noun of <Dial>; at the top level it is invalid "
    "(reference/twiml.md 2.12). Covered as Dial.queue.",
    ("VoiceResponse", "prompt"): "<Prompt> is a noun of <Pay>; at the top level it is invalid "
    "(reference/twiml.md 2.12). Covered as Pay.prompt.",
}
"""Builder methods that emit TwiML Twilio rejects; a test checks the schema rejects them too."""

REQUIRED_CHILD = {"Connect": "room", "Refer": "sip", "Start": "stream", "Stop": "stream"}
"""Elements that are invalid without a child (Connect and Refer: exactly one); the builder that
adds the simplest one, called when a generated element has no child of its own."""


@dataclass(frozen=True)
class Builder:
    """One builder method, and how to reach an instance of the class that owns it."""

    module: ModuleType
    owner: type[TwiML]
    method: str
    path: tuple[str, ...]
    """Builder methods from the response to an instance of ``owner``."""

    @property
    def id(self) -> str:
        return f"{self.owner.__name__}.{self.method}"

    @property
    def dialect(self) -> Dialect:
        return Dialect.MESSAGING if self.module is messaging_response else Dialect.VOICE

    def parameters(self) -> list[inspect.Parameter]:
        signature = inspect.signature(getattr(self.owner, self.method))
        return [
            parameter
            for parameter in list(signature.parameters.values())[1:]
            if parameter.kind is not inspect.Parameter.VAR_KEYWORD
        ]


def builder_methods(cls: type[TwiML]) -> list[str]:
    """The public methods of a builder class that create and nest a child element."""
    return sorted(
        name
        for name, function in vars(cls).items()
        if not name.startswith("_")
        and inspect.isfunction(function)
        and "self.nest(" in inspect.getsource(function)
    )


def call(parent: TwiML, method: str, parameters: list[inspect.Parameter], *, every: bool) -> TwiML:
    """Call a builder: required parameters always, optional ones only with ``every``."""
    arguments: dict[str, Any] = {
        parameter.name: valid_value(method, parameter.name)
        for parameter in parameters
        if every or parameter.default is inspect.Parameter.empty
    }
    builder: Callable[..., TwiML] = getattr(parent, method)
    child = builder(**arguments)
    assert isinstance(child, TwiML), f"{method}() did not return a TwiML element"
    return child


def _response_class(module: ModuleType) -> type[TwiML]:
    response: type[TwiML] = (
        messaging_response.MessagingResponse
        if module is messaging_response
        else voice_response.VoiceResponse
    )
    return response


def _instance_at(module: ModuleType, path: tuple[str, ...]) -> tuple[TwiML, TwiML]:
    """A fresh response and, in it, the chain of no-keyword builders of ``path``; its last node."""
    response: TwiML = _response_class(module)()
    node = response
    for method in path:
        parameters = Builder(module, type(node), method, ()).parameters()
        node = call(node, method, parameters, every=False)
    return response, node


def discover(module: ModuleType) -> list[Builder]:
    """Every builder method reachable from the module's response class, breadth first."""
    response = _response_class(module)
    found: list[Builder] = []
    seen: set[type[TwiML]] = {response}
    queue: deque[tuple[type[TwiML], tuple[str, ...]]] = deque([(response, ())])
    while queue:
        owner, path = queue.popleft()
        for method in builder_methods(owner):
            found.append(Builder(module, owner, method, path))
            if (owner.__name__, method) in EXCLUDED:
                continue
            child = type(_instance_at(module, (*path, method))[1])
            if child not in seen:
                seen.add(child)
                queue.append((child, (*path, method)))
    return found


BUILDERS = discover(voice_response) + discover(messaging_response)
CASES = [b for b in BUILDERS if (b.owner.__name__, b.method) not in EXCLUDED]


def generate(builder: Builder, *, every: bool) -> tuple[bytes, TwiML]:
    """A whole document in which ``builder`` is called, with all keywords or with none."""
    response, parent = _instance_at(builder.module, builder.path)
    child = call(parent, builder.method, builder.parameters(), every=every)
    required = REQUIRED_CHILD.get(type(child).__name__)
    if required is not None and not child.verbs:
        parameters = Builder(builder.module, type(child), required, ()).parameters()
        call(child, required, parameters, every=False)
    return response.to_xml().encode("utf-8"), child


def schema_findings(document: bytes, dialect: Dialect) -> list[str]:
    parsed = parse(document, "generated.xml")
    assert parsed.diagnostics == (), document
    assert parsed.root is not None
    return [d.format() for d in validate(parsed.root, parsed.source, dialect)]


# -- Tests ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("builder", CASES, ids=lambda b: b.id)
def test_builder_with_every_keyword_validates(builder: Builder) -> None:
    document, _ = generate(builder, every=True)
    assert schema_findings(document, builder.dialect) == [], document.decode()


@pytest.mark.parametrize("builder", CASES, ids=lambda b: b.id)
def test_builder_without_keywords_validates(builder: Builder) -> None:
    document, _ = generate(builder, every=False)
    assert schema_findings(document, builder.dialect) == [], document.decode()


def test_every_builder_class_of_the_twilio_modules_is_reached() -> None:
    reached = {b.owner for b in BUILDERS} | {type(generate(b, every=False)[1]) for b in CASES}
    for module in (voice_response, messaging_response):
        defined = {
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, TwiML) and cls.__module__ == module.__name__
        }
        assert defined - reached == set()


AMAZON = "{http://www.amazon.com/xml/ns/amazon}"
SCHEMA_EXTRAS = {
    ("Response", "version"): "legacy attribute of Twilio's 2008 API (12101)",
    ("MediaFilter", None): "twilio-node 6.3 only",
    ("ConversationRelay", "conversationConfiguration"): "twilio-node 6.3 only",
    ("ConversationRelay", "conversationId"): "twilio-node 6.3 only",
    ("Transcription", "conversationConfiguration"): "twilio-node 6.3 only",
    ("Transcription", "conversationId"): "twilio-node 6.3 only",
    (f"{AMAZON}effect", None): "Polly SSML; twilio-python can write it only with add_child()",
    (f"{AMAZON}domain", None): "Polly SSML; twilio-python can write it only with add_child()",
}
"""What the schemas declare beyond what the builders emit, each with the reason (None: every
attribute of the element)."""


@pytest.mark.parametrize("dialect", [Dialect.VOICE, Dialect.MESSAGING])
def test_the_schema_declares_what_the_builders_emit_and_little_more(dialect: Dialect) -> None:
    emitted: set[tuple[str, str | None]] = set()
    for builder in (b for b in CASES if b.dialect is dialect):
        parsed = parse(generate(builder, every=True)[0])
        assert parsed.root is not None
        for element in parsed.root.iter(etree.Element):
            emitted.add((str(element.tag), None))
            emitted |= {(str(element.tag), str(name)) for name in element.attrib}
    vocabulary = compiled(dialect).vocabulary
    declared = {(tag, None) for tag in vocabulary.attributes} | {
        (tag, name) for tag, names in vocabulary.attributes.items() for name in names
    }
    extras = {(tag, name) for tag, name in declared - emitted if (tag, None) not in SCHEMA_EXTRAS}
    assert extras - set(SCHEMA_EXTRAS) == set()
    assert emitted - declared == set()
    assert emitted & set(SCHEMA_EXTRAS) == set(), "an extra is emitted now: drop it from the list"


@pytest.mark.parametrize("method", sorted(m for _, m in EXCLUDED))
def test_excluded_builders_emit_twiml_the_schema_rejects(method: str) -> None:
    assert ("VoiceResponse", method) in {(b.owner.__name__, b.method) for b in BUILDERS}
    response = voice_response.VoiceResponse()
    builder = Builder(voice_response, voice_response.VoiceResponse, method, ())
    call(response, method, builder.parameters(), every=True)
    findings = schema_findings(response.to_xml().encode(), Dialect.VOICE)
    assert len(findings) == 1
    assert "is not allowed inside <Response>" in findings[0]


def test_callbox_lint_reports_no_errors_on_any_builder_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole `callbox lint` command, over every builder with every keyword and with none, in
    Twilio's severities (``--warn-only``): the generated values are placeholders (an empty
    ``<Say/>``, a ``<Stream url>`` that is an http URL) that Twilio only warns about."""
    for index, builder in enumerate(CASES):
        for every in (True, False):
            document, _ = generate(builder, every=every)
            folder = tmp_path / builder.dialect.value
            folder.mkdir(exist_ok=True)
            (folder / f"{index:03d}-{'all' if every else 'none'}.xml").write_bytes(document)
    errors: list[str] = []
    for dialect in (Dialect.VOICE, Dialect.MESSAGING):
        status = main(
            [
                "lint",
                "--warn-only",
                "--format",
                "json",
                "--dialect",
                dialect.value,
                str(tmp_path / dialect.value),
            ]
        )
        findings = json.loads(capsys.readouterr().out)
        errors += [
            f"{f['path']}:{f['line']}:{f['column']}: {f['code']} {f['message']}"
            for f in findings
            if f["severity"] == "error"
        ]
        assert status == 0, errors
    assert errors == []
    assert len(list(tmp_path.rglob("*.xml"))) == 2 * len(CASES)
