"""Building the typed model from parsed documents: the tree a user wrote, Twilio's codes for bad
values at the attribute's exact line and column, and Twilio's defaults in their place."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from callbox.diagnostics import Diagnostic
from callbox.markup import model as m
from callbox.markup.build import ATTRIBUTE_RULES, AttributeRule, build, fast_constructor
from callbox.markup.dialect import Dialect
from callbox.markup.parser import parse
from callbox.markup.source import Position


def built(
    document: str, dialect: Dialect = Dialect.AUTO, path: str = "flow.xml"
) -> tuple[m.Response, list[Diagnostic]]:
    parsed = parse(document.encode(), path)
    assert parsed.root is not None, parsed.diagnostics
    return build(parsed.root, parsed.source, dialect)


def only_verb(document: str) -> Any:
    response, diagnostics = built(document)
    assert diagnostics == []
    [verb] = response.verbs
    return verb


def findings(document: str) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in built(document)[1]]


def column_of(document: str, needle: str, line: int) -> int:
    """1-based column of ``needle`` on a 1-based line, counted here independently of Source."""
    return document.splitlines()[line - 1].index(needle) + 1


# --- a whole flow -----------------------------------------------------------------------------------

IVR = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather action="/menu/choice" numDigits="1" timeout="7" input="dtmf speech" hints="sales, support">
    <Say voice="Polly.Joanna" language="en-GB">
      Welcome to <sub alias="Acme">ACME</sub>.<break time="500ms"/>
      Press 1 for sales.
    </Say>
    <Play loop="2">https://example.com/menu.mp3</Play>
    <Pause length="2"/>
  </Gather>
  <Say>We did not get your choice.</Say>
  <Dial timeout="20" callerId="+14155550000" record="record-from-answer" action="/after-dial">
    <Number sendDigits="ww1234">+14155550100</Number>
    <Client>agent-7<Parameter name="queue" value="sales"/></Client>
  </Dial>
  <Record maxLength="120" finishOnKey="#" playBeep="false" trim="do-not-trim"/>
  <Redirect method="GET">/menu</Redirect>
</Response>
"""


def test_an_ivr_document_builds_into_the_expected_tree() -> None:
    response, diagnostics = built(IVR)
    assert diagnostics == []
    welcome = (
        "\n      Welcome to ",
        m.SsmlSub(alias="Acme", children=("ACME",)),
        ".",
        m.SsmlBreak(time="500ms"),
        "\n      Press 1 for sales.\n    ",
    )
    assert response == m.Response(
        verbs=(
            m.Gather(
                action="/menu/choice",
                num_digits=1,
                timeout=7,
                input=frozenset({m.GatherInput.DTMF, m.GatherInput.SPEECH}),
                hints="sales, support",
                children=(
                    m.Say(
                        voice="Polly.Joanna",
                        language="en-GB",
                        text="Welcome to Acme. Press 1 for sales.",
                        children=welcome,
                    ),
                    m.Play(loop=2, url="https://example.com/menu.mp3"),
                    m.Pause(length=2),
                ),
            ),
            m.Say(text="We did not get your choice.", children=("We did not get your choice.",)),
            m.Dial(
                timeout=20,
                caller_id="+14155550000",
                record=m.DialRecord.RECORD_FROM_ANSWER,
                action="/after-dial",
                nouns=(
                    m.Number(send_digits="ww1234", number="+14155550100"),
                    m.Client(identity="agent-7", parameters=(m.Parameter("queue", "sales"),)),
                ),
            ),
            m.Record(max_length=120, finish_on_key="#", play_beep=False, trim=m.Trim.DO_NOT_TRIM),
            m.Redirect(method=m.HttpMethod.GET, url="/menu"),
        ),
        dialect=Dialect.VOICE,
    )


