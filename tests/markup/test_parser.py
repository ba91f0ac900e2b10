"""The hardened parser: hostile and malformed input becomes diagnostics, never exceptions."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from callbox.markup import parser as parser_module
from callbox.markup.check import check
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.markup.parser import ParsedDocument, parse

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


def _encoded(text: str, codec: str) -> bytes:
    return text.encode(codec)


WIDE_ENCODINGS = [("UTF-16", "utf-16-le"), ("UTF-16", "utf-16"), ("UTF-32", "utf-32-le")]
"""Declared name and codec: UTF-16 little-endian without and with a byte-order mark, UTF-32."""


@pytest.mark.parametrize(("declared", "codec"), WIDE_ENCODINGS)
def test_a_doctype_in_utf16_or_utf32_is_refused_where_it_stands(declared: str, codec: str) -> None:
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>\n'
        '<!DOCTYPE Response [<!ENTITY a "hello">]>\n<Response><Say>&a;</Say></Response>'
    )
    result = parse(_encoded(text, codec), "wide.xml")
    assert not result.ok
    [found] = result.diagnostics
    assert (found.code, found.line, found.column) == ("12100", 2, 1)
    assert "DOCTYPE" in found.message


def test_an_internal_entity_in_utf32_is_a_diagnostic_not_a_validation_crash() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE Response [<!ENTITY a "hello">]>'
        "<Response><Say>&a;</Say></Response>"
    )
    checked = check(_encoded(text, "utf-32-le"), "wide.xml")
    assert [d.code for d in checked.diagnostics] == ["12100"]


def _parse_within(data: bytes, seconds: float) -> ParsedDocument | None:
    """``parse(data)``, or None when it has not returned after ``seconds`` (it spins forever)."""
    results: list[ParsedDocument] = []
    worker = threading.Thread(target=lambda: results.append(parse(data)), daemon=True)
    worker.start()
    worker.join(seconds)
    return results[0] if results else None


def test_a_parameter_entity_on_dev_zero_in_utf16_is_refused_without_reading_it() -> None:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>'
        '<!DOCTYPE Response [<!ENTITY % zero SYSTEM "file:///dev/zero"> %zero;]><Response/>'
    )
    result = _parse_within(_encoded(text, "utf-16-le"), 30)
    assert result is not None, "the parser read /dev/zero"
    assert [d.code for d in result.diagnostics] == ["12100"]


def _system_doctype(path: Path, codec: str = "utf-16-le") -> bytes:
    declared = "UTF-8" if codec == "utf-8" else "UTF-16"
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>'
        f'<!DOCTYPE Response SYSTEM "file://{path}"><Response/>'
    )
    return _encoded(text, codec)


def test_a_system_doctype_tells_nothing_about_which_files_exist(tmp_path: Path) -> None:
    present = tmp_path / "present.dtd"
    present.write_text("<!ELEMENT Response ANY>")
    missing = tmp_path / "missing.dtd"
    seen = [parse(_system_doctype(path)).diagnostics for path in (present, missing)]
    assert seen[0] == seen[1]
    assert [d.code for d in seen[0]] == ["12100"]


def test_libxml2_opens_nothing_even_when_the_doctype_search_misses_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the search for a DOCTYPE is the first line of defence; behind it, the parser itself can
    # open no file and the tree is refused when libxml2 found a DTD
    monkeypatch.setattr(parser_module, "_find_doctype", lambda *_: None)
    present = tmp_path / "present.dtd"
    present.write_text('<!ENTITY % zero SYSTEM "file:///dev/zero"> %zero;')
    zero = b'<!DOCTYPE Response [<!ENTITY % zero SYSTEM "file:///dev/zero"> %zero;]><Response/>'
    result = _parse_within(zero, 30)
    assert result is not None, "the parser read /dev/zero"
    seen = [
        parse(_system_doctype(path, "utf-8")).diagnostics
        for path in (present, tmp_path / "missing.dtd")
    ]
    assert seen[0] == seen[1] == result.diagnostics
    assert "DOCTYPE" in result.diagnostics[0].message


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"], ids=["no-mark", "utf8-mark"])
def test_an_unknown_declared_encoding_is_a_parse_diagnostic(mark: bytes) -> None:
    result = parse(mark + b'<?xml version="1.0" encoding="foo-bar"?><Response/>')
    [found] = result.diagnostics
    assert found.code == "12100"
    assert "foo-bar" in found.message
