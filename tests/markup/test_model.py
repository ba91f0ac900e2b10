"""The typed model: one naming rule, Twilio's defaults, and no tag of the twilio builders missing."""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

import pytest
from twilio.twiml import TwiML, messaging_response, voice_response

from callbox.markup import model as m
from callbox.markup.build import ATTRIBUTE_RULES, BUILDERS
from callbox.markup.source import Position

# --- the naming rule --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("finishOnKey", "finish_on_key"),
        ("maxParticipants", "max_participants"),
        ("machineDetectionSpeechEndThreshold", "machine_detection_speech_end_threshold"),
        ("amdStatusCallback", "amd_status_callback"),
        ("from", "from_"),
        ("for", "for_"),
        ("xml:lang", "xml_lang"),
        ("interpret-as", "interpret_as"),
        ("vocal-tract-length", "vocal_tract_length"),
        ("loop", "loop"),
        ("url", "url"),
    ],
)
def test_snake_case_is_the_one_naming_rule(wire: str, python: str) -> None:
    assert m.snake_case(wire) == python


def twilio_lower_camel(name: str) -> str:
    """twilio's own mapping from a keyword argument to an attribute (``TwiML.__init__``)."""
    element = TwiML(**{name: "x"})
    [attribute] = element.attrs
    return str(attribute)


@pytest.mark.parametrize(
    "python", ["finish_on_key", "status_callback_event", "from_", "xml_lang", "interpret_as"]
)
def test_snake_case_inverts_twilios_keyword_mapping(python: str) -> None:
    assert m.snake_case(twilio_lower_camel(python)) == python


# --- every tag the twilio builders emit --------------------------------------------------------------

BUILDER_PLUMBING = {"append", "nest", "xml", "to_xml", "add_child"}


def builder_methods(cls: type) -> Iterator[tuple[str, Any]]:
    for name, function in inspect.getmembers(cls, inspect.isfunction):
        if not name.startswith("_") and name not in BUILDER_PLUMBING:
            yield name, function


def emitted_elements() -> dict[tuple[str, str], tuple[set[str], set[str]]]:
    """(parent tag, tag) -> (attribute names, builder keyword names) for every builder method
    reachable from ``VoiceResponse`` and ``MessagingResponse``, each called with every keyword."""
    found: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    seen: set[type] = set()
    pending: list[tuple[type[TwiML], str]] = [
        (voice_response.VoiceResponse, "Response"),
        (messaging_response.MessagingResponse, "Response"),
    ]
    while pending:
        cls, tag = pending.pop()
        for _name, function in builder_methods(cls):
            parameters = [
                p
                for p in inspect.signature(function).parameters.values()
                if p.name != "self" and p.kind is not p.VAR_KEYWORD
            ]
            parent = object.__new__(cls)  # a bare instance: no builder defines __new__
            TwiML.__init__(parent)
            child = function(parent, **{p.name: "x" for p in parameters})
            element = child.xml()
            keywords = {p.name for p in parameters if twilio_lower_camel(p.name) in element.attrib}
            attributes, names = found.setdefault((tag, element.tag), (set(), set()))
            attributes.update(element.attrib)
            names.update(keywords)
            if type(child) not in seen:
                seen.add(type(child))
                pending.append((type(child), element.tag))
    return found


EMITTED = emitted_elements()


def model_class(parent: str, tag: str) -> type | None:
    return m.CONTEXT_CLASSES.get((parent, tag)) or m.MODEL_CLASSES.get(tag)


def test_the_twilio_builders_were_walked_deeply() -> None:
    tags = {tag for _, tag in EMITTED}
    assert {"Say", "Gather", "Dial", "Number", "say-as", "ConversationRelay", "Message"} <= tags
    assert len(tags) > 55


def test_every_tag_the_twilio_builders_emit_has_a_model_class() -> None:
    missing = sorted(
        f"{parent}/{tag}" for parent, tag in EMITTED if model_class(parent, tag) is None
    )
    assert missing == []


