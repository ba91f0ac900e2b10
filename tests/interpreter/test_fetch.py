"""HttpFetcher against in-process apps: Twilio's request shape, signature, cookies, limits, codes."""

from __future__ import annotations

import gc
import uuid
import weakref
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import anyio
import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from callbox.interpreter.fetch import (
    FetchLimits,
    HttpFetcher,
    encode_params,
    idempotency_token,
    make_client,
)
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.transports import in_process
from callbox.interpreter.webhook import WebhookRequest

pytestmark = pytest.mark.anyio

TOKEN = "secret-auth-token"
LOCAL_APP = FetchPolicy().for_first_url("http://127.0.0.1:9/voice")
"""The policy of a call whose own URL is on loopback: a developer's app, which may use loopback."""
TWIML = b"<Response><Say>Hello</Say></Response>"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Recorder:
    """A developer app that validates every request as a Twilio app would and records it."""

    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self.invalid: list[str] = []

    async def record(self, request: Request) -> dict[str, Any]:
        form = await request.form() if request.method == "POST" else None
        signature = request.headers.get("x-twilio-signature", "")
        url = str(request.url)
        valid = RequestValidator(TOKEN).validate(url, form or {}, signature)
        if not valid:
            self.invalid.append(url)
        entry = {
            "method": request.method,
            "url": url,
            "form": [(k, v) for k, v in form.multi_items()] if form else [],
            "query": list(request.query_params.multi_items()),
            "headers": dict(request.headers),
            "valid": valid,
        }
        self.seen.append(entry)
        return entry

    def app(self) -> Starlette:
        async def voice(request: Request) -> Response:
            await self.record(request)
            return Response(TWIML, media_type="text/xml")

        async def cookie(request: Request) -> Response:
            await self.record(request)
            response = Response(TWIML, media_type="text/xml")
            response.set_cookie("session", "abc123")
            return response

        async def redirect(request: Request) -> Response:
            await self.record(request)
            status = int(request.path_params["status"])
            return RedirectResponse("/voice?hop=1", status_code=status)

        async def loop(request: Request) -> Response:
            await self.record(request)
            return RedirectResponse("/loop", status_code=302)

        async def to_metadata(request: Request) -> Response:
            await self.record(request)
            return RedirectResponse("http://169.254.169.254/latest/meta-data", status_code=302)

        async def status(request: Request) -> Response:
            await self.record(request)
            return PlainTextResponse("nope", status_code=int(request.path_params["code"]))

        async def typed(request: Request) -> Response:
            await self.record(request)
            media_type = request.query_params.get("type", "")
            body = request.query_params.get("body", "<Response/>").encode()
            response = Response(body)
            if media_type:
                response.headers["content-type"] = media_type
            return response

        async def big(request: Request) -> Response:
            await self.record(request)
            size = int(request.query_params["size"])
            media_type = request.query_params.get("type", "text/xml")
            return Response(b"<" + b"x" * (size - 1), media_type=media_type)

        async def slow(request: Request) -> Response:
            await self.record(request)
            await anyio.sleep(5)
            return Response(TWIML, media_type="text/xml")

        async def crash(request: Request) -> Response:
            raise RuntimeError("the app is broken")

        return Starlette(
            routes=[
                Route("/voice", voice, methods=["GET", "POST"]),
                Route("/cookie", cookie, methods=["GET", "POST"]),
                Route("/redirect/{status}", redirect, methods=["GET", "POST"]),
                Route("/loop", loop, methods=["GET", "POST"]),
                Route("/to-metadata", to_metadata, methods=["GET", "POST"]),
                Route("/status/{code}", status, methods=["GET", "POST"]),
                Route("/typed", typed, methods=["GET", "POST"]),
                Route("/big", big, methods=["GET", "POST"]),
                Route("/slow", slow, methods=["GET", "POST"]),
                Route("/crash", crash, methods=["GET", "POST"]),
            ]
        )


@pytest.fixture
async def app_fetcher() -> AsyncIterator[tuple[Recorder, HttpFetcher]]:
    recorder = Recorder()
    served = in_process(recorder.app())
    async with served.client:
        yield recorder, HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)