def test_nodes_carry_the_line_of_their_element() -> None:
    response, _ = built(IVR)
    gather, _, dial, _, _ = response.verbs
    assert isinstance(gather, m.Gather) and isinstance(dial, m.Dial)
    assert [verb.position.line for verb in response.verbs] == [3, 11, 12, 16, 17]
    assert [child.position.line for child in gather.children] == [4, 8, 9]
    assert dial.nouns[1].position == Position(14, 0)


def test_a_messaging_document_builds_messages_with_body_and_media() -> None:
    response, diagnostics = built(
        """<Response>
  <Message to="+14155550100" from="Acme">
    <Body>Your order shipped.</Body>
    <Media>https://example.com/label.png</Media>
  </Message>
  <Message>Thanks!</Message>
  <Redirect>/next</Redirect>
</Response>"""
    )
    assert diagnostics == []
    assert response == m.Response(
        verbs=(
            m.Message(
                to="+14155550100",
                from_="Acme",
                body="Your order shipped.",
                media=("https://example.com/label.png",),
            ),
            m.Message(body="Thanks!"),
            m.Redirect(url="/next"),
        ),
        dialect=Dialect.MESSAGING,
    )


def test_the_dialect_given_is_kept_and_auto_is_resolved() -> None:
    voice = "<Response><Say>Hi</Say></Response>"
    assert built(voice)[0].dialect is Dialect.VOICE
    assert built(voice, Dialect.MESSAGING)[0].dialect is Dialect.MESSAGING
    assert built("<Response><Message>Hi</Message></Response>")[0].dialect is Dialect.MESSAGING


# --- unknown elements -------------------------------------------------------------------------------


def test_an_unknown_verb_becomes_an_unknown_node_with_its_attributes() -> None:
    response, diagnostics = built(
        '<Response>\n  <Say>Hi</Say>\n  <Speak voice="x" rate="2">Hi</Speak>\n</Response>'
    )
    assert diagnostics == []
    assert response.verbs[1] == m.Unknown("Speak", (("voice", "x"), ("rate", "2")))
    assert response.verbs[1].position == Position(3, 0)


def test_a_wrong_case_verb_is_unknown_not_silently_accepted() -> None:
    response, _ = built("<Response><say>Hi</say></Response>")
    assert response.verbs == (m.Unknown("say"),)


def test_a_noun_at_the_top_level_is_unknown() -> None:
    response, _ = built("<Response><Number>+14155550100</Number></Response>")
    assert response.verbs == (m.Unknown("Number"),)


def test_unknown_attributes_are_ignored_without_a_finding() -> None:
    say = only_verb('<Response><Say volume="11" Loop="3">Hi</Say></Response>')
    assert say == m.Say(text="Hi", children=("Hi",))


def test_comments_are_skipped_and_text_around_them_joins() -> None:
    say = only_verb("<Response><Say>Hello <!-- aside --> world</Say><!-- end --></Response>")
    assert say.children == ("Hello  world",)
    assert say.text == "Hello world"


def test_unknown_ssml_inside_say_is_kept_as_unknown_and_not_spoken() -> None:
    say = only_verb('<Response><Say>Hi <shout level="9">there</shout></Say></Response>')
    assert say.children == ("Hi ", m.Unknown("shout", (("level", "9"),)))
    assert say.text == "Hi"


def test_amazon_effect_builds_even_without_a_namespace_declaration() -> None:
    say = only_verb(
        '<Response><Say voice="Polly.Joanna">'
        '<amazon:effect name="whispered">psst</amazon:effect></Say></Response>'
    )
    assert say.children == (m.SsmlAmazonEffect(name="whispered", children=("psst",)),)
    assert say.text == "psst"


def test_ssml_attributes_are_typed() -> None:
    say = only_verb(
        '<Response><Say><lang xml:lang="fr-FR">Bonjour</lang>'
        '<say-as interpret-as="date" format="mdy">12/25</say-as>'
        '<prosody rate="slow" volume="+6dB">slowly</prosody></Say></Response>'
    )
    assert say.children == (
        m.SsmlLang(xml_lang="fr-FR", children=("Bonjour",)),
        m.SsmlSayAs(interpret_as=m.InterpretAs.DATE, format=m.SayAsFormat.MDY, children=("12/25",)),
        m.SsmlProsody(rate="slow", volume="+6dB", children=("slowly",)),
    )


