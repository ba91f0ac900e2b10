"""Schema validation: each kind of XSD constraint is reported with its code, line and column."""

from __future__ import annotations

import pytest
from lxml import etree

from callbox.diagnostics import Diagnostic, Severity
from callbox.markup.dialect import Dialect
from callbox.markup.error_locator import ErrorLocator
from callbox.markup.parser import parse
from callbox.markup.schema import MAX_FINDINGS, compiled, validate


def check(document: str, dialect: Dialect = Dialect.VOICE) -> list[Diagnostic]:
    parsed = parse(document.encode(), "flow.xml")
    assert parsed.root is not None, parsed.diagnostics
    return validate(parsed.root, parsed.source, dialect)


def where(found: Diagnostic) -> tuple[str, int, int]:
    return (found.code, found.line, found.column)


# -- One test per kind of constraint ----------------------------------------------------------


def test_clean_document_has_no_findings() -> None:
    document = """<Response>
  <Gather input="dtmf speech" numDigits="1" action="/menu" method="GET" speechTimeout="auto">
    <Say voice="Polly.Joanna" language="en-US" loop="0">Press 1</Say>
    <Pause length="2"/>
  </Gather>
  <Redirect>/menu</Redirect>
</Response>"""
    assert check(document) == []


def test_enumeration_method_must_be_get_or_post() -> None:
    [found] = check('<Response>\n  <Gather method="get"/>\n</Response>')
    assert where(found) == ("12200", 2, 11)
    assert (
        found.message == "'get' is not a valid value for 'method' of <Gather>: expected GET or POST"
    )
    assert found.severity is Severity.WARNING
    assert found.path == "flow.xml"


def test_enumeration_reject_reason() -> None:
    [found] = check('<Response><Reject reason="declined"/></Response>')
    assert where(found) == ("12200", 1, 19)
    assert "expected rejected or busy" in found.message


def test_dial_record_accepts_legacy_booleans_but_not_other_words() -> None:
    assert check('<Response><Dial record="true">+15558675310</Dial></Response>') == []
    [found] = check('<Response><Dial record="yes">+15558675310</Dial></Response>')
    assert where(found) == ("12200", 1, 17)
    assert "record-from-answer" in found.message


def test_boolean_is_true_or_false() -> None:
    [found] = check('<Response><Record playBeep="yes"/></Response>')
    assert where(found) == ("12200", 1, 19)
    assert found.message.endswith("expected true or false")


def test_range_num_digits_is_at_least_one() -> None:
    [found] = check('<Response>\n<Gather numDigits="0"/></Response>')
    assert where(found) == ("12200", 2, 9)
    assert found.message == (
        "'0' is not a valid value for 'numDigits' of <Gather>: expected a whole number >= 1"
    )


def test_range_loop_is_a_whole_number() -> None:
    [found] = check('<Response><Say loop="abc">Hi</Say></Response>')
    assert where(found) == ("12200", 1, 16)
    assert found.message == (
        "'abc' is not a valid value for 'loop' of <Say>: expected a whole number >= 0"
    )


def test_range_max_participants_is_2_to_250() -> None:
    document = '<Response><Dial>\n  <Conference maxParticipants="251">room</Conference>\n</Dial></Response>'
    [found] = check(document)
    assert where(found) == ("12200", 2, 15)
    assert "from 2 to 250" in found.message
    assert check(document.replace("251", "250")) == []
    assert len(check(document.replace("251", "1"))) == 1


def test_pattern_play_digits() -> None:
    [found] = check('<Response><Play digits="12x#"/></Response>')
    assert where(found) == ("12200", 1, 17)
    assert "DTMF digits" in found.message
    assert check('<Response><Play digits="wW1234ABCD*#"/></Response>') == []


def test_pattern_gather_finish_on_key_is_one_key_or_empty() -> None:
    [found] = check('<Response><Gather finishOnKey="#*"/></Response>')
    assert where(found) == ("12200", 1, 19)
    assert check('<Response><Gather finishOnKey=""/></Response>') == []
    assert check('<Response><Record finishOnKey="#*0"/></Response>') == []


def test_union_speech_timeout_is_seconds_or_auto() -> None:
    assert (
        check('<Response><Gather speechTimeout="auto"/><Gather speechTimeout="3"/></Response>')
        == []
    )
    [found] = check('<Response><Gather speechTimeout="soon"/></Response>')
    assert where(found) == ("12200", 1, 19)
    assert found.message.endswith("expected a whole number of seconds or auto")


