"""``diagnose`` (the model-free build that ``callbox lint`` runs) reports exactly what ``build``
reports: the same codes, positions, messages and hints, in the same order, on every fixture, every
sample and a few hundred documents made by mutating them with values the coercers refuse."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from callbox.markup.build import build, diagnose
from callbox.markup.check import check
from callbox.markup.dialect import Dialect
from callbox.markup.parser import parse

ROOT = Path(__file__).resolve().parent.parent.parent
FILES = sorted((ROOT / "tests" / "fixtures").rglob("*.xml")) + sorted(
    (ROOT / "samples").rglob("*.xml")
)
VALUES = (
    "", " ", "true", "TRUE", "yes", "0", "-1", "+5", " 5 ", "86401", "auto", "get", "PUT",
    "dtmf  speech", "dtmf,speech", "##", "abc", "/relative", "ftp://x/y", "http://a b/",
    "{{ url }}", "wss://x/y", "+14155550100", "415-555-0100", "client:alice", "sip:a@b.com",
    "en_US", "e", "Polly.Joanna", "robot", "do-not-trim", "in-progress completed", "1.5",
    "default", "x" * 70, "121", "601", "https://example.com/x.php", "whatsapp:+14155550100",
)  # fmt: skip
ATTRIBUTES = (
    "action", "method", "timeout", "finishOnKey", "numDigits", "speechTimeout", "speechModel",
    "transcribe", "maxLength", "callerId", "to", "from", "loop", "digits", "voice", "language",
    "statusCallback", "url", "input", "record", "bogus",
)  # fmt: skip
TAGS = (
    "Say", "Play", "Pause", "Dial", "Number", "Conference", "Sip", "Client", "Gather", "Redirect",
    "Message", "Body", "Media", "Identity", "break", "Record", "Application", "ApplicationSid",
)  # fmt: skip


def _mutated(data: bytes, rng: random.Random) -> bytes | None:
    """The document with one to four values, texts or children changed."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    for _ in range(rng.randint(1, 4)):
        element = rng.choice([e for e in root.iter() if isinstance(e.tag, str)])
        roll = rng.random()
        if roll < 0.4 and element.attrib:
            element.set(rng.choice(sorted(element.attrib.keys())), rng.choice(VALUES))
        elif roll < 0.6:
            element.set(rng.choice(ATTRIBUTES), rng.choice(VALUES))
        elif roll < 0.8:
            element.text = rng.choice(VALUES)
        else:
            child = etree.SubElement(element, rng.choice(TAGS))
            child.text = rng.choice(VALUES)
    return etree.tostring(root, encoding="utf-8")


def documents() -> Iterator[bytes]:
    originals = [path.read_bytes() for path in FILES]
    yield from originals
    rng = random.Random(20240611)
    for _ in range(600):
        mutated = _mutated(rng.choice(originals), rng)
        if mutated is not None:
            yield mutated


def test_there_are_documents_to_compare() -> None:
    assert len(FILES) > 100


@pytest.mark.parametrize("dialect", [Dialect.VOICE, Dialect.MESSAGING])
def test_diagnose_reports_what_build_reports(dialect: Dialect) -> None:
    compared = 0
    for data in documents():
        parsed = parse(data, "flow.xml")
        if parsed.root is None:
            continue
        _, built = build(parsed.root, parsed.source, dialect)
        assert diagnose(parsed.root, parsed.source) == built, data
        compared += 1
    assert compared > 500


def test_check_without_the_model_reports_the_same_diagnostics() -> None:
    for data in documents():
        for base_url in (None, "https://example.com/flows/menu.xml"):
            full = check(data, "flow.xml", base_url=base_url)
            lint = check(data, "flow.xml", base_url=base_url, model=False)
            assert lint.diagnostics == full.diagnostics, data
            assert lint.document is None
