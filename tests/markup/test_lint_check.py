"""The ``check()`` pipeline: parse, schema, model and lint rules, with duplicates merged."""

from __future__ import annotations

from callbox.markup import model
from callbox.markup.check import check
from callbox.markup.dialect import Dialect

MENU = b"""<Response>
  <Gather numDigits="1">
    <Say>Press 1.</Say>
  </Gather>
  <Say voice="robot">Bye</Say>
</Response>
"""


def codes_of(
    data: bytes, *, base_url: str | None = None, rules: bool = True
) -> list[tuple[str, int, int]]:
    result = check(data, "flow.xml", base_url=base_url, rules=rules)
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def test_findings_of_every_layer_come_sorted_by_position() -> None:
    found = codes_of(MENU, base_url="https://example.com/menu")
    assert found == [("CF102", 2, 3), ("13511", 5, 8)]


def test_a_document_that_does_not_parse_stops_the_pipeline() -> None:
    result = check(b"<Response><Say>Hi</Response>", "broken.xml")
    assert result.root is None and result.document is None
    assert [d.code for d in result.diagnostics] == ["12100"]


def test_the_runtime_can_skip_the_lint_rules_but_keeps_the_model_findings() -> None:
    found = codes_of(MENU, base_url="https://example.com/menu", rules=False)
    assert found == [("13511", 5, 8)]


def test_the_typed_document_is_returned() -> None:
    result = check(MENU, base_url="https://example.com/menu")
    assert isinstance(result.document, model.Response)
    assert len(result.document.verbs) == 2


def test_a_schema_warning_at_the_place_of_a_specific_finding_is_dropped() -> None:
    found = codes_of(b"<Response><Redirect>ftp://example.com/x</Redirect></Response>")
    assert found == [("11100", 1, 21)]


def test_a_code_found_by_the_model_and_by_a_rule_is_reported_once() -> None:
    long_say = b"<Response><Say>" + b"word " * 1000 + b"</Say></Response>"
    assert [code for code, _, _ in codes_of(long_say)] == ["13521"]


def test_two_findings_of_one_code_on_one_line_are_both_kept() -> None:
    document = b'<Response><Message to="415-555-0100" from="(415) 555-0199">Hi</Message></Response>'
    assert codes_of(document) == [("CF112", 1, 20), ("CF112", 1, 38)]


def test_dialect_auto_is_resolved_and_an_explicit_dialect_wins() -> None:
    sms = b"<Response><Message>Hi</Message></Response>"
    assert check(sms).dialect is Dialect.MESSAGING
    assert check(sms, dialect=Dialect.VOICE).dialect is Dialect.VOICE
    assert [d.code for d in check(sms, dialect=Dialect.VOICE).diagnostics] == ["CF003"]


def test_relative_urls_are_an_error_only_without_a_base_url() -> None:
    document = b"<Response><Redirect>/next</Redirect></Response>"
    assert codes_of(document) == [("15004", 1, 21)]
    assert codes_of(document, base_url="https://example.com/flows/start") == []