CALL = {"CallSid": "CA" + "0" * 32, "From": "+15550001111", "To": "+15550002222"}


async def test_post_sends_a_signed_form_the_official_validator_accepts(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    result = await fetcher.fetch_document(
        WebhookRequest("http://testserver/voice", "POST", {**CALL, "Digits": "12#"})
    )
    assert result.ok, result.message
    assert result.body == TWIML
    assert result.content_type == "text/xml"
    (seen,) = recorder.seen
    assert seen["valid"]
    assert ("Digits", "12#") in seen["form"]
    headers = seen["headers"]
    assert headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert headers["user-agent"] == "TwilioProxy/1.1"
    assert "text/xml" in headers["accept"]
    assert headers["i-twilio-idempotency-token"]


async def test_get_appends_params_to_the_existing_query_and_signs_the_full_url(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    result = await fetcher.fetch_document(
        WebhookRequest("http://testserver/voice?menu=main", "GET", CALL)
    )
    assert result.ok, result.message
    (seen,) = recorder.seen
    assert seen["valid"]
    assert seen["query"][0] == ("menu", "main")
    assert ("CallSid", CALL["CallSid"]) in seen["query"]
    assert seen["form"] == []


@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_repeated_keys_and_unicode_values_are_signed_correctly(
    app_fetcher: tuple[Recorder, HttpFetcher], method: str
) -> None:
    recorder, fetcher = app_fetcher
    params: dict[str, str | list[str]] = {
        **CALL,
        "StatusCallbackEvent": ["ringing", "answered", "completed"],
        "SpeechResult": "Grüße, señor 東京 & more=yes",
    }
    result = await fetcher.fetch_document(WebhookRequest("http://testserver/voice", method, params))
    assert result.ok, result.message
    (seen,) = recorder.seen
    assert seen["valid"], seen["url"]
    pairs = seen["form"] if method == "POST" else seen["query"]
    assert [v for k, v in pairs if k == "StatusCallbackEvent"] == [
        "ringing",
        "answered",
        "completed",
    ]
    assert ("SpeechResult", "Grüße, señor 東京 & more=yes") in pairs


async def test_idempotency_token_differs_between_requests(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    for _ in range(2):
        await fetcher.fetch_document(WebhookRequest("http://testserver/voice", "POST", CALL))
    tokens = {seen["headers"]["i-twilio-idempotency-token"] for seen in recorder.seen}
    assert len(tokens) == 2


async def test_idempotency_token_is_kept_across_redirect_hops(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    await fetcher.fetch_document(WebhookRequest("http://testserver/redirect/307", "POST", CALL))
    tokens = [seen["headers"]["i-twilio-idempotency-token"] for seen in recorder.seen]
    assert len(tokens) == 2 and tokens[0] == tokens[1]


async def test_cookies_are_kept_for_the_call_and_not_shared_with_other_calls() -> None:
    recorder = Recorder()
    served = in_process(recorder.app())
    async with served.client:
        first_call = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        other_call = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        await first_call.fetch_document(WebhookRequest("http://testserver/cookie", "POST", CALL))
        await first_call.fetch_document(WebhookRequest("http://testserver/voice", "POST", CALL))
        await other_call.fetch_document(WebhookRequest("http://testserver/voice", "POST", CALL))
    cookie_headers = [seen["headers"].get("cookie") for seen in recorder.seen]
    assert cookie_headers == [None, "session=abc123", None]


@pytest.mark.parametrize(
    ("length", "code"),
    [(b"9" * 5000, "11750"), ("\u00b2".encode(), None), (b"0000000000000000000000011", None)],
)
async def test_a_content_length_that_is_no_number_python_reads_is_not_a_crash(
    length: bytes, code: str | None
) -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        headers = [(b"content-type", b"text/xml"), (b"content-length", length)]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": TWIML})

    served = in_process(app)
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        result = await fetcher.fetch_document(WebhookRequest("http://testserver/a", "POST", CALL))
    assert result.error_code == code, result.message


@pytest.mark.parametrize("cookie", [b"\xff=\xfe", "caf\u00e9=1".encode(), b"a=b\x00c", b"a=b\x01"])
async def test_a_cookie_that_cannot_be_sent_back_is_dropped_and_the_call_goes_on(
    cookie: bytes,
) -> None:
    seen: list[bytes | None] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await receive()
        seen.append(dict(scope["headers"]).get(b"cookie"))
        headers = [(b"content-type", b"text/xml"), (b"set-cookie", cookie)]
        headers.append((b"set-cookie", b"kept=1"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": TWIML})

    served = in_process(app)
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        first = await fetcher.fetch_document(WebhookRequest("http://testserver/a", "POST", CALL))
        second = await fetcher.fetch_document(WebhookRequest("http://testserver/b", "POST", CALL))
    assert first.ok and second.ok, second.message
    assert seen == [None, b"kept=1"]


@pytest.mark.parametrize(
    ("status", "method"), [(302, "GET"), (303, "GET"), (307, "POST"), (308, "POST")]
)
async def test_http_redirects_are_followed_and_re_signed_for_each_hop(
    app_fetcher: tuple[Recorder, HttpFetcher], status: int, method: str
) -> None:
    recorder, fetcher = app_fetcher
    result = await fetcher.fetch_document(
        WebhookRequest(f"http://testserver/redirect/{status}", "POST", CALL)
    )
    assert result.ok, result.message
    assert result.url == "http://testserver/voice?hop=1"
    assert [seen["method"] for seen in recorder.seen] == ["POST", method]
    assert all(seen["valid"] for seen in recorder.seen)
    if method == "POST":
        assert ("CallSid", CALL["CallSid"]) in recorder.seen[1]["form"]


async def test_an_http_redirect_loop_ends_with_11215_after_ten_redirects(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    result = await fetcher.fetch_document(WebhookRequest("http://testserver/loop", "POST", CALL))
    assert result.error_code == "11215"
    assert "redirect" in result.message
    assert len(recorder.seen) == 11


async def test_a_redirect_to_cloud_metadata_is_refused_before_any_connection(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    _, fetcher = app_fetcher
    result = await fetcher.fetch_document(
        WebhookRequest("http://testserver/to-metadata", "POST", CALL)
    )
    assert result.error_code == "11230"
    assert "169.254.169.254" in result.message


@pytest.mark.parametrize("code", [404, 500, 503])
async def test_error_statuses_give_11200_and_keep_the_status(
    app_fetcher: tuple[Recorder, HttpFetcher], code: int
) -> None:
    _, fetcher = app_fetcher
    result = await fetcher.fetch_document(
        WebhookRequest(f"http://testserver/status/{code}", "POST", CALL)
    )
    assert result.error_code == "11200"
    assert result.status_code == code
    assert str(code) in result.message


@pytest.mark.parametrize(
    "media_type",
    ["text/xml", "application/xml; charset=utf-8", "text/html", "text/plain", "audio/mpeg"],
)
async def test_content_types_twilio_runs_are_accepted(
    app_fetcher: tuple[Recorder, HttpFetcher], media_type: str
) -> None:
    _, fetcher = app_fetcher
    url = str(httpx.URL("http://testserver/typed", params={"type": media_type}))
    result = await fetcher.fetch_document(WebhookRequest(url, "GET"))
    assert result.ok, result.message
    assert result.content_type == media_type.split(";")[0]


@pytest.mark.parametrize("media_type", ["application/json", "image/png", ""])
async def test_other_or_missing_content_types_give_12300(
    app_fetcher: tuple[Recorder, HttpFetcher], media_type: str
) -> None:
    _, fetcher = app_fetcher
    url = str(httpx.URL("http://testserver/typed", params={"type": media_type}))
    result = await fetcher.fetch_document(WebhookRequest(url, "GET"))
    assert result.error_code == "12300"
    assert result.body == b""


async def test_an_empty_body_gives_11770(app_fetcher: tuple[Recorder, HttpFetcher]) -> None:
    _, fetcher = app_fetcher
    url = str(httpx.URL("http://testserver/typed", params={"type": "text/xml", "body": ""}))
    result = await fetcher.fetch_document(WebhookRequest(url, "GET"))
    assert result.error_code == "11770"


async def test_a_document_at_the_cap_is_accepted_and_one_byte_more_gives_11750(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    _, fetcher = app_fetcher
    at_cap = await fetcher.fetch_document(
        WebhookRequest(f"http://testserver/big?size={64 * 1024}", "GET")
    )
    over = await fetcher.fetch_document(
        WebhookRequest(f"http://testserver/big?size={64 * 1024 + 1}", "GET")
    )
    assert at_cap.ok and len(at_cap.body) == 64 * 1024
    assert over.error_code == "11750"
    assert over.body == b""


async def test_a_huge_streamed_body_is_abandoned_after_the_cap_without_reading_it_all() -> None:
    pulled: list[int] = []

    def endless(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/xml")])  # no Content-Length
        for index in range(160):  # 10 MB in 64 KB chunks
            pulled.append(index)
            yield b"x" * 65536

    served = in_process(endless)
    async with served.client:
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        result = await fetcher.fetch_document(WebhookRequest("http://testserver/", "POST", CALL))
    assert result.error_code == "11750"
    assert len(pulled) <= 3


async def test_media_may_be_larger_than_a_document_but_must_be_audio(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    _, fetcher = app_fetcher
    audio = await fetcher.fetch_media(f"http://testserver/big?size={200_000}&type=audio/wav")
    html = await fetcher.fetch_media("http://testserver/big?size=100&type=text/html")
    assert audio.ok and len(audio.body) == 200_000
    assert html.error_code == "13420"


async def test_media_over_its_own_cap_gives_11750() -> None:
    recorder = Recorder()
    served = in_process(recorder.app())
    async with served.client:
        fetcher = HttpFetcher(
            served.client,
            auth_token=TOKEN,
            policy=served.policy,
            limits=FetchLimits(media_cap=100_000),
        )
        result = await fetcher.fetch_media("http://testserver/big?size=100001&type=audio/wav")
    assert result.error_code == "11750"


async def test_the_total_timeout_fragment_ends_a_slow_fetch_with_11205_quickly(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    with anyio.fail_after(3):
        result = await fetcher.fetch_document(
            WebhookRequest("http://testserver/slow#tt=200", "POST", CALL)
        )
    assert result.error_code == "11205"
    assert "0.2 s" in result.message
    assert recorder.seen[0]["url"] == "http://testserver/slow"  # the fragment is never sent


async def test_an_app_that_raises_gives_11200_with_status_500(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    _, fetcher = app_fetcher
    result = await fetcher.fetch_document(WebhookRequest("http://testserver/crash", "POST", CALL))
    assert result.error_code == "11200"
    assert result.status_code == 500


async def test_callbacks_ignore_the_body_and_report_non_2xx_as_15003(
    app_fetcher: tuple[Recorder, HttpFetcher],
) -> None:
    recorder, fetcher = app_fetcher
    ok = await fetcher.send_callback(
        WebhookRequest("http://testserver/typed?type=application/json", "POST", CALL)
    )
    failed = await fetcher.send_callback(
        WebhookRequest("http://testserver/status/500", "POST", CALL)
    )
    assert ok.ok and ok.body == b""
    assert failed.error_code == "15003"
    assert failed.status_code == 500
    assert all(seen["valid"] for seen in recorder.seen)


def counting_transport(
    attempts: list[str], error: type[httpx.RequestError] | None, status: int = 200
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(str(request.url))
        if error is not None:
            raise error("simulated", request=request)
        return httpx.Response(status, content=TWIML, headers={"content-type": "text/xml"})

    return httpx.MockTransport(handler)


@pytest.mark.parametrize(("fragment", "expected"), [("", 2), ("#rc=0", 1), ("#rc=3", 4)])
async def test_connect_timeouts_are_retried_as_the_retry_count_says(
    fragment: str, expected: int
) -> None:
    attempts: list[str] = []
    async with make_client(counting_transport(attempts, httpx.ConnectTimeout)) as client:
        fetcher = HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP)
        result = await fetcher.fetch_document(
            WebhookRequest("http://127.0.0.1:9/voice" + fragment, "POST", CALL)
        )
    assert result.error_code == "11205"
    assert len(attempts) == expected


async def test_read_timeouts_are_not_retried_unless_the_policy_says_rt() -> None:
    default: list[str] = []
    with_rt: list[str] = []
    async with make_client(counting_transport(default, httpx.ReadTimeout)) as client:
        result = await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest("http://127.0.0.1:9/voice", "POST", CALL)
        )
    async with make_client(counting_transport(with_rt, httpx.ReadTimeout)) as client:
        await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest("http://127.0.0.1:9/voice#rc=2&rp=rt", "POST", CALL)
        )
    assert result.error_code == "11205"
    assert (len(default), len(with_rt)) == (1, 3)


async def test_server_errors_are_retried_only_with_a_5xx_policy() -> None:
    plain: list[str] = []
    retried: list[str] = []
    async with make_client(counting_transport(plain, None, status=503)) as client:
        await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest("http://127.0.0.1:9/voice", "POST", CALL)
        )
    async with make_client(counting_transport(retried, None, status=503)) as client:
        result = await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest("http://127.0.0.1:9/voice#rc=2&rp=5xx", "POST", CALL)
        )
    assert (len(plain), len(retried)) == (1, 3)
    assert result.status_code == 503
    assert retried[0] == "http://127.0.0.1:9/voice"


async def test_a_refused_loopback_connection_gives_11205() -> None:
    with anyio.fail_after(5):
        listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
        port = listener.extra(anyio.abc.SocketAttribute.local_port)
        await listener.aclose()  # nothing listens there any more
        async with make_client() as client:
            result = await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
                WebhookRequest(f"http://127.0.0.1:{port}/voice#rc=0", "POST", CALL)
            )
    assert result.error_code == "11205"
    assert f"127.0.0.1:{port}" in result.message


async def test_a_host_name_that_does_not_resolve_gives_11210() -> None:
    async def no_such_host(host: str, port: int) -> list[str]:
        raise OSError(-2, "Name or service not known")

    async with make_client() as client:
        fetcher = HttpFetcher(client, auth_token=TOKEN, resolve=no_such_host)
        result = await fetcher.fetch_document(
            WebhookRequest("http://voice.example.invalid/voice", "POST", CALL)
        )
    assert result.error_code == "11210"
    assert "voice.example.invalid" in result.message


@pytest.mark.parametrize("url", ["ftp://example.com/voice", "/voice", "http://", "not a url"])
async def test_invalid_urls_and_schemes_give_11100(url: str) -> None:
    async with make_client() as client:
        result = await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest(url, "POST", CALL)
        )
    assert result.error_code == "11100"


@pytest.mark.parametrize(
    "host",
    ["10.0.0.7", "192.168.1.1", "169.254.169.254", "224.0.0.1", "0.0.0.0", "[::ffff:10.0.0.7]"],
)
async def test_private_and_special_addresses_are_refused_with_11230(host: str) -> None:
    attempts: list[str] = []
    async with make_client(counting_transport(attempts, None)) as client:
        result = await HttpFetcher(client, auth_token=TOKEN, policy=LOCAL_APP).fetch_document(
            WebhookRequest(f"http://{host}/voice", "POST", CALL)
        )
    assert result.error_code == "11230"
    assert attempts == []


async def test_a_host_resolving_to_a_private_address_is_refused_unless_allowed() -> None:
    async def private(host: str, port: int) -> list[str]:
        return ["10.1.2.3"]

    refused: list[str] = []
    allowed: list[str] = []
    async with make_client(counting_transport(refused, None)) as client:
        result = await HttpFetcher(client, auth_token=TOKEN, resolve=private).fetch_document(
            WebhookRequest("http://intranet.example/voice", "POST", CALL)
        )
    async with make_client(counting_transport(allowed, None)) as client:
        allowed_result = await HttpFetcher(
            client, auth_token=TOKEN, resolve=private, policy=FetchPolicy(allow_private=True)
        ).fetch_document(WebhookRequest("http://intranet.example/voice", "POST", CALL))
    assert result.error_code == "11230" and "10.1.2.3" in result.message
    assert refused == []
    assert allowed_result.ok and len(allowed) == 1


def test_fragment_overrides_are_parsed_and_clamped_to_twilios_ranges() -> None:
    limits = FetchLimits().with_fragment("ct=2500&rt=99999&tt=50&rc=9&rp=4xx,bogus,ct&e=ie1")
    assert limits.connect_timeout == 2.5
    assert limits.read_timeout == 15.0
    assert limits.total_timeout == 0.1
    assert limits.retries == 5
    assert limits.retry_on == frozenset({"4xx", "ct"})
    assert FetchLimits().with_fragment("ct=abc") == FetchLimits()


async def test_the_network_transport_connects_to_loopback_by_name_and_address() -> None:
    hits: list[str] = []

    async def handle(stream: anyio.abc.SocketStream) -> None:
        async with stream:
            request = await stream.receive()
            hits.append(request.split(b"\r\n", 1)[0].decode())
            await stream.send(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 11\r\n"
                b"Connection: close\r\n\r\n<Response/>"
            )

    listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
    port = int(listener.extra(anyio.abc.SocketAttribute.local_port))

    async def localhost_only(host: str, port: int) -> list[str]:
        return ["127.0.0.1"]

    with anyio.fail_after(5):
        async with listener, anyio.create_task_group() as group:
            group.start_soon(listener.serve, handle)
            async with make_client(resolve=localhost_only) as client:
                fetcher = HttpFetcher(
                    client, auth_token=TOKEN, resolve=localhost_only, policy=LOCAL_APP
                )
                by_name = await fetcher.fetch_document(
                    WebhookRequest(f"http://localhost:{port}/voice", "POST", CALL)
                )
                by_address = await fetcher.fetch_document(
                    WebhookRequest(f"http://127.0.0.1:{port}/voice", "GET", {})
                )
            group.cancel_scope.cancel()
    assert by_name.ok and by_name.body == b"<Response/>", by_name.message
    assert by_address.ok, by_address.message
    assert hits == ["POST /voice HTTP/1.1", "GET /voice HTTP/1.1"]


async def test_a_host_that_rebinds_to_a_private_address_after_the_check_is_refused() -> None:
    answers = iter([["93.184.216.34"], ["10.0.0.5"]])  # the check sees public, the connect 10/8

    async def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    async with make_client(resolve=rebinding) as client:
        fetcher = HttpFetcher(client, auth_token=TOKEN, resolve=rebinding)
        result = await fetcher.fetch_document(
            WebhookRequest("http://rebind.example/voice", "POST", CALL)
        )
    assert result.error_code == "11230"
    assert "10.0.0.5" in result.message


@pytest.mark.parametrize(
    "value", ["CA0123abcdef", "+15005550006", "a b&c=d", "Grüße 東京", "~._-", "", "100%", "/?#"]
)
def test_form_encoding_matches_urlencode(value: str) -> None:
    params: dict[str, str | list[str]] = {
        "Key": value,
        "Spaced Name": value,
        "Digits": "1",
        "Repeated": [value, "2", value],
        "Empty": [],
    }
    assert encode_params(params) == urlencode(params, doseq=True)


def test_idempotency_tokens_are_version_4_uuids_written_as_uuid_writes_them() -> None:
    tokens = [idempotency_token() for _ in range(200)]
    parsed = [uuid.UUID(token) for token in tokens]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
    assert [str(u) for u in parsed] == tokens
    assert len(set(tokens)) == 200


@pytest.mark.parametrize("path", ["/voice", "/redirect/302", "/status/500", "/big?size=70000"])
async def test_a_fetchs_responses_are_freed_at_once_not_left_for_the_cycle_collector(
    path: str,
) -> None:
    # httpx's stream refers back to its response: a server with many live calls would collect
    # ~22 objects of garbage per request unless the fetcher lets the exchange go
    responses: list[weakref.ref[httpx.Response]] = []

    async def keep(response: httpx.Response) -> None:
        responses.append(weakref.ref(response))

    served = in_process(Recorder().app())
    async with served.client:
        served.client.event_hooks["response"] = [keep]
        fetcher = HttpFetcher(served.client, auth_token=TOKEN, policy=served.policy)
        gc.collect()
        gc.disable()
        try:
            result = await fetcher.fetch_document(
                WebhookRequest(f"http://testserver{path}", "POST", CALL)
            )
            alive = [ref for ref in responses if ref() is not None]
        finally:
            gc.enable()
    assert responses and result.url
    assert alive == []
