"""The hardened parser: hostile and malformed input becomes diagnostics, never exceptions."""

from __future__ import annotations

import time
from pathlib import Path

from callbox.markup.parser import MAX_DOCUMENT_BYTES, parse

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Response><Say>&lol9;</Say></Response>
"""


def test_valid_document_parses_without_diagnostics() -> None:
    result = parse(b"<Response><Say>Hello</Say></Response>")
    assert result.ok
    assert result.root is not None and result.root[0].tag == "Say"
    assert result.diagnostics == ()


def test_billion_laughs_is_refused_quickly_with_a_parse_diagnostic() -> None:
    started = time.perf_counter()
    result = parse(BILLION_LAUGHS, "laughs.xml")
    elapsed = time.perf_counter() - started
    assert not result.ok
    [found] = result.diagnostics
    assert (found.code, found.line, found.column) == ("12100", 2, 1)
    assert "DOCTYPE" in found.message
    assert elapsed < 1.0


def test_external_entity_never_reads_the_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    document = (
        f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<Response><Say>&x;</Say></Response>"
    ).encode()
    result = parse(document)
    assert not result.ok
    assert result.diagnostics[0].code == "12100"
    assert all("TOP-SECRET" not in d.message for d in result.diagnostics)


def test_document_over_64_kb_is_refused_with_11750() -> None:
    body = b"<Response><Say>" + b"a" * MAX_DOCUMENT_BYTES + b"</Say></Response>"
    [found] = parse(body).diagnostics
    assert found.code == "11750"


def test_syntax_error_reports_line_and_column() -> None:
    [found] = parse(b"<Response>\n  <Say>hi</Sya>\n</Response>", "menu.xml").diagnostics
    assert (found.path, found.code, found.line) == ("menu.xml", "12100", 2)
    assert found.column > 1


def test_whitespace_before_prolog_gets_a_hint() -> None:
    [found] = parse(b'\n<?xml version="1.0"?><Response/>').diagnostics
    assert found.code == "12100"
    assert found.hint is not None and "before <?xml" in found.hint


def test_json_body_is_named_as_json() -> None:
    [found] = parse(b'{"say": "hi"}').diagnostics
    assert "JSON" in found.message


def test_wrong_root_is_12102() -> None:
    [found] = parse(b"<response><Say>hi</Say></response>").diagnostics
    assert found.code == "12102"
    assert found.hint == "Did you mean <Response>?"


def test_amazon_effect_without_namespace_declaration_is_accepted() -> None:
    result = parse(
        b'<Response><Say voice="Polly.Joanna">Hi <amazon:effect name="whispered">'
        b"there</amazon:effect></Say></Response>"
    )
    assert result.ok
    assert result.diagnostics == ()


def test_excessive_depth_is_a_parse_failure() -> None:
    deep = b"<Response>" + b"<a>" * 300 + b"</a>" * 300 + b"</Response>"
    [found] = parse(deep).diagnostics
    assert found.code == "12100"
