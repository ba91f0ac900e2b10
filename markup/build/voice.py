"""Builders of the voice verbs that prompt, listen and control the call: ``<Say>``, ``<Play>``,
``<Pause>``, ``<Gather>``, ``<Record>``, ``<Hangup>``, ``<Redirect>``, ``<Reject>``,
``<Enqueue>``, ``<Leave>``, ``<Echo>`` and ``<Sms>``, with the checks across their attributes.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from callbox import codes
from callbox.markup import attributes as a
from callbox.markup import model as m
from callbox.markup.build.common import (
    BOOL,
    DTMF_KEYS,
    METHOD,
    PARAMETERS,
    PLAY_DIGITS,
    RECORDING_EVENTS,
    TEXT,
    TRIM,
    URL,
    BuildContext,
    Builder,
    ChildRule,
    Rules,
    RuleSpec,
    TextRule,
    attribute_values,
    element_builder,
    fast_constructor,
    node_position,
    register,
    report_attributes,
    rules,
)
from callbox.markup.build.ssml import mixed_content
from callbox.markup.limits import MAX_SAY_CHARACTERS

MAX_QUEUE_NAME = 64
"""Twilio's limit on a queue name (14205)."""


_new_say = fast_constructor(m.Say)
GATHER_FINISH_ON_KEY = a.digits(
    DTMF_KEYS, max_length=1, describe="one key of 0-9, * or #, or empty for none"
)
RECORD_FINISH_ON_KEY = a.digits(DTMF_KEYS, describe="keys among 0-9, * and #, or empty for none")

build_pause = element_builder(
    m.Pause, register(m.Pause, {"length": (a.seconds(1), codes.PAUSE_LENGTH)})
)
PLAY_RULES = register(
    m.Play,
    {"loop": (a.integer(0), codes.PLAY_LOOP), "digits": (PLAY_DIGITS, codes.PLAY_DIGITS)},
)
build_play = element_builder(m.Play, PLAY_RULES, text=TextRule("url", URL))


def _say_builder(table: Rules) -> Builder:
    def build(element: etree._Element, context: BuildContext) -> m.Say | None:
        if context.model:
            values = attribute_values(element, table, context)
        else:
            values = {}
            report_attributes(element, table, context)
        if not context.model and not len(element):
            # Plain text: spoken (blanks collapsed), it is neither empty nor too long.
            plain = element.text
            if plain and len(plain) <= MAX_SAY_CHARACTERS and not plain.isspace():
                return None
        children = mixed_content(element, context)
        if len(children) == 1 and isinstance(children[0], str):
            text = " ".join(children[0].split())
        else:
            text = m.spoken_text(children)
        if not text:
            # Only a <Say> without SSML is empty: SSML alone (a <break>) is a deliberate pause.
            if all(isinstance(child, str | m.Unknown) for child in children):
                context.report(
                    codes.SAY_EMPTY,
                    "<Say> has no text to speak",
                    context.source.element_position(element),
                    "Put the words to speak inside <Say>, or remove it.",
                )
        elif len(text) > MAX_SAY_CHARACTERS:
            context.report(
                codes.SAY_TOO_LONG,
                f"<Say> text is {len(text):,} characters; Twilio's limit is {MAX_SAY_CHARACTERS:,}",
                context.source.text_position(element),
                "Split the text over several <Say> verbs.",
            )
        if not context.model:
            return None
        return _new_say(text=text, children=children, position=node_position(element), **values)

    return build


SAY_SPECS: dict[str, RuleSpec] = {
    "voice": (a.voice_name, codes.SAY_VOICE),
    "language": (a.language_tag, codes.SAY_LANGUAGE),
    "loop": (a.integer(0), codes.SAY_LOOP),
}
build_say = _say_builder(register(m.Say, SAY_SPECS))
build_gather_say = _say_builder(
    rules(
        m.Say,
        {
            **SAY_SPECS,
            "voice": (a.voice_name, codes.GATHER_SAY_VOICE),
            "loop": (a.integer(0), codes.GATHER_SAY_LOOP),
        },
    )
)
"""``<Say>`` inside ``<Gather>``: Twilio reports its bad voice and loop as 13321 and 13322."""

# --- Gather, Record ---------------------------------------------------------------------------------

GATHER_RULES = register(
    m.Gather,
    {
        "action": URL,
        "method": (METHOD, codes.GATHER_METHOD),
        "input": (a.choices(m.GatherInput), codes.GATHER_INPUT),
        "timeout": (a.seconds(1), codes.GATHER_TIMEOUT),
        "finishOnKey": (GATHER_FINISH_ON_KEY, codes.GATHER_FINISH_ON_KEY),
        "numDigits": (a.integer(1), codes.GATHER_NUM_DIGITS),
        "speechTimeout": (a.auto_or_seconds(0), codes.GATHER_SPEECH_TIMEOUT),
        "maxSpeechTime": (a.seconds(1, 60), codes.GATHER_MAX_SPEECH_TIME),
        "speechModel": (a.non_empty, codes.GATHER_SPEECH_MODEL),
        "enhanced": BOOL,
        "language": (a.language_tag, codes.GATHER_LANGUAGE),
        "hints": (a.non_empty, codes.GATHER_HINTS),
        "profanityFilter": (BOOL, codes.GATHER_PROFANITY_FILTER),
        "bargeIn": (BOOL, codes.GATHER_BARGE_IN),
        "partialResultCallback": URL,
        "partialResultCallbackMethod": (METHOD, codes.GATHER_PARTIAL_METHOD),
        "actionOnEmptyResult": (BOOL, codes.GATHER_ACTION_ON_EMPTY),
        "debug": BOOL,
    },
)
GATHER_CHILDREN = {
    "Say": ChildRule("children", build_gather_say),
    "Play": ChildRule("children", build_play),
    "Pause": ChildRule("children", build_pause),
}