def test_every_attribute_the_twilio_builders_emit_has_a_field_named_by_the_rule() -> None:
    missing = []
    for (parent, tag), (attributes, _) in sorted(EMITTED.items()):
        cls = model_class(parent, tag)
        assert cls is not None
        fields = {f.name for f in dataclasses.fields(cls)}
        missing += [f"{tag}@{name}" for name in attributes if m.snake_case(name) not in fields]
    assert missing == []


def test_every_builder_keyword_for_an_attribute_is_a_field_name() -> None:
    """twilio's keyword arguments (``finish_on_key``) are our field names (a few of twilio's
    keywords are camelCase, like ``speechTimeout``: the rule maps those too)."""
    missing = []
    for (parent, tag), (_, keywords) in sorted(EMITTED.items()):
        cls = model_class(parent, tag)
        assert cls is not None
        fields = {f.name for f in dataclasses.fields(cls)}
        missing += [f"{tag}({name}=)" for name in keywords if m.snake_case(name) not in fields]
    assert keywords_seen() > 250
    assert missing == []


def keywords_seen() -> int:
    return sum(len(keywords) for _, keywords in EMITTED.values())


def test_every_attribute_the_twilio_builders_emit_is_read_by_the_builder() -> None:
    unread = []
    for (parent, tag), (attributes, _) in sorted(EMITTED.items()):
        cls = model_class(parent, tag)
        assert cls is not None
        known = {rule.name for rule in ATTRIBUTE_RULES[cls].values()}
        unread += [f"{tag}@{name}" for name in attributes - known]
    assert unread == []


def test_every_model_tag_has_a_builder() -> None:
    lxml_tags = {
        tag.replace("amazon:", "{http://www.amazon.com/xml/ns/amazon}")
        for tag in m.MODEL_CLASSES
        if tag != "Response"
    }
    assert lxml_tags - set(BUILDERS) == set()


# --- the dataclasses themselves -------------------------------------------------------------------


def all_model_classes() -> list[type]:
    return sorted({*m.MODEL_CLASSES.values(), *m.CONTEXT_CLASSES.values(), m.Unknown}, key=str)


@pytest.mark.parametrize("cls", all_model_classes(), ids=lambda cls: cls.__name__)
def test_model_nodes_are_frozen_and_carry_a_position_that_does_not_count_for_equality(
    cls: type,
) -> None:
    arguments = {"tag": "Foo"} if cls is m.Unknown else {}
    here = cls(**arguments, position=Position(3, 5))
    elsewhere = cls(**arguments, position=Position(9, 1))
    assert here == elsewhere
    assert hash(here) == hash(elsewhere)
    assert here.position == Position(3, 5)
    with pytest.raises(dataclasses.FrozenInstanceError):
        here.position = Position(1, 1)


@pytest.mark.parametrize(
    ("member", "wire"),
    [
        (m.HttpMethod.POST, "POST"),
        (m.GatherInput.SPEECH, "speech"),
        (m.RejectReason.BUSY, "busy"),
        (m.DialRecord.RECORD_FROM_ANSWER_DUAL, "record-from-answer-dual"),
        (m.Trim.DO_NOT_TRIM, "do-not-trim"),
        (m.ConferenceBeep.ON_ENTER, "onEnter"),
    ],
)
def test_enum_values_are_the_wire_strings(member: StrEnum, wire: str) -> None:
    assert member == wire


def test_unknown_keeps_attributes_as_written() -> None:
    node = m.Unknown("Foo", (("bar", "1"), ("baz", "")))
    assert node.get("bar") == "1"
    assert node.get("baz") == ""
    assert node.get("missing") is None


# --- defaults: the reference tables (twiml.md §2, §3) ----------------------------------------------