# --- every verb, empty: Twilio's defaults ------------------------------------------------------------

EMPTY_VERBS = [
    "Say>Hi</Say",
    "Play>https://example.com/a.mp3</Play",
    "Pause/",
    "Gather/",
    "Record/",
    "Dial>+14155550100</Dial",
    "Hangup/",
    "Reject/",
    "Redirect>/next</Redirect",
    "Enqueue>support</Enqueue",
    "Leave/",
    "Echo/",
    "Connect/",
    "Start/",
    "Stop/",
    "Refer/",
    "Pay/",
    "Sms>Hi</Sms",
]


@pytest.mark.parametrize("element", EMPTY_VERBS)
def test_a_verb_without_attributes_gets_every_default_of_its_class(element: str) -> None:
    verb = only_verb(f"<Response><{element}></Response>")
    defaults = type(verb)()
    differing = {
        f.name
        for f in dataclasses.fields(verb)
        if f.compare
        if getattr(verb, f.name) != getattr(defaults, f.name)
    }
    assert differing <= {"text", "children", "url", "number", "name"}


def test_every_tag_twilio_builds_becomes_its_model_class() -> None:
    voice = VoiceResponse()
    gather = voice.gather()
    gather.say("Hi").emphasis("there")
    gather.play("https://example.com/a.mp3")
    gather.pause()
    dial = voice.dial()
    dial.number("+14155550100")
    dial.client("alice").parameter(name="a", value="b")
    dial.sip("sip:alice@example.com").uri("sip:bob@example.com")
    dial.sim("DE123")
    dial.application(application_sid="AP123")
    dial.whats_app("+14155550100")
    dial.queue("support")
    start = voice.start()
    start.stream(url="wss://example.com/a")
    start.siprec(name="s")
    start.transcription(name="t")
    start.recording()
    connect = voice.connect()
    connect.conversation_relay(url="wss://example.com/b").language(code="en-US")
    voice.enqueue(workflow_sid="WW123").task('{"a": 1}')
    voice.refer().sip("sip:carol@example.com")
    voice.pay().prompt(for_="payment-card-number").say("Card number?")
    voice.reject(reason="busy")
    response, diagnostics = built(str(voice))
    assert diagnostics == []
    assert [type(verb) for verb in response.verbs] == [
        m.Gather,
        m.Dial,
        m.Start,
        m.Connect,
        m.Enqueue,
        m.Refer,
        m.Pay,
        m.Reject,
    ]
    dial_node = response.verbs[1]
    assert isinstance(dial_node, m.Dial)
    assert [type(noun) for noun in dial_node.nouns] == [
        m.Number,
        m.Client,
        m.Sip,
        m.Sim,
        m.Application,
        m.WhatsApp,
        m.Queue,
    ]
    refer = response.verbs[5]
    assert isinstance(refer, m.Refer) and refer.sip == m.ReferSip(uri="sip:carol@example.com")


def test_a_twilio_messaging_response_builds_cleanly() -> None:
    reply = MessagingResponse()
    message = reply.message("Hello", to="+14155550100", action="/status", method="GET")
    message.media("https://example.com/cat.png")
    reply.redirect("/next")
    response, diagnostics = built(str(reply))
    assert diagnostics == []
    first = response.verbs[0]
    assert isinstance(first, m.Message)
    assert (first.body, first.media, first.method) == (
        "Hello",
        ("https://example.com/cat.png",),
        m.HttpMethod.GET,
    )


# --- bad values: Twilio's code, the attribute's position, the default kept -------------------------

