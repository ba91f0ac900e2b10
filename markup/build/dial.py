"""Builders of ``<Dial>`` and its nouns; ``<Dial callerId>`` is checked against the nouns it rings."""

from __future__ import annotations

from typing import Any

from lxml import etree

from callbox import codes
from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    ATTRIBUTE_RULES,
    BOOL,
    METHOD,
    NAME_VALUE,
    RECORDING_EVENTS,
    SEND_DIGITS,
    TEXT,
    TRIM,
    URL,
    BuildContext,
    Builder,
    ChildRule,
    RuleSpec,
    TextRule,
    attribute_values,
    build_parameter,
    coerced,
    element_builder,
    fast_constructor,
    node_position,
    own_text,
    register,
    text_content,
    unknown,
)

_new_client = fast_constructor(m.Client)
_new_application = fast_constructor(m.Application)
_new_dial = fast_constructor(m.Dial)
CALL_EVENTS = a.choices(m.CallEvent)
MACHINE_DETECTION: dict[str, RuleSpec] = {
    "machineDetection": a.choice(m.MachineDetection),
    "machineDetectionTimeout": a.seconds(3, 60),
    "machineDetectionSpeechThreshold": a.integer(1000, 6000, unit="milliseconds"),
    "machineDetectionSpeechEndThreshold": a.integer(500, 5000, unit="milliseconds"),
    "machineDetectionSilenceTimeout": a.integer(2000, 10000, unit="milliseconds"),
    "amdStatusCallback": URL,
    "amdStatusCallbackMethod": METHOD,
}
DIALED_CALLBACKS: dict[str, RuleSpec] = {
    "url": URL,
    "method": METHOD,
    "statusCallbackEvent": CALL_EVENTS,
    "statusCallback": URL,
    "statusCallbackMethod": METHOD,
}
build_header = element_builder(m.Header, register(m.Header, NAME_VALUE))


# --- Dial and its nouns ------------------------------------------------------------------------------

build_number = element_builder(
    m.Number,
    register(
        m.Number,
        {
            **DIALED_CALLBACKS,
            "method": (METHOD, codes.NUMBER_METHOD),
            "sendDigits": (SEND_DIGITS, codes.NUMBER_SEND_DIGITS),
            "byoc": TEXT,
            **MACHINE_DETECTION,
        },
    ),
    text=TextRule("number", a.phone_number, codes.NUMBER_FORMAT),
)
build_identity = element_builder(m.Identity, register(m.Identity, {}), text=TextRule("identity"))
register(m.Client, DIALED_CALLBACKS)


def _text_or_child(
    element: etree._Element, tag: str, build_child: Builder, context: BuildContext
) -> tuple[str, list[m.Parameter]]:
    """A noun named by its own text or, failing that, by the text of its ``tag`` child (``<Client>``
    and ``<Identity>``, ``<Application>`` and ``<ApplicationSid>``), plus its ``<Parameter>``s."""
    text = own_text(element).strip()
    parameters: list[m.Parameter] = []
    for child in element:
        if child.tag == tag and not text:
            build_child(child, context)
            text = text_content(child)
        elif child.tag == "Parameter":
            parameters.append(build_parameter(child, context))
    return text, parameters


def build_client(element: etree._Element, context: BuildContext) -> m.Client | None:
    """``<Client>``: the identity is the text, or the text of ``<Identity>``."""
    values = attribute_values(element, ATTRIBUTE_RULES[m.Client], context)
    identity, parameters = _text_or_child(element, "Identity", build_identity, context)
    if not context.model:
        return None
    return _new_client(
        identity=identity, parameters=tuple(parameters), position=node_position(element), **values
    )


build_conference = element_builder(
    m.Conference,
    register(
        m.Conference,
        {
            "muted": (BOOL, codes.CONFERENCE_MUTED),
            "beep": (a.choice(m.ConferenceBeep), codes.CONFERENCE_BEEP),
            "startConferenceOnEnter": (BOOL, codes.CONFERENCE_START_ON_ENTER),
            "endConferenceOnExit": (BOOL, codes.CONFERENCE_END_ON_EXIT),
            "waitUrl": (URL, codes.CONFERENCE_WAIT_URL),
            "waitMethod": (METHOD, codes.CONFERENCE_WAIT_METHOD),
            "maxParticipants": a.integer(2, 250),
            "record": a.choice(m.ConferenceRecord),
            "region": a.choice(m.ConferenceRegion),
            "coach": TEXT,
            "trim": (TRIM, codes.CONFERENCE_TRIM),
            "statusCallbackEvent": a.choices(m.ConferenceEvent),
            "statusCallback": URL,
            "statusCallbackMethod": METHOD,
            "recordingStatusCallback": URL,
            "recordingStatusCallbackMethod": METHOD,
            "recordingStatusCallbackEvent": RECORDING_EVENTS,
            "eventCallbackUrl": URL,
            "jitterBufferSize": a.choice(m.JitterBufferSize),
            "participantLabel": TEXT,
            "recordingConfigurationId": TEXT,
        },
    ),
    text=TextRule("name", code=codes.CONFERENCE_NAME, required="a conference name"),
)
build_queue = element_builder(
    m.Queue,
    register(
        m.Queue,
        {
            "url": URL,
            "method": METHOD,
            "reservationSid": TEXT,
            "postWorkActivitySid": TEXT,
        },
    ),
    text=TextRule("name"),
)
build_uri = element_builder(
    m.Uri,
    register(
        m.Uri,
        {"priority": a.integer(0), "weight": a.integer(0), "username": TEXT, "password": TEXT},
    ),
    text=TextRule("uri", a.sip_uri, codes.SIP_URI),
)
build_headers = element_builder(
    m.Headers, register(m.Headers, {}), children={"Header": ChildRule("items", build_header)}
)
build_sip = element_builder(
    m.Sip,
    register(
        m.Sip,
        {
            **DIALED_CALLBACKS,
            "method": (METHOD, codes.SIP_METHOD),
            "username": TEXT,
            "password": TEXT,
            **MACHINE_DETECTION,
        },
    ),
    text=TextRule("uri", a.sip_uri, codes.SIP_URI),
    children={
        "Uri": ChildRule("uris", build_uri),
        "Headers": ChildRule("headers", build_headers, single=True),
    },
)
build_sim = element_builder(m.Sim, register(m.Sim, {}), text=TextRule("sim_sid"))
build_application_sid = element_builder(
    m.ApplicationSid, register(m.ApplicationSid, {}), text=TextRule("sid")
)
register(m.Application, {**DIALED_CALLBACKS, "customerId": TEXT, "copyParentTo": BOOL})