REFERENCE_DEFAULTS: list[tuple[type, dict[str, Any]]] = [
    (m.Say, {"voice": "man", "language": "en-US", "loop": 1}),
    (m.Play, {"loop": 1, "digits": None}),
    (m.Pause, {"length": 1}),
    (
        m.Gather,
        {
            "action": None,
            "method": "POST",
            "input": {"dtmf"},
            "timeout": 5,
            "finish_on_key": "#",
            "num_digits": None,
            "speech_timeout": None,
            "max_speech_time": 60,
            "speech_model": "default",
            "enhanced": False,
            "language": "en-US",
            "hints": None,
            "profanity_filter": True,
            "barge_in": True,
            "partial_result_callback_method": "POST",
            "action_on_empty_result": False,
            "debug": False,
        },
    ),
    (
        m.Record,
        {
            "action": None,
            "method": "POST",
            "timeout": 5,
            "finish_on_key": "1234567890*#",
            "max_length": 3600,
            "play_beep": True,
            "trim": "trim-silence",
            "recording_status_callback_method": "POST",
            "recording_status_callback_event": {"completed"},
            "transcribe": False,
        },
    ),
    (
        m.Dial,
        {
            "action": None,
            "method": "POST",
            "timeout": 30,
            "caller_id": None,
            "hangup_on_star": False,
            "time_limit": 14400,
            "record": "do-not-record",
            "trim": "do-not-trim",
            "recording_status_callback_event": {"completed"},
            "recording_track": "both",
            "answer_on_bridge": False,
            "ring_tone": None,
            "sequential": False,
            "refer_method": "POST",
        },
    ),
    (
        m.Number,
        {
            "method": "POST",
            "status_callback_event": {"completed"},
            "machine_detection_timeout": 30,
            "machine_detection_speech_threshold": 2400,
            "machine_detection_speech_end_threshold": 1200,
            "machine_detection_silence_timeout": 5000,
        },
    ),
    (
        m.Conference,
        {
            "muted": False,
            "beep": "true",
            "start_conference_on_enter": True,
            "end_conference_on_exit": False,
            "wait_method": "POST",
            "max_participants": 250,
            "record": "do-not-record",
        },
    ),
    (m.Redirect, {"method": "POST", "url": ""}),
    (m.Reject, {"reason": "rejected"}),
    (m.Enqueue, {"action": None, "method": "POST", "wait_url_method": "POST"}),
    (m.Stream, {"track": "inbound_track", "status_callback_method": "POST"}),
    (m.Message, {"to": None, "from_": None, "action": None, "method": "POST"}),
    (m.Sms, {"to": None, "from_": None, "method": "POST"}),
    (m.Pay, {"input": "dtmf", "timeout": 5, "max_attempts": 1, "security_code": True}),
    (m.Queue, {"method": "POST"}),
    (m.Client, {"method": "POST"}),
]


@pytest.mark.parametrize(
    ("cls", "expected"), REFERENCE_DEFAULTS, ids=[cls.__name__ for cls, _ in REFERENCE_DEFAULTS]
)
def test_defaults_are_twilios(cls: type, expected: dict[str, Any]) -> None:
    node = cls()
    actual = {name: getattr(node, name) for name in expected}
    assert actual == {
        name: frozenset(value) if isinstance(value, set) else value
        for name, value in expected.items()
    }


# --- spoken text ------------------------------------------------------------------------------------


def test_spoken_text_flattens_ssml_and_reads_sub_as_its_alias() -> None:
    children: tuple[m.SayContent, ...] = (
        "Welcome to ",
        m.SsmlSub(alias="World Wide Web", children=("WWW",)),
        m.SsmlBreak(time="1s"),
        m.SsmlProsody(rate="slow", children=("press ", m.SsmlEmphasis(children=("one",)))),
        m.SsmlP(children=("Goodbye.",)),
    )
    assert m.spoken_text(children) == "Welcome to World Wide Web press one Goodbye."


def test_spoken_text_collapses_indentation() -> None:
    assert m.spoken_text(("\n    Hello,\n    world.\n  ",)) == "Hello, world."


def test_spoken_text_skips_unknown_elements() -> None:
    assert m.spoken_text(("Hi", m.Unknown("foo"), " there")) == "Hi there"
