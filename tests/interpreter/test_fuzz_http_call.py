"""Fuzzing a call against a hostile application served in-process: random statuses, HTTP
redirects (loops, private and link-local addresses, other schemes, URLs that cannot be parsed),
content types, oversized bodies, garbage cookies, an app that raises, and documents linking to
all of these; a random caller answers through the pytest API.

Every call ends with a final status and no internal failure (12400), fetches no more documents
than the loop caps allow, and never connects anywhere but the app and loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callbox import codes
from callbox.testing import CallSimulator

PATHS = ("p0", "p1", "p2", "p3")
LOCATIONS = [
    "/p1",
    "p2",
    "http://testserver/p0",
    "/p0",
    "http://127.0.0.1:9/refused",
    "http://10.0.0.1/private",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:9/",
    "file:///etc/passwd",
    "ftp://127.0.0.1/x",
    "http://[::1",
    "",
    "//testserver/p3",
    "/p1#rc=5&rp=all&ct=1",
    "/p2#tt=999999999&rc=99999999999999999999999",
]
TARGETS = st.sampled_from([*LOCATIONS, "/missing", "p3?x=%zz", "/media.wav"])


@st.composite
def verbs(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 7))
    target = escape(draw(TARGETS))
    if kind == 0:
        return f"<Redirect>{target}</Redirect>"
    if kind == 1:
        return f"<Play>{target}</Play>"
    if kind == 2:
        attrs = f" action={quoteattr(draw(TARGETS))}" if draw(st.booleans()) else ""
        return f'<Gather numDigits="1" timeout="2"{attrs}><Say>Press a key</Say></Gather>'
    if kind == 3:
        return f'<Record maxLength="5" action={quoteattr(draw(TARGETS))}/>'
    if kind == 4:
        return f"<Dial action={quoteattr(draw(TARGETS))}><Number url={quoteattr(draw(TARGETS))}>+15005550006</Number></Dial>"
    if kind == 5:
        return "<Say>Hello</Say>"
    if kind == 6:
        return '<Pause length="2"/>'
    return "<Hangup/>"


@dataclass
class Page:
    status: int = 200
    content_type: str = "text/xml"
    body: bytes = b""
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    raises: bool = False


@st.composite
def pages(draw: st.DrawFn) -> Page:
    kind = draw(st.integers(0, 9))
    document = f"<Response>{''.join(draw(st.lists(verbs(), max_size=4)))}</Response>".encode()
    if kind <= 3:
        return Page(body=document)
    if kind == 4:
        status = draw(st.sampled_from([301, 302, 303, 307, 308]))
        location = draw(
            st.one_of(
                st.sampled_from(LOCATIONS).map(str.encode),
                st.sampled_from(
                    [b"/p1\xff\xfe", b"/" + b"a" * 9000, b"\x00", b"http://testserver:99999/"]
                ),
            )
        )
        return Page(status=status, headers=[(b"location", location)])
    if kind == 5:
        status = draw(st.sampled_from([204, 400, 404, 500, 503, 999]))
        return Page(status=status, body=document)
    if kind == 6:
        content_type = draw(
            st.sampled_from(
                [
                    "",
                    "text/plain",
                    "audio/wav",
                    "application/json",
                    "text/html; x",
                    "text/xml; charset=bogus",
                    "text/plain; charset=utf-16",
                    "text/xml\u00ff",
                    ";;",
                    "audio/mpeg",
                ]
            )
        )
        body = draw(st.sampled_from([document, b"hi", b"\xff\xfe\x00", b"\xef\xbb\xbf" + document]))
        return Page(content_type=content_type, body=body)
    if kind == 7:
        return Page(body=b"<Response><Say>" + b"x" * 70_000 + b"</Say></Response>")
    if kind == 8 and draw(st.booleans()):
        length = draw(st.sampled_from([b"9" * 5000, "\u00b2".encode(), b"-1", b"0", b"x", b"1e9"]))
        return Page(body=document, headers=[(b"content-length", length)])
    if kind == 8:
        cookie = draw(
            st.sampled_from([b"a=b", b"=", b"x" * 5000, b"a=b; Domain=evil.example", b"\xff=\xfe"])
        )
        return Page(body=document, headers=[(b"set-cookie", cookie)])
    return Page(raises=True)


class HostileApp:
    """An ASGI app answering each path with the page drawn for it."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        while (await receive()).get("more_body"):
            pass
        page = self.pages.get(scope["path"].lstrip("/"))
        if page is None:
            page = Page(status=404, content_type="text/plain", body=b"not found")
        if page.raises:
            raise RuntimeError("the application crashed")
        headers = [*page.headers]
        if page.content_type:
            headers.append((b"content-type", page.content_type.encode("latin-1")))
        await send({"type": "http.response.start", "status": page.status, "headers": headers})
        await send({"type": "http.response.body", "body": page.body})


@pytest.fixture(scope="module")
def simulator() -> Iterator[CallSimulator]:
    with CallSimulator() as simulator:
        yield simulator


APP = HostileApp()
ANSWERS = st.lists(
    st.sampled_from(["press", "say", "silent", "hang_up", "redirect", "hangup_from_outside"]),
    min_size=0,
    max_size=6,
).map(tuple)
LIVE_REDIRECTS = st.tuples(TARGETS, st.sampled_from(["POST", "GET", "DELETE", "", "get"]))
MAX_DOCUMENTS = 10


@given(
    drawn=st.fixed_dictionaries({path: pages() for path in PATHS}),
    answers=ANSWERS,
    hangup_after=st.sampled_from([None, None, 1.0, 30.0]),
    fallback=st.sampled_from([None, "/p3", "/missing"]),
    live_redirect=LIVE_REDIRECTS,
)
def test_a_call_against_a_hostile_app_ends_cleanly(
    simulator: CallSimulator,
    drawn: dict[str, Page],
    answers: tuple[str, ...],
    hangup_after: float | None,
    fallback: str | None,
    live_redirect: tuple[str, str],
) -> None:
    APP.pages = drawn
    call = simulator.call(
        APP,
        "/p0",
        hangup_after=hangup_after,
        fallback_url=fallback,
        max_documents=MAX_DOCUMENTS,
        max_redirects_without_input=4,
    )
    for answer in answers:
        prompt = call.next_prompt()
        if prompt is None:
            break
        if answer == "press":
            call.press("1")
        elif answer == "say":
            call.say("yes please")
        elif answer == "silent":
            call.stay_silent()
        elif answer == "redirect":  # a live update from outside, as the REST API sends
            call.redirect(*live_redirect)
        elif answer == "hangup_from_outside":
            call.hangup()
            break
        else:
            call.hang_up(after=0.5)
    result = call.finish()

    assert result.status.is_final
    assert codes.INTERNAL_FAILURE.id not in call.codes(), result.timeline.format()
    documents = [r for r in result.requests if r.kind in ("document", "fallback")]
    assert len(documents) <= 2 * MAX_DOCUMENTS, result.timeline.format()
    times = [event.at for event in result.timeline.events]
    assert times == sorted(times), result.timeline.format()
    for exchange in result.requests:
        if not exchange.url.startswith("http"):
            assert exchange.error_code == codes.INVALID_URL.id, exchange
        if exchange.status_code is not None:  # a response came back: from the app itself
            assert exchange.url.startswith("http://testserver/"), exchange
