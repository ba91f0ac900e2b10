"""The clean-document gate (``markup.gate``) never lets a document with a finding through.

``check(model=False)``, as ``callbox lint`` calls it, returns no findings, without the main schema
and the Python walks, for a document the clean schema accepts. So: every value a clean type
accepts is one its coercer (and lint's URL rules, and the main schema) accepts; every lint rule is
accounted for; and on documents made to sit at the edge of each check (one mutation away from
a clean one), whatever the gate passes has no findings in the full pipeline and is valid against
the main schema.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from callbox.markup import gate
from callbox.markup.attributes import Problem
from callbox.markup.build.common import AttributeRule
from callbox.markup.check import check
from callbox.markup.dialect import Dialect, detect_dialect
from callbox.markup.lint import RULES
from callbox.markup.parser import parse
from callbox.markup.schema import compiled
from tests.markup.test_xsd_agrees_with_model import probe as main_probe

ROOT = Path(__file__).resolve().parent.parent.parent
BASE = "https://example.com/flows/menu"


def test_every_lint_rule_is_accounted_for() -> None:
    assert {rule.check.__name__ for rule in RULES} == set(gate.RULES_COVERED)


# --- each clean type against its coercer ------------------------------------------------------


@cache
def probe(kind: gate.SimpleType) -> etree.XMLSchema:
    text = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="probe"><xs:complexType>
    <xs:attribute name="v">{kind.xsd()}</xs:attribute>
  </xs:complexType></xs:element>
</xs:schema>"""
    return etree.XMLSchema(etree.fromstring(text.encode()))


def accepts(schema: etree.XMLSchema, value: str) -> bool:
    element = etree.Element("probe")
    element.set("v", value)
    return schema.validate(element)


Case = tuple[str, str, bool, str, gate.SimpleType, AttributeRule, str]
"""(dialect, tag, with a base URL, attribute, its clean type, the builder's rule, main type)."""


def cases() -> list[Case]:
    found = []
    for dialect in (Dialect.VOICE, Dialect.MESSAGING):
        declared = compiled(dialect).vocabulary.attributes
        for relative in (True, False):
            for tag, element in gate.clean_elements(dialect, relative).items():
                types = gate.attribute_types(tag, element, relative, declared.get(tag, {}))
                for name, (kind, rule) in types.items():
                    main = declared[tag][name].rpartition("}")[2]
                    found.append((str(dialect), tag, relative, name, kind, rule, main))
    return found


CASES = cases()
SPECIALS = (
    "", " ", "true", "True", "FALSE", "yes", "0", "1", "-1", "+5", " 5 ", "05", "121", "601",
    "4", "5", "600", "86401", "1" * 16, "0" * 16 + "1", "1.5", "auto", "Auto", "GET", "get",
    "POST ", "dtmf speech", "dtmf  speech", "speech dtmf", "dtmf,speech", " dtmf", "#", "##", "*",
    "1w", "", "/relative", "relative", "//host/x", "ftp://x/y", "http://a b/", "https://x/y.mp3",
    "https://x/y.php", "HTTPS://X/Y", "wss://x", "{{ url }}", "+14155550100", "14155550100",
    "+12", "+123", "+0123", "415-555-0100", "client:alice", "sip:a@b.com", "en-US", "en_US",
    "en", "e", "cmn-CN", "en-x", "Polly.Joanna", "Polly.", ".x", "man", "robot", "alice ",
    "in-progress completed", "initiated ringing answered completed", "completed completed",
    "record-from-answer-dual", "true ", "\tx", "x\ny",
)  # fmt: skip


@st.composite
def values(draw: st.DrawFn) -> tuple[Case, str]:
    case = draw(st.sampled_from(CASES))
    value = draw(
        st.one_of(
            st.sampled_from(SPECIALS),
            st.text(alphabet="aeirtuxAEPTp0159+-./:_#*@?&= \t", max_size=14),
            st.sampled_from(SPECIALS).map(lambda v: v + draw(st.sampled_from(["", " ", "x", "0"]))),
        )
    )
    return case, value


def test_the_clean_types_are_found() -> None:
    names = {(tag, name) for _, tag, _, name, *_ in CASES}
    assert {("Gather", "action"), ("Say", "voice"), ("Number", "url"), ("Message", "to")} <= names
    assert len(CASES) > 100


@settings(max_examples=600)
@given(drawn=values())
def test_a_value_a_clean_type_accepts_is_one_its_coercer_and_the_main_schema_accept(
    drawn: tuple[Case, str],
) -> None:
    (_, tag, relative, name, kind, rule, main), value = drawn
    if not accepts(probe(kind), value):
        return
    coerced = rule.coerce(value)
    assert not isinstance(coerced, Problem), (tag, name, value)
    if main != "string":
        assert accepts(main_probe(main), value), (tag, name, value, main)
    if name in ("action", "url") or name.endswith(("Url", "Callback")):
        prefixes = ("http://", "https://", "/") if relative else ("http://", "https://")
        assert value.startswith(prefixes), (tag, name, value)


# --- whole documents at the edge of each check -------------------------------------------------