def test_space_separated_lists_report_the_whole_value_once() -> None:
    document = (
        "<Response><Dial><Number\n"
        '  statusCallbackEvent="initiated rung">+15558675310</Number></Dial></Response>'
    )
    [found] = check(document)
    assert where(found) == ("12200", 2, 3)
    assert found.message.startswith(
        "'initiated rung' is not a valid value for 'statusCallbackEvent'"
    )
    assert check('<Response><Gather input="speech dtmf"/></Response>') == []
    assert len(check('<Response><Gather input=""/></Response>')) == 1


def test_text_content_is_typed() -> None:
    [found] = check("<Response><Refer><Sip>tel:+15558675310</Sip></Refer></Response>")
    assert where(found) == ("12200", 1, 23)
    assert "SIP URI" in found.message


def test_nesting_dial_is_not_allowed_inside_gather() -> None:
    [found] = check(
        "<Response>\n  <Gather>\n    <Dial>+15558675310</Dial>\n  </Gather>\n</Response>"
    )
    assert where(found) == ("12200", 3, 5)
    assert found.message == "<Dial> is not allowed inside <Gather>"
    assert found.hint == "<Gather> may contain <Pause>, <Play>, <Say>"


def test_unknown_attribute_is_named_with_a_suggestion() -> None:
    [found] = check('<Response>\n  <Say lop="2">Hi</Say>\n</Response>')
    assert where(found) == ("12200", 2, 8)
    assert found.message == "<Say> has no attribute 'lop'"
    assert found.hint == "Did you mean 'loop'?"


def test_unknown_element_is_named() -> None:
    [found] = check("<Response><Speak>Hi</Speak></Response>")
    assert where(found) == ("12200", 1, 11)
    assert found.message == "Unknown element <Speak> inside <Response>"


def test_wrong_case_element_is_cf001_with_a_suggestion() -> None:
    [found] = check("<Response>\n  <say>Hello</say>\n</Response>")
    assert where(found) == ("CF001", 2, 3)
    assert found.severity is Severity.ERROR
    assert found.symbol == "wrong-case-name"
    assert found.hint == "Did you mean <Say>? Names are case-sensitive."


def test_wrong_case_attribute_is_cf001_with_a_suggestion() -> None:
    [found] = check('<Response><Gather finishonkey="#"/></Response>')
    assert where(found) == ("CF001", 1, 19)
    assert found.hint == "Did you mean 'finishOnKey'? Names are case-sensitive."


def test_missing_child() -> None:
    [found] = check('<Response>\n<Refer action="/done"/></Response>')
    assert where(found) == ("12200", 2, 1)
    assert found.message == "<Refer> is missing a child: expected one of <Sip>"


def test_text_in_an_empty_element_points_at_the_text() -> None:
    [found] = check("<Response><Pause>\n    5 seconds</Pause></Response>")
    assert where(found) == ("12200", 2, 5)
    assert found.message == "<Pause> cannot contain text"


def test_elements_in_a_text_only_element_point_at_the_first_one() -> None:
    [found] = check("<Response><Redirect>/next<Say>Hi</Say></Redirect></Response>")
    assert where(found) == ("12200", 1, 26)
    assert found.message == "<Redirect> cannot contain elements such as <Say>"


# -- Several problems in one document ----------------------------------------------------------


def test_every_problem_is_reported_not_only_the_first_misplaced_element() -> None:
    # libxml2 alone stops checking <Response> at <Speak> and <Gather> at <Dial>.
    document = """<Response>
  <Speak>Hi</Speak>
  <Gather numDigits="0">
    <Dial>+15558675310</Dial>
    <Say loop="x">Press 1</Say>
  </Gather>
  <Pause length="-1"/>
</Response>"""
    found = check(document)
    assert [where(d) for d in found] == [
        ("12200", 2, 3),
        ("12200", 3, 11),
        ("12200", 4, 5),
        ("12200", 5, 10),
        ("12200", 7, 10),
    ]


def test_problems_inside_a_misplaced_verb_are_still_found() -> None:
    document = '<Response><Gather>\n<Dial timeout="x"><Numbr/></Dial></Gather></Response>'
    found = check(document)
    assert [(where(d), d.message) for d in found] == [
        (("12200", 2, 1), "<Dial> is not allowed inside <Gather>"),
        (
            ("12200", 2, 7),
            "'x' is not a valid value for 'timeout' of <Dial>: expected a whole number >= 0",
        ),
        (("12200", 2, 19), "Unknown element <Numbr> inside <Dial>"),
    ]


def test_problems_inside_elements_of_a_text_only_element_are_still_found() -> None:
    found = check('<Response><Pause><Play loop="z"/></Pause></Response>')
    assert [where(d) for d in found] == [("12200", 1, 18), ("12200", 1, 24)]


def test_problems_inside_a_wrong_case_element_are_still_found() -> None:
    found = check('<Response><gather numDigits="0"><say loop="x">Hi</say></gather></Response>')
    assert [where(d) for d in found] == [
        ("CF001", 1, 11),
        ("12200", 1, 19),
        ("CF001", 1, 33),
        ("12200", 1, 38),
    ]