BAD_VALUES: list[tuple[str, str, str, str, str, Any]] = [
    # (code, element with {bad}, attribute, bad value, field, the default it keeps)
    ("13510", '<Say loop="{bad}">Hi</Say>', "loop", "-1", "loop", 1),
    ("13511", '<Say voice="{bad}">Hi</Say>', "voice", "robot voice", "voice", "man"),
    ("13512", '<Say language="{bad}">Hi</Say>', "language", "english", "language", "en-US"),
    ("13410", '<Play loop="{bad}">https://e.com/a.mp3</Play>', "loop", "x", "loop", 1),
    ("13430", '<Play digits="{bad}"/>', "digits", "12x", "digits", None),
    ("13910", '<Pause length="{bad}"/>', "length", "0", "length", 1),
    ("13313", '<Gather timeout="{bad}"/>', "timeout", "abc", "timeout", 5),
    ("13314", '<Gather numDigits="{bad}"/>', "numDigits", "0", "num_digits", None),
    ("13310", '<Gather finishOnKey="{bad}"/>', "finishOnKey", "##", "finish_on_key", "#"),
    ("13312", '<Gather method="{bad}"/>', "method", "PUT", "method", "POST"),
    ("13326", '<Gather input="{bad}"/>', "input", "voice", "input", frozenset({"dtmf"})),
    ("13327", '<Gather speechTimeout="{bad}"/>', "speechTimeout", "soon", "speech_timeout", None),
    ("13328", '<Gather maxSpeechTime="{bad}"/>', "maxSpeechTime", "99", "max_speech_time", 60),
    ("13329", '<Gather partialResultCallbackMethod="{bad}"/>', "partialResultCallbackMethod",
     "PATCH", "partial_result_callback_method", "POST"),
    ("13331", '<Gather language="{bad}"/>', "language", "x", "language", "en-US"),
    ("13332", '<Gather bargeIn="{bad}"/>', "bargeIn", "yes", "barge_in", True),
    ("13333", '<Gather profanityFilter="{bad}"/>', "profanityFilter", "no", "profanity_filter", True),
    ("13338", '<Gather actionOnEmptyResult="{bad}"/>', "actionOnEmptyResult", "1",
     "action_on_empty_result", False),
    ("13610", '<Record method="{bad}"/>', "method", "get", "method", "POST"),
    ("13611", '<Record timeout="{bad}"/>', "timeout", "-5", "timeout", 5),
    ("13612", '<Record maxLength="{bad}"/>', "maxLength", "long", "max_length", 3600),
    ("13613", '<Record finishOnKey="{bad}"/>', "finishOnKey", "x", "finish_on_key", "1234567890*#"),
    ("13614", '<Record transcribe="{bad}"/>', "transcribe", "maybe", "transcribe", False),
    ("13616", '<Record playBeep="{bad}"/>', "playBeep", "loud", "play_beep", True),
    ("13621", '<Record recordingStatusCallbackEvent="{bad}"/>', "recordingStatusCallbackEvent",
     "done", "recording_status_callback_event", frozenset({"completed"})),
    ("13699", '<Record trim="{bad}"/>', "trim", "trim", "trim", "trim-silence"),
    ("13710", '<Redirect method="{bad}">/next</Redirect>', "method", "DELETE", "method", "POST"),
    ("13810", '<Reject reason="{bad}"/>', "reason", "declined", "reason", "rejected"),
    ("13210", '<Dial method="{bad}">+14155550100</Dial>', "method", "X", "method", "POST"),
    ("13212", '<Dial timeout="{bad}">+14155550100</Dial>', "timeout", "never", "timeout", 30),
    ("13213", '<Dial hangupOnStar="{bad}">+14155550100</Dial>', "hangupOnStar", "on",
     "hangup_on_star", False),
    ("13214", '<Dial callerId="{bad}">+14155550100</Dial>', "callerId", "Acme", "caller_id", None),
    ("13216", '<Dial timeLimit="{bad}">+14155550100</Dial>', "timeLimit", "0", "time_limit", 14400),
    ("13217", '<Dial record="{bad}">+14155550100</Dial>', "record", "always", "record",
     "do-not-record"),
    ("13218", '<Dial sequential="{bad}">+14155550100</Dial>', "sequential", "1", "sequential", False),
    ("13219", '<Dial answerOnBridge="{bad}">+14155550100</Dial>', "answerOnBridge", "y",
     "answer_on_bridge", False),
    ("13220", '<Dial ringTone="{bad}">+14155550100</Dial>', "ringTone", "xx", "ring_tone", None),
    ("14104", '<Message method="{bad}">Hi</Message>', "method", "put", "method", "POST"),
    ("14105", '<Message statusCallback="{bad}">Hi</Message>', "statusCallback", "ftp://x",
     "status_callback", None),
    ("14101", '<Sms to="{bad}">Hi</Sms>', "to", "bob", "to", None),
    ("14102", '<Sms from="{bad}">Hi</Sms>', "from", "me", "from_", None),
    ("14104", '<Sms method="{bad}">Hi</Sms>', "method", "Post", "method", "POST"),
    ("12200", '<Stream url="{bad}"/>', "url", "https://example.com/s", "url", None),
    ("12200", '<Conference maxParticipants="{bad}">room</Conference>', "maxParticipants", "1",
     "max_participants", 250),
]  # fmt: skip


