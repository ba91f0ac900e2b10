"""Dialects: a document with <Message> is messaging; anything else is voice."""

from __future__ import annotations

from lxml import etree

from callbox.markup.dialect import Dialect, detect_dialect


def root(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode())


def test_document_with_a_message_is_messaging() -> None:
    assert (
        detect_dialect(root("<Response><Redirect>/x</Redirect><Message>Hi</Message></Response>"))
        is Dialect.MESSAGING
    )


def test_document_without_a_message_is_voice() -> None:
    assert (
        detect_dialect(root("<Response><Say>Hi</Say><Redirect>/x</Redirect></Response>"))
        is Dialect.VOICE
    )
    assert detect_dialect(root("<Response/>")) is Dialect.VOICE


def test_nested_message_does_not_make_messaging() -> None:
    """Only the document's verbs count (a <Message> deep inside something else does not)."""
    assert (
        detect_dialect(root("<Response><Gather><Message>x</Message></Gather></Response>"))
        is Dialect.VOICE
    )


def test_no_document_is_voice() -> None:
    assert detect_dialect(None) is Dialect.VOICE


def test_dialects_are_their_wire_strings() -> None:
    assert [str(d) for d in Dialect] == ["voice", "messaging", "auto"]
    assert Dialect("messaging") is Dialect.MESSAGING