def test_wrong_case_attribute_value_is_checked_under_its_right_name() -> None:
    found = check('<Response><Gather finishonkey="12"/></Response>')
    assert sorted(d.code for d in found) == ["12200", "CF001"]
    assert all(d.column == 19 for d in found)


def test_a_wrong_case_root_is_validated_inside() -> None:
    [found] = check('<response><Say loop="x">Hi</Say></response>')
    assert where(found) == ("12200", 1, 16)


def test_each_problem_is_reported_once() -> None:
    found = check('<Response><Gather input="dtmf voice" method="PUT" timeout="-5"/></Response>')
    assert [d.column for d in found] == [19, 38, 51]


# -- The trickiest nesting rules -----------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "+15558675310",
        "<Number>+15558675310</Number><Number>+15017122661</Number>",
        "<Client><Identity>alice</Identity><Parameter name='k' value='v'/></Client>",
        "<Sip><Uri priority='1'>sip:a@example.com</Uri><Headers><Header name='X' value='1'/></Headers></Sip>",
        "<Conference beep='onExit'>room</Conference>",
        "<Queue url='/about-to-connect'>support</Queue>",
    ],
)
def test_dial_holds_a_number_as_text_or_its_nouns(body: str) -> None:
    assert check(f"<Response><Dial>{body}</Dial></Response>") == []


def test_dial_refuses_verbs_among_its_nouns() -> None:
    [found] = check(
        "<Response><Dial>\n<Number>+15558675310</Number><Say>Hi</Say></Dial></Response>"
    )
    assert where(found) == ("12200", 2, 30)
    assert found.message == "<Say> is not allowed inside <Dial>"


@pytest.mark.parametrize(
    "ssml",
    [
        '<prosody rate="90%"><p><s>One <emphasis level="strong">two</emphasis></s></p></prosody>',
        '<lang xml:lang="fr-FR"><p>Bonjour</p></lang>',
        '<w role="amazon:VBD">read</w> <say-as interpret-as="digits">123</say-as>',
        '<amazon:effect name="whispered">secret <break time="1s"/></amazon:effect>',
        '<p><amazon:domain name="news">Headline</amazon:domain></p>',
        '<sub alias="World Wide Web">WWW</sub><phoneme alphabet="ipa" ph="t">t</phoneme>',
    ],
)
def test_say_holds_text_and_ssml(ssml: str) -> None:
    assert check(f"<Response><Say voice='Polly.Joanna'>Hi {ssml}</Say></Response>") == []


@pytest.mark.parametrize(
    ("ssml", "message"),
    [
        ("<w><p>x</p></w>", "<p> is not allowed inside <w>"),
        ("<s><p>x</p></s>", "<p> is not allowed inside <s>"),
        ("<say-as><break/></say-as>", "<say-as> cannot contain elements such as <break>"),
        ("<break>x</break>", "<break> cannot contain text"),
        ("<Play>x</Play>", "<Play> is not allowed inside <Say>"),
        ("<w><lang>x</lang></w>", "<lang> is not allowed inside <w>"),
    ],
)
def test_say_refuses_ssml_nested_the_wrong_way(ssml: str, message: str) -> None:
    [found] = check(f"<Response><Say>{ssml}</Say></Response>")
    assert found.code == "12200"
    assert found.message == message


def test_amazon_effect_attribute_values_are_checked() -> None:
    [found] = check('<Response><Say><amazon:effect name="shout">x</amazon:effect></Say></Response>')
    assert where(found) == ("12200", 1, 31)
    assert found.message.startswith("'shout' is not a valid value for 'name' of <amazon:effect>")


def test_xml_lang_is_checked_where_it_is_written() -> None:
    [found] = check('<Response><Say><lang xml:lang="f">x</lang></Say></Response>')
    assert where(found) == ("12200", 1, 22)
    assert "'xml:lang' of <lang>" in found.message


def test_connect_needs_exactly_one_noun() -> None:
    assert (
        check("<Response><Connect><Stream url='wss://example.com/a'/></Connect></Response>") == []
    )
    [empty] = check("<Response><Connect action='/next'/></Response>")
    assert where(empty) == ("12200", 1, 11)
    assert empty.message.startswith(
        "<Connect> is missing a child: expected one of <Stream>, <Room>"
    )
    [extra] = check("<Response><Connect><Room>a</Room>\n  <Stream/></Connect></Response>")
    assert where(extra) == ("12200", 2, 3)
    assert (
        extra.message
        == "Too many children in <Connect>: this <Stream> is one more than it can hold"
    )