def nested(element: str) -> tuple[str, int]:
    """The document holding ``element`` (nouns go in a ``<Dial>``) and the element's line."""
    if element.startswith("<Stream"):
        return f"<Response>\n  <Start>\n    {element}\n  </Start>\n</Response>", 3
    if element.startswith("<Conference"):
        return f"<Response>\n  <Dial>\n    {element}\n  </Dial>\n</Response>", 3
    return f"<Response>\n  {element}\n</Response>", 2


@pytest.mark.parametrize(
    ("code", "element", "attribute", "bad", "field", "default"),
    BAD_VALUES,
    ids=[f"{row[0]}-{row[2]}" for row in BAD_VALUES],
)
def test_a_bad_value_is_reported_with_twilios_code_at_the_attribute_and_the_default_kept(
    code: str, element: str, attribute: str, bad: str, field: str, default: Any
) -> None:
    document, line = nested(element.replace("{bad}", bad))
    response, diagnostics = built(document)
    [found] = diagnostics
    assert (found.code, found.line, found.column) == (
        code,
        line,
        column_of(document, f'{attribute}="', line),
    )
    assert f'{attribute}="{bad}"' in found.message
    assert "expected" in found.message
    assert found.path == "flow.xml"
    node: object = response.verbs[0]
    if isinstance(node, m.Dial | m.Start) and node.nouns:
        node = node.nouns[0]
    assert getattr(node, field) == default


def test_the_hint_names_the_default_twilio_uses() -> None:
    [found] = built('<Response><Gather timeout="abc"/></Response>')[1]
    assert found.hint is not None and "default, 5" in found.hint


def test_inside_gather_say_reports_gather_codes() -> None:
    document = (
        '<Response>\n  <Gather>\n    <Say loop="x" voice="?">Hi</Say>\n  </Gather>\n</Response>'
    )
    assert findings(document) == [
        ("13322", 3, column_of(document, "loop=", 3)),
        ("13321", 3, column_of(document, "voice=", 3)),
    ]


def test_an_attribute_on_a_continuation_line_is_reported_there() -> None:
    document = '<Response>\n  <Gather action="/next"\n          timeout="later"\n/>\n</Response>'
    assert findings(document) == [("13313", 3, 11)]


def test_every_bad_value_of_one_element_is_reported() -> None:
    document = '<Response><Gather timeout="a" numDigits="b" method="c"/></Response>'
    assert [code for code, _, _ in findings(document)] == ["13313", "13314", "13312"]