def _gather_check(element: etree._Element, values: dict[str, Any], context: BuildContext) -> None:
    speech_timeout = values.get("speech_timeout", GATHER_RULES["speechTimeout"].default)
    if speech_timeout == m.AUTO and element.get("speechModel") == "default":
        context.report(
            codes.GATHER_AUTO_WITH_DEFAULT_MODEL,
            '<Gather> speechTimeout="auto" cannot be used with speechModel="default"',
            context.source.attribute_position(element, "speechTimeout"),
            "Give speechTimeout a number of seconds, or choose another speechModel.",
        )


build_gather = element_builder(
    m.Gather,
    GATHER_RULES,
    children=GATHER_CHILDREN,
    unknown_into="children",
    misplaced=codes.GATHER_NESTED,
    check=_gather_check,
)


RECORD_RULES = register(
    m.Record,
    {
        "action": URL,
        "method": (METHOD, codes.RECORD_METHOD),
        "timeout": (a.seconds(0), codes.RECORD_TIMEOUT),
        "finishOnKey": (RECORD_FINISH_ON_KEY, codes.RECORD_FINISH_ON_KEY),
        "maxLength": (a.seconds(1), codes.RECORD_MAX_LENGTH),
        "playBeep": (BOOL, codes.RECORD_PLAY_BEEP),
        "trim": (TRIM, codes.RECORD_TRIM),
        "recordingStatusCallback": URL,
        "recordingStatusCallbackMethod": METHOD,
        "recordingStatusCallbackEvent": (RECORDING_EVENTS, codes.RECORD_STATUS_EVENT),
        "transcribe": (BOOL, codes.RECORD_TRANSCRIBE),
        "transcribeCallback": URL,
        "recordingConfigurationId": TEXT,
    },
)
MAX_TRANSCRIBED_SECONDS = 120


def _record_check(element: etree._Element, values: dict[str, Any], context: BuildContext) -> None:
    transcribe = values.get("transcribe", RECORD_RULES["transcribe"].default)
    max_length = values.get("max_length", RECORD_RULES["maxLength"].default)
    if transcribe and max_length > MAX_TRANSCRIBED_SECONDS and element.get("maxLength") is not None:
        context.report(
            codes.RECORD_TRANSCRIBE_TOO_LONG,
            f'<Record> maxLength="{max_length}" is too long for transcribe="true": '
            f"Twilio transcribes recordings of at most {MAX_TRANSCRIBED_SECONDS} seconds",
            context.source.attribute_position(element, "maxLength"),
        )


build_record = element_builder(m.Record, RECORD_RULES, check=_record_check)


# --- Call control --------------------------------------------------------------------------------

build_hangup = element_builder(m.Hangup, register(m.Hangup, {}), children=PARAMETERS)
build_redirect = element_builder(
    m.Redirect,
    register(m.Redirect, {"method": (METHOD, codes.REDIRECT_METHOD)}),
    text=TextRule("url", URL),
)
build_reject = element_builder(
    m.Reject,
    register(m.Reject, {"reason": (a.choice(m.RejectReason), codes.REJECT_REASON)}),
    children=PARAMETERS,
)
build_task = element_builder(
    m.Task,
    register(m.Task, {"priority": a.integer(0), "timeout": a.seconds(1)}),
    text=TextRule("body"),
)
build_enqueue = element_builder(
    m.Enqueue,
    register(
        m.Enqueue,
        {
            "action": URL,
            "method": METHOD,
            "waitUrl": URL,
            "waitUrlMethod": METHOD,
            "workflowSid": TEXT,
            "maxQueueSize": a.integer(1),
        },
    ),
    text=TextRule(
        "name",
        a.pattern(r".{1,64}", f"a queue name of at most {MAX_QUEUE_NAME} characters"),
        codes.ENQUEUE_NAME_TOO_LONG,
    ),
    children={"Task": ChildRule("task", build_task, single=True)},
)
build_leave = element_builder(m.Leave, register(m.Leave, {}))
build_echo = element_builder(m.Echo, register(m.Echo, {}))
build_sms = element_builder(
    m.Sms,
    register(
        m.Sms,
        {
            "to": (a.phone_number, codes.MESSAGE_TO),
            "from": (a.phone_number, codes.MESSAGE_FROM),
            "action": URL,
            "method": (METHOD, codes.MESSAGE_METHOD),
            "statusCallback": (URL, codes.MESSAGE_STATUS_CALLBACK),
        },
    ),
    text=TextRule("text", code=codes.MESSAGE_BODY, required="the text of the message"),
)