def test_start_and_stop_hold_only_their_forks() -> None:
    assert check("<Response><Start><Stream url='wss://e/x'/><Recording/></Start></Response>") == []
    [found] = check("<Response><Stop><Recording/></Stop></Response>")
    assert found.message == "<Recording> is not allowed inside <Stop>"


def test_gather_holds_only_say_play_and_pause() -> None:
    found = check("<Response><Gather><Play/><Record/><Pause/><Hangup/></Gather></Response>")
    assert [(d.column, d.message) for d in found] == [
        (26, "<Record> is not allowed inside <Gather>"),
        (43, "<Hangup> is not allowed inside <Gather>"),
    ]


# -- Messaging and dialects ------------------------------------------------------------------------


def test_messaging_document_validates_against_the_messaging_schema() -> None:
    document = (
        '<Response><Message to="+15558675310" from="+15017122661" action="/status" method="POST">'
        "<Body>Hi</Body><Media>https://example.com/cat.jpg</Media></Message>"
        "<Redirect>/next</Redirect></Response>"
    )
    assert check(document, Dialect.MESSAGING) == []


def test_messaging_refuses_voice_verbs() -> None:
    [found] = check("<Response><Message>Hi</Message><Say>Hi</Say></Response>", Dialect.MESSAGING)
    assert where(found) == ("12200", 1, 32)
    assert found.message == "Unknown element <Say> inside <Response>"


def test_message_in_a_voice_document_is_a_finding() -> None:
    [found] = check("<Response><Message>Hi</Message></Response>", Dialect.VOICE)
    assert where(found) == ("12200", 1, 11)


def test_auto_dialect_picks_the_schema_from_the_verbs() -> None:
    assert check("<Response><Message><Body>Hi</Body></Message></Response>", Dialect.AUTO) == []
    assert check("<Response><Say>Hi</Say></Response>", Dialect.AUTO) == []


def test_each_schema_is_compiled_once() -> None:
    assert compiled(Dialect.VOICE) is compiled(Dialect.VOICE)
    assert compiled(Dialect.VOICE) is not compiled(Dialect.MESSAGING)
    with pytest.raises(ValueError, match="AUTO"):
        compiled(Dialect.AUTO)


def test_the_vocabulary_is_read_from_the_schema_files() -> None:
    vocabulary = compiled(Dialect.VOICE).vocabulary
    assert vocabulary.children["Gather"] == {"Say", "Play", "Pause"}
    assert vocabulary.attributes["Gather"]["finishOnKey"] == "gatherFinishOnKey"
    assert vocabulary.describe("httpMethod") == "GET or POST"


@pytest.mark.parametrize("dialect", [Dialect.VOICE, Dialect.MESSAGING])
def test_every_typed_attribute_and_text_can_say_what_it_expects(dialect: Dialect) -> None:
    vocabulary = compiled(dialect).vocabulary
    builtin = "{http://www.w3.org/2001/XMLSchema}"
    types = {t for attributes in vocabulary.attributes.values() for t in attributes.values()}
    types |= set(vocabulary.text_types.values())
    undescribed = {
        t for t in types if t and not t.startswith(builtin) and not vocabulary.describe(t)
    }
    assert undescribed == set()


# -- Hostile documents: bounded output, linear cost ---------------------------------------------


def test_thousands_of_unknown_attributes_report_the_first_hundred_and_say_the_rest_went_unchecked() -> (
    None
):
    attributes = " ".join(f'a{i}=""' for i in range(6800))
    document = f"<Response>\n<Say {attributes}>Hi</Say>\n</Response>"
    found = check(document)
    assert len(found) == MAX_FINDINGS + 1
    assert found[0].message == "<Say> has no attribute 'a0'"
    assert found[-1].message.startswith(f"More than {MAX_FINDINGS} schema problems")
    assert found[-1].line == 2


def test_errors_on_many_sibling_elements_are_each_found_at_their_own_element() -> None:
    verbs = "\n".join(f'<Say n{i}="1">x</Say>' for i in range(60))
    found = check(f"<Response>\n{verbs}\n</Response>")
    assert [(d.line, d.message) for d in found] == [
        (i + 2, f"<Say> has no attribute 'n{i}'") for i in range(60)
    ]


def test_the_error_locator_writes_node_paths_as_libxml2_does() -> None:
    document = b"""<Response xmlns:amazon="http://www.amazon.com/xml/ns/amazon">
  <Say>a<amazon:effect>b</amazon:effect><amazon:effect>c</amazon:effect></Say>
  <Say><p>d</p></Say><!-- a comment --><Gather><Say/></Gather>
  <Play xmlns="urn:other"><x/><y/></Play>
</Response>"""
    root = etree.fromstring(document)
    paths = ErrorLocator(root).paths
    tree = root.getroottree()
    assert paths == {tree.getpath(element): element for element in root.iter(etree.Element)}