def build_application(element: etree._Element, context: BuildContext) -> m.Application | None:
    """``<Application>``: the SID is the text, or the text of ``<ApplicationSid>``."""
    values = attribute_values(element, ATTRIBUTE_RULES[m.Application], context)
    sid, parameters = _text_or_child(element, "ApplicationSid", build_application_sid, context)
    if not context.model:
        return None
    return _new_application(
        application_sid=sid,
        parameters=tuple(parameters),
        position=node_position(element),
        **values,
    )


build_whatsapp = element_builder(
    m.WhatsApp, register(m.WhatsApp, DIALED_CALLBACKS), text=TextRule("phone_number")
)

DIAL_NOUNS: dict[str, Builder] = {
    "Number": build_number,
    "Client": build_client,
    "Conference": build_conference,
    "Queue": build_queue,
    "Sip": build_sip,
    "Sim": build_sim,
    "Application": build_application,
    "WhatsApp": build_whatsapp,
}
DIAL_RULES = register(
    m.Dial,
    {
        "action": URL,
        "method": (METHOD, codes.DIAL_METHOD),
        "timeout": (a.seconds(1), codes.DIAL_TIMEOUT),
        "callerId": (TEXT, codes.DIAL_CALLER_ID),  # checked in build_dial: it depends on nouns
        "hangupOnStar": (BOOL, codes.DIAL_HANGUP_ON_STAR),
        "timeLimit": (a.seconds(1, 86400), codes.DIAL_TIME_LIMIT),
        "record": (
            a.choice(
                m.DialRecord,
                {"true": m.DialRecord.RECORD_FROM_ANSWER, "false": m.DialRecord.DO_NOT_RECORD},
            ),
            codes.DIAL_RECORD,
        ),
        "trim": TRIM,
        "recordingStatusCallback": URL,
        "recordingStatusCallbackMethod": METHOD,
        "recordingStatusCallbackEvent": RECORDING_EVENTS,
        "recordingTrack": a.choice(m.RecordingTrack),
        "answerOnBridge": (BOOL, codes.DIAL_ANSWER_ON_BRIDGE),
        "ringTone": (a.choice(m.RingTone), codes.DIAL_RING_TONE),
        "sequential": (BOOL, codes.DIAL_SEQUENTIAL),
        "referUrl": URL,
        "referMethod": METHOD,
        "events": a.choices(m.DialEvent),
        "recordingConfigurationId": TEXT,
        "passports": TEXT,
    },
)


_CALLER_IDS: dict[str, Any] = {}
_SIP_CALLER_IDS: dict[str, Any] = {}
"""``<Dial callerId>`` values already checked, without and with a ``<Sip>`` to ring."""


def build_dial(element: etree._Element, context: BuildContext) -> m.Dial | None:
    """``<Dial>``: a number as text, or nouns; ``<Conference>`` may not share a ``<Dial>``."""
    values = attribute_values(element, DIAL_RULES, context)
    text = own_text(element).strip()
    number: str | None = None
    if text:
        checked = a.phone_number(text)
        if isinstance(checked, a.Problem):
            context.invalid_text(element, codes.NUMBER_FORMAT, text, checked)
        number = text
    nouns: list[m.DialNoun] = []
    conference: etree._Element | None = None
    others: set[str] = set()
    for child in element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        noun_builder = DIAL_NOUNS.get(tag)
        if noun_builder is None:
            context.misplaced(child, element, codes.DIAL_NESTED)
            nouns.append(unknown(child))
            continue
        if tag != "Conference":
            others.add(f"<{tag}>")
        elif conference is None:
            conference = child
        nouns.append(noun_builder(child, context))
    caller = values.get("caller_id")
    if caller is not None:
        sip = "<Sip>" in others
        checked = coerced(
            _SIP_CALLER_IDS if sip else _CALLER_IDS, a.sip_caller_id if sip else a.caller_id, caller
        )
        if isinstance(checked, a.Problem):
            context.invalid_attribute(element, DIAL_RULES["callerId"], caller, checked)
            del values["caller_id"]
        else:
            values["caller_id"] = checked
    if conference is not None and others:
        context.report(
            codes.CONFERENCE_MIXED,
            "<Conference> cannot be mixed with other nouns in one <Dial> (also found "
            f"{', '.join(sorted(others))})",
            context.source.element_position(conference),
            "Put the <Conference> in a <Dial> of its own.",
        )
    if not context.model:
        return None
    return _new_dial(number=number, nouns=tuple(nouns), position=node_position(element), **values)