def test_an_invalid_number_is_reported_at_its_text() -> None:
    document = "<Response>\n  <Dial>\n    <Number>call bob</Number>\n  </Dial>\n</Response>"
    response, diagnostics = built(document)
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("13223", 3, 13)]
    dial = response.verbs[0]
    assert isinstance(dial, m.Dial) and dial.nouns == (m.Number(number="call bob"),)


def test_the_text_form_of_dial_is_its_number() -> None:
    dial = only_verb("<Response><Dial>\n  +14155550100\n</Dial></Response>")
    assert (dial.number, dial.nouns) == ("+14155550100", ())
    assert findings("<Response><Dial>bob</Dial></Response>") == [("13223", 1, 17)]


def test_caller_id_may_be_a_sip_user_when_dialing_sip() -> None:
    sip = "<Sip>sip:alice@example.com</Sip>"
    assert findings(f'<Response><Dial callerId="frontdesk">{sip}</Dial></Response>') == []
    assert findings(
        '<Response><Dial callerId="frontdesk"><Number>+14155550100</Number></Dial></Response>'
    ) == [("13214", 1, 17)]


def test_a_sip_address_without_the_scheme_is_accepted_and_anything_else_reported() -> None:
    accepted = "<Response><Dial><Sip>alice@example.com</Sip></Dial></Response>"
    assert findings(accepted) == []
    document = "<Response><Dial><Sip>https://pbx.example.com/alice</Sip></Dial></Response>"
    assert findings(document) == [("13243", 1, 22)]


# --- checks on content --------------------------------------------------------------------------------


def test_an_empty_say_is_reported_at_the_element() -> None:
    assert findings("<Response>\n  <Say>  </Say>\n</Response>") == [("13520", 2, 3)]


def test_a_say_holding_only_ssml_is_a_pause_not_an_empty_say() -> None:
    assert findings('<Response><Say><break time="2s"/></Say></Response>') == []
    assert findings('<Response><Say><p><break time="2s"/></p></Say></Response>') == []


def test_a_say_holding_only_an_unknown_element_is_empty() -> None:
    assert findings("<Response><Say><shout/></Say></Response>") == [("13520", 1, 11)]


def test_say_text_over_4096_characters_is_reported() -> None:
    assert findings(f"<Response><Say>{'a' * 4097}</Say></Response>") == [("13521", 1, 16)]
    assert findings(f"<Response><Say>{'a' * 4096}</Say></Response>") == []


def test_conference_mixed_with_other_nouns_is_reported_at_the_conference() -> None:
    document = (
        "<Response>\n  <Dial>\n    <Number>+14155550100</Number>\n"
        "    <Conference>room</Conference>\n  </Dial>\n</Response>"
    )
    response, diagnostics = built(document)
    [found] = diagnostics
    assert (found.code, found.line, found.column) == ("13000", 4, 5)
    assert "<Number>" in found.message
    dial = response.verbs[0]
    assert isinstance(dial, m.Dial) and len(dial.nouns) == 2


def test_a_conference_alone_is_fine() -> None:
    assert findings("<Response><Dial><Conference>room</Conference></Dial></Response>") == []


def test_an_empty_conference_name_is_reported() -> None:
    assert findings("<Response><Dial><Conference/></Dial></Response>") == [("13237", 1, 17)]


def test_a_verb_inside_gather_is_reported_and_kept_as_unknown() -> None:
    response, diagnostics = built("<Response>\n<Gather><Dial>+1415</Dial></Gather></Response>")
    assert [(d.code, d.line, d.column) for d in diagnostics] == [("13320", 2, 9)]
    gather = response.verbs[0]
    assert isinstance(gather, m.Gather) and gather.children == (m.Unknown("Dial"),)


def test_a_verb_inside_dial_is_reported() -> None:
    assert findings("<Response><Dial><Say>Hi</Say></Dial></Response>") == [("13215", 1, 17)]


