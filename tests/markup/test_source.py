"""Source positions: 1-based lines and columns for elements, attributes and offsets."""

from __future__ import annotations

from lxml import etree

from callbox.markup.parser import parse
from callbox.markup.source import Position, Source

DOCUMENT = """<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Gather numDigits="1" action="/menu">
    <Say voice="alice">Préss one</Say><Say>two</Say>
  </Gather>
</Response>
""".encode()


def elements() -> tuple[Source, list[etree._Element]]:
    result = parse(DOCUMENT, "menu.xml")
    assert result.root is not None
    return result.source, list(result.root.iter())


def test_element_positions_match_document_order() -> None:
    source, (response, gather, say_one, say_two) = elements()
    assert source.element_position(response) == Position(2, 1)
    assert source.element_position(gather) == Position(3, 3)
    assert source.element_position(say_one) == Position(4, 5)
    # columns count characters, not bytes: 'é' is two bytes in UTF-8
    assert source.element_position(say_two) == Position(4, 39)


def test_attribute_position_points_at_the_name() -> None:
    source, (_, gather, _, _) = elements()
    assert source.attribute_position(gather, "action") == Position(3, 25)
    assert source.attribute_position(gather, "numDigits") == Position(3, 11)


def test_missing_attribute_falls_back_to_the_element() -> None:
    source, (_, gather, _, _) = elements()
    assert source.attribute_position(gather, "timeout") == Position(3, 3)


def test_line_text_and_offsets() -> None:
    source = Source(b"a\r\nbc\nd")
    assert source.line_text(2) == "bc"
    assert source.position_of_offset(4) == Position(2, 2)
    assert source.line_text(9) == ""
