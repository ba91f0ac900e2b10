"""The response head the fetcher reads: what each header it needs says, in one pass over them."""

from __future__ import annotations

import httpx

from callbox.interpreter.fetch_response import ResponseHead


def head(*headers: tuple[str, str]) -> ResponseHead:
    return ResponseHead.of(httpx.Response(200, headers=list(headers)))


def test_the_media_type_is_lower_case_without_parameters() -> None:
    found = head(("Content-Type", "Text/XML; charset=utf-8"), ("Content-Length", "12"))
    assert found.content_type == "text/xml"
    assert found.content_length == "12"
    assert found.location is None
    assert not found.sets_cookie


def test_a_header_sent_twice_reads_as_its_values_joined_as_httpx_gives_them() -> None:
    found = head(("content-type", "text/xml"), ("Content-Type", "text/html"))
    assert found.content_type == "text/xml, text/html"  # no document type: refused with 12300
    assert head(("Location", "/a"), ("location", "/b")).location == "/a, /b"
    assert head(("Content-Length", "5"), ("Content-Length", "7")).content_length == "5, 7"


def test_missing_headers_and_cookies() -> None:
    found = head(("Set-Cookie", "session=1"))
    assert found.content_type == "" and found.content_length == ""
    assert found.sets_cookie