def test_a_verb_inside_start_is_reported() -> None:
    assert findings("<Response><Start><Say>Hi</Say></Start></Response>") == [("14300", 1, 18)]


def test_an_empty_sms_is_reported() -> None:
    assert findings("<Response><Sms> </Sms></Response>") == [("14103", 1, 11)]


def test_an_empty_message_is_reported_but_media_alone_is_a_message() -> None:
    assert findings("<Response>\n  <Message/>\n</Response>") == [("14103", 2, 3)]
    media_only = "<Response><Message><Media>https://e.com/a.png</Media></Message></Response>"
    assert findings(media_only) == []


def test_auto_speech_timeout_with_the_default_model_is_reported() -> None:
    document = (
        '<Response><Gather input="speech" speechModel="default" speechTimeout="auto"/></Response>'
    )
    assert findings(document) == [("13335", 1, column_of(document, "speechTimeout=", 1))]


def test_transcribing_a_long_recording_is_reported() -> None:
    document = '<Response><Record transcribe="true" maxLength="600"/></Response>'
    assert findings(document) == [("13615", 1, column_of(document, "maxLength=", 1))]
    assert findings('<Response><Record transcribe="true" maxLength="60"/></Response>') == []


def test_a_queue_name_over_64_characters_is_reported() -> None:
    assert [c for c, _, _ in findings(f"<Response><Enqueue>{'q' * 65}</Enqueue></Response>")] == [
        "14205"
    ]


def test_legacy_dial_record_true_means_record_from_answer() -> None:
    dial = only_verb('<Response><Dial record="true">+14155550100</Dial></Response>')
    assert dial.record is m.DialRecord.RECORD_FROM_ANSWER


def test_speech_timeout_auto_is_kept() -> None:
    gather = only_verb('<Response><Gather input="speech" speechTimeout="auto"/></Response>')
    assert gather.speech_timeout == m.AUTO


def test_client_identity_may_be_a_child_element() -> None:
    dial = only_verb("<Response><Dial><Client><Identity>bob</Identity></Client></Dial></Response>")
    assert dial.nouns == (m.Client(identity="bob"),)


# --- the fast constructor the builders use ----------------------------------------------------------


def every_model_class() -> list[type]:
    return sorted({*m.MODEL_CLASSES.values(), *m.CONTEXT_CLASSES.values(), m.Unknown}, key=str)


@pytest.mark.parametrize("cls", every_model_class(), ids=lambda cls: cls.__name__)
def test_the_fast_constructor_makes_the_same_frozen_value_as_the_class(cls: type) -> None:
    required = {"tag": "Foo"} if cls is m.Unknown else {}
    made: Any = fast_constructor(cls)(**required)  # an instance of any model class
    assert made == cls(**required)
    assert repr(made) == repr(cls(**required))
    assert made.position == Position(0, 0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.position = Position(1, 1)


def test_the_fast_constructor_takes_the_values_given() -> None:
    made = fast_constructor(m.Gather)(timeout=9, children=(m.Pause(),), position=Position(2, 0))
    assert made == m.Gather(timeout=9, children=(m.Pause(),))
    assert made.position == Position(2, 0)
    with pytest.raises(TypeError):
        fast_constructor(m.Gather)(9)


# --- every attribute rule, with a value nothing should accept ----------------------------------------

PARENTS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ["Number", "Client", "Conference", "Queue", "Sip", "Sim", "Application", "WhatsApp"],
        ("Dial",),
    ),
    "Identity": ("Dial", "Client"),
    "ApplicationSid": ("Dial", "Application"),
    "Uri": ("Dial", "Sip"),
    "Headers": ("Dial", "Sip"),
    "Header": ("Dial", "Sip", "Headers"),
    "Parameter": ("Hangup",),
    "Config": ("Start", "Transcription"),
    "Task": ("Enqueue",),
    **dict.fromkeys(["Stream", "Siprec", "Transcription", "Recording"], ("Start",)),
    **dict.fromkeys(
        [
            "Room",
            "Autopilot",
            "ConversationRelay",
            "VirtualAgent",
            "Conversation",
            "AiSession",
            "ConversationRelaySession",
        ],
        ("Connect",),
    ),
    "Language": ("Connect", "ConversationRelay"),
    "Prompt": ("Pay",),
    "Body": ("Message",),
    "Media": ("Message",),
}
GARBAGE = "%% not valid %%"


