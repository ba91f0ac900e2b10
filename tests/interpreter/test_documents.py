"""compile_document and the helpers around it: a document is checked leniently (schema problems
are warnings, a document that cannot be used is an error and no verbs), and the call reports a
verb by its tag and place."""

from __future__ import annotations

from dataclasses import dataclass

from callbox import codes
from callbox.diagnostics import Severity
from callbox.interpreter.documents import (
    compile_document,
    used_as_written,
    verb_name,
    verb_position,
)
from callbox.markup.source import Position

URL = "https://app.example.com/voice"


def test_good_document_gives_its_verbs_in_order_without_findings() -> None:
    body = b"<Response><Say>Hello</Say><Pause length='2'/><Hangup/></Response>"
    verbs, found = compile_document(body, URL)
    assert [verb_name(verb) for verb in verbs] == ["Say", "Pause", "Hangup"]
    assert found == []


def test_schema_problem_is_a_warning_and_the_verbs_still_run() -> None:
    body = b"<Response><Say bogus='1'>Hello</Say><Hangup/></Response>"
    verbs, found = compile_document(body, URL)
    assert [verb_name(verb) for verb in verbs] == ["Say", "Hangup"]
    assert found
    assert not any(d.is_error for d in found)
    assert {d.severity for d in found} == {Severity.WARNING}


def test_parse_failure_gives_no_verbs_and_an_error() -> None:
    verbs, found = compile_document(b"<Response><Say>Hello</Response>", URL)
    assert verbs == ()
    assert codes.DOCUMENT_PARSE_FAILURE.id in [d.code for d in found if d.is_error]


def test_document_that_is_not_twiml_gives_no_verbs_and_an_error() -> None:
    verbs, found = compile_document(b"<html><body>Hi</body></html>", URL)
    assert verbs == ()
    assert any(d.is_error for d in found)


def test_findings_name_the_document_url() -> None:
    _, found = compile_document(b"<Response><Say>", URL)
    assert found and all(d.path == URL for d in found)


def test_findings_of_an_inline_document_name_it_inline() -> None:
    _, found = compile_document(b"<Response><Say>", None)
    assert found and all(d.path == "<inline>" for d in found)


def test_lint_rules_are_not_applied_at_run_time() -> None:
    """The runtime is lenient: a lint finding (a verb after <Hangup> is never reached) is no
    finding of the call."""
    from callbox.markup.check import check

    body = b"<Response><Hangup/><Say>Hi</Say></Response>"
    assert check(body, URL, base_url=URL).diagnostics  # lint reports it
    verbs, found = compile_document(body, URL)
    assert [verb_name(verb) for verb in verbs] == ["Hangup", "Say"]
    assert found == []


def test_urls_with_a_scheme_are_used_as_written() -> None:
    assert used_as_written("https://other.example.com/next")
    assert used_as_written("tel:+15551234")
    assert not used_as_written("/next")
    assert not used_as_written("next?x=1")


def test_unparsable_url_is_used_as_written_for_the_fetcher_to_refuse() -> None:
    assert used_as_written("http://[::1")


@dataclass
class Tagged:
    tag: object
    position: object = None


@dataclass
class Lined:
    line: object
    column: object = 0


def test_verb_name_is_its_tag_or_else_its_class_name() -> None:
    assert verb_name(Tagged("Gather")) == "Gather"
    assert verb_name(Tagged(None)) == "Tagged"
    assert verb_name(object()) == "object"


def test_verb_position_from_a_position_or_line_and_column() -> None:
    assert verb_position(Tagged("Say", Position(3, 5))) == Position(3, 5)
    assert verb_position(Lined(7, 2)) == Position(7, 2)
    assert verb_position(Lined(7, None)) == Position(7, 0)
    assert verb_position(Lined("7")) is None
    assert verb_position(object()) is None


def test_verbs_of_a_fetched_document_know_their_place() -> None:
    verbs, _ = compile_document(b"<Response>\n  <Say>Hi</Say>\n</Response>", URL)
    position = verb_position(verbs[0])
    assert position is not None
    assert position.line == 2