CLEAN = (
    b"""<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say voice="Polly.Joanna" language="en-GB" loop="1">Thanks for calling.</Say>
  <Gather action="/ivr/choice" method="POST" numDigits="1" timeout="3" input="dtmf speech" hints="sales, support">
    <Say voice="alice">For sales, press 1.</Say>
    <Play loop="1">https://static.example.com/beep.mp3</Play>
    <Pause length="1"/>
  </Gather>
  <Say>We did not get your choice.</Say>
  <Redirect method="POST">/ivr/start</Redirect>
</Response>""",
    b"""<Response>
  <Say>Leave a message after the beep.</Say>
  <Record action="/voicemail/saved" maxLength="60" finishOnKey="#" playBeep="true" transcribe="true" recordingStatusCallback="/voicemail/status" recordingStatusCallbackEvent="in-progress completed"/>
  <Say>Goodbye.</Say>
  <Hangup/>
</Response>""",
    b"""<Response>
  <Play>/sounds/hold.wav</Play>
  <Dial action="/after-dial" timeout="20" callerId="+14155550100" record="record-from-answer" answerOnBridge="true">
    <Number statusCallback="https://example.com/events" statusCallbackEvent="initiated completed" url="/whisper" sendDigits="1w2">+14155551144</Number>
    <Number>+14155553943</Number>
  </Dial>
</Response>""",
    b"""<Response>
  <Message to="+14155559551" from="+14155551013" action="/sms/status" method="POST">
    <Body>Thanks for texting!</Body>
    <Media>https://static.example.com/offer.jpg</Media>
  </Message>
  <Message>Second reply.</Message>
  <Redirect>/sms/next</Redirect>
</Response>""",
)
EDGE_VALUES = (
    "", " ", "\u00a0", "&#160;", "0", "1", "121", "601", "4", "+12", "+0123", "415-555-0100",
    "client:alice", "ftp://x/y", "x.xml", "relative", "/flows/menu", "/flows/menu?x=1",
    "https://example.com/flows/menu", "/other#frag", "https://x/a.php?f=b.mp3", "en-x", "default",
    "auto", "true", "dtmf  speech", "Polly.", "x" * 1700, "<!-- c -->", "<?pi x?>",
)  # fmt: skip
EDGE_ATTRIBUTES = (
    "action", "method", "timeout", "finishOnKey", "numDigits", "speechTimeout", "speechModel",
    "actionOnEmptyResult", "transcribe", "maxLength", "callerId", "to", "from", "loop", "digits",
    "voice", "language", "statusCallback", "url", "input", "record", "version", "hints", "bogus",
)  # fmt: skip
EDGE_CHILDREN = (
    "Say", "Play", "Pause", "Gather", "Redirect", "Hangup", "Dial", "Number", "Record", "Message",
    "Body", "Media", "Reject", "Conference", "Client", "break",
)  # fmt: skip


def _edge(data: bytes, rng: random.Random) -> bytes:
    """One clean document with one or two things changed toward what a check reports."""
    root = etree.fromstring(data)
    for _ in range(rng.randint(1, 2)):
        elements = list(root.iter(etree.Element))
        element = rng.choice(elements)
        roll = rng.random()
        value = rng.choice(EDGE_VALUES)
        if roll < 0.35:
            element.set(rng.choice(EDGE_ATTRIBUTES), value.replace("<", "").replace("&", ""))
        elif roll < 0.55 and element is not root and element.get("action") is not None:
            del element.attrib["action"]
        elif roll < 0.75:
            element.text = value
        elif roll < 0.9:
            child = etree.SubElement(rng.choice(elements), rng.choice(EDGE_CHILDREN))
            child.text = rng.choice(("/next", "+14155550100", "Hello", ""))
        else:
            for _ in range(11):
                etree.SubElement(
                    element, rng.choice(("Number", "Message", "Media"))
                ).text = "+14155550100"
    text = etree.tostring(root, encoding="utf-8")
    for raw in ("&amp;#160;", "&lt;!-- c --&gt;", "&lt;?pi x?&gt;"):  # markup written as text above
        text = text.replace(
            raw.encode(),
            raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").encode(),
        )
    return text


def edge_documents() -> list[bytes]:
    rng = random.Random(20261207)
    fixtures = [p.read_bytes() for p in sorted((ROOT / "samples").rglob("*.xml"))] + [
        p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*.xml"))
    ]
    found = list(CLEAN) + fixtures
    found += [_edge(rng.choice(CLEAN), rng) for _ in range(2500)]
    return found


@pytest.mark.parametrize("base_url", [BASE, None])
def test_what_the_gate_passes_has_no_findings_and_is_valid(base_url: str | None) -> None:
    passed = 0
    for data in edge_documents():
        parsed = parse(data, "flow.xml")
        if parsed.root is None or parsed.diagnostics:
            continue
        dialect = detect_dialect(parsed.root)
        if not gate.passes(parsed.root, parsed.source, dialect, base_url):
            continue
        passed += 1
        assert compiled(dialect).xsd.validate(parsed.root), data
        full = check(data, "flow.xml", base_url=base_url)  # the model's build: no gate
        assert full.diagnostics == (), (data, full.diagnostics)
    assert passed > (150 if base_url else 10)  # the gate is exercised, not only refused


def test_the_clean_examples_pass_with_and_without_a_base_url() -> None:
    for data in CLEAN:
        parsed = parse(data, "flow.xml")
        assert parsed.root is not None
        dialect = detect_dialect(parsed.root)
        assert gate.passes(parsed.root, parsed.source, dialect, BASE), data
    relative_free = CLEAN[0].replace(b">/ivr/start<", b">https://example.com/ivr/start<")
    parsed = parse(relative_free, "flow.xml")
    assert parsed.root is not None
    assert not gate.passes(
        parsed.root, parsed.source, Dialect.VOICE, None
    )  # /ivr/choice is relative


def test_lint_reports_the_same_with_the_gate_as_the_full_check_on_edge_documents() -> None:
    """What ``callbox lint`` sees: ``check(model=False)`` (gated) against ``check()`` (not)."""
    for data in edge_documents()[:1200]:
        for base_url in (BASE, None):
            assert (
                check(data, "flow.xml", base_url=base_url, model=False).diagnostics
                == check(data, "flow.xml", base_url=base_url).diagnostics
            ), data