def rule_cases() -> list[Any]:
    cases = []
    for tag, cls in sorted(m.MODEL_CLASSES.items()):
        if tag == "Response":
            continue
        parents = ("Say",) if tag[:1].islower() else PARENTS.get(tag, ())
        for rule in ATTRIBUTE_RULES[cls].values():
            cases.append(pytest.param(parents, tag, cls, rule, id=f"{tag}@{rule.name}"))
    return cases


def find(node: object, cls: type) -> object | None:
    """The first node of class ``cls`` in the tree under ``node``, depth first."""
    if isinstance(node, cls):
        return node
    values: list[object] = []
    if isinstance(node, tuple):
        values = list(node)
    elif dataclasses.is_dataclass(node):
        values = [getattr(node, f.name) for f in dataclasses.fields(node)]
    for value in values:
        found = find(value, cls)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize(("parents", "tag", "cls", "rule"), rule_cases())
def test_every_attribute_either_takes_the_value_or_reports_it_and_keeps_the_default(
    parents: tuple[str, ...], tag: str, cls: type, rule: AttributeRule
) -> None:
    element = f'<{tag} {rule.name}="{GARBAGE}">text</{tag}>'  # amazon: needs no declaration
    for parent in reversed(parents):
        element = f"<{parent}>{element}</{parent}>"
    document = f"<Response>\n  {element}\n</Response>"
    response, diagnostics = built(document)
    node = find(response, cls)
    assert node is not None
    mine = [d for d in diagnostics if f'{rule.name}="' in d.message]
    if mine:
        [found] = mine
        assert (found.code, found.line, found.column) == (
            rule.code.id,
            2,
            column_of(document, f'{rule.name}="', 2),
        )
        assert getattr(node, rule.field) == rule.default
    else:
        assert getattr(node, rule.field) == rule.coerce(GARBAGE)


def test_the_attribute_rules_cover_every_element_class() -> None:
    assert len(rule_cases()) > 300


CONTAINERS = ["Gather", "Dial", "Say", "Start", "Stop", "Connect", "Pay", "Message", "Enqueue"]


def test_any_tag_in_any_container_builds_without_raising_and_findings_have_positions() -> None:
    tags = [tag for tag in m.MODEL_CLASSES if tag != "Response" and ":" not in tag]
    for container in CONTAINERS:
        for tag in tags:
            document = (
                f"<Response>\n<{container}>\n"
                f'<{tag} loop="x" name="" url="ftp://x">text<Say/><break/>tail</{tag}>\n'
                f"</{container}>\n</Response>"
            )
            response, diagnostics = built(document)
            assert len(response.verbs) == 1, document
            assert all(d.line > 0 and d.column > 0 for d in diagnostics), document


def test_a_bad_value_seen_before_is_reported_again() -> None:
    document = '<Response>\n  <Gather timeout="x"/>\n  <Gather timeout="x"/>\n</Response>'
    assert findings(document) == [("13313", 2, 11), ("13313", 3, 11)]
    assert findings(document) == [("13313", 2, 11), ("13313", 3, 11)]


def test_repeated_elements_build_equal_but_separate_values() -> None:
    response, _ = built(
        '<Response><Gather timeout="9"><Pause/></Gather><Gather timeout="9"/></Response>'
    )
    first, second = response.verbs
    assert isinstance(first, m.Gather) and isinstance(second, m.Gather)
    assert (first.timeout, second.timeout) == (9, 9)
    assert (first.children, second.children) == ((m.Pause(),), ())
