"""HTTP to the application the way Twilio does it: signed, with cookies, limits, timeouts, redirects.

``HttpFetcher`` implements the ``Fetcher`` protocol over one shared ``httpx.AsyncClient``; make one
fetcher per call (it keeps that call's cookies). Every failure becomes a ``FetchResult`` carrying
Twilio's error code; nothing here raises for a bad app, a bad URL or a bad network.

Codes (reference section 4): 11100 invalid URL or scheme; 11230 host refused by the SSRF policy;
11210 host name does not resolve; 11205 connection refused, connect timeout, read timeout or the
total time budget (15 s) running out -- Twilio's 11205 covers "10 s TCP, 15 s total", so every
timeout is 11205, and 11200 is kept for responses that came back wrong; 11200 a 4xx/5xx status
(the status is kept in ``status_code``); 11206 an HTTP protocol violation; 11215 more than 10
HTTP redirects; 11750 a body over the cap; 11770 an empty body; 12300 a content type Twilio does
not accept; 13420 a ``<Play>`` file that is not ``audio/*``; 15003 a callback answered non-2xx.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar, DefaultCookiePolicy
from urllib.parse import parse_qs, quote_plus

import httpcore
import httpx

from callbox import codes
from callbox.interpreter.cancellable import TimeBudget
from callbox.interpreter.documents import TWIML_CONTENT_TYPES, XML_TYPES
from callbox.interpreter.fetch_response import (
    FetchFailure,
    ResponseHead,
    close_response,
    read_capped,
)
from callbox.interpreter.policy import (
    FetchPolicy,
    PolicyError,
    PolicyNetworkBackend,
    Resolver,
    resolve_host,
)
from callbox.interpreter.signature import SIGNATURE_HEADER, sign
from callbox.interpreter.webhook import WEBHOOK_BUDGET, FetchResult, WebhookRequest
from callbox.markup.limits import MAX_DOCUMENT_BYTES

USER_AGENT = "TwilioProxy/1.1"
DOCUMENT_TYPES = XML_TYPES | {"text/plain"}
"""Content types Twilio runs as a document; ``audio/*`` is also accepted (the call plays it)."""
DOCUMENT_ACCEPT = ", ".join([*TWIML_CONTENT_TYPES, "text/plain", "audio/*"])
MEDIA_ACCEPT = "audio/*"
CALLBACK_ACCEPT = "*/*"
ACCEPT = {"document": DOCUMENT_ACCEPT, "markup": DOCUMENT_ACCEPT, "media": MEDIA_ACCEPT}
"""The Accept header of each kind of fetch (callbacks accept anything)."""
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8"
IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token"

_USER_AGENT_HEADER = (b"User-Agent", USER_AGENT.encode())
_ACCEPT_HEADERS = {kind: (b"Accept", value.encode()) for kind, value in ACCEPT.items()}
_CALLBACK_ACCEPT_HEADER = (b"Accept", CALLBACK_ACCEPT.encode())
_FORM_CONTENT_TYPE_HEADER = (b"Content-Type", FORM_CONTENT_TYPE.encode())
_IDEMPOTENCY_HEADER = IDEMPOTENCY_HEADER.encode()
_SIGNATURE_HEADER = SIGNATURE_HEADER.encode()
"""The headers every request sends, encoded once (httpx encodes ``str`` headers per request)."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_POLICIES = frozenset({"4xx", "5xx", "ct", "rt", "all"})


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Timeouts, retries and size caps for one fetch (seconds and bytes).

    Twilio's defaults: a 5 s connect timeout tried twice (``retries=1`` on ``ct``, 10 s in all),
    15 s for the whole response including connecting, 64 KB documents, 10 redirects. A URL
    fragment ``#ct=ms&rt=ms&tt=ms&rc=N&rp=4xx,5xx,ct,rt,all`` overrides them for that URL.
    """

    connect_timeout: float = 5.0
    read_timeout: float = WEBHOOK_BUDGET
    total_timeout: float = WEBHOOK_BUDGET
    retries: int = 1
    retry_on: frozenset[str] = field(default_factory=lambda: frozenset({"ct"}))
    document_cap: int = MAX_DOCUMENT_BYTES
    media_cap: int = 8 * 1024 * 1024
    max_redirects: int = 10

    def with_fragment(self, fragment: str) -> FetchLimits:
        """These limits with Twilio's connection overrides from a URL fragment applied.

        Values out of Twilio's ranges are clamped (ct 100-10000 ms, rt and tt 100-15000 ms,
        rc 0-5); unknown keys (``e``, ``sni``) and malformed values are ignored.
        """
        if not fragment:
            return self
        values = {key: items[-1] for key, items in parse_qs(fragment).items()}
        changes: dict[str, object] = {}

        def millis(key: str, high: float) -> float | None:
            try:
                return min(max(int(values[key]), 100), high) / 1000
            except (KeyError, ValueError):
                return None

        for key, name, high in (
            ("ct", "connect_timeout", 10_000),
            ("rt", "read_timeout", 15_000),
            ("tt", "total_timeout", 15_000),
        ):
            seconds = millis(key, high)
            if seconds is not None:
                changes[name] = seconds
        if "rc" in values:
            with contextlib.suppress(ValueError):
                changes["retries"] = min(max(int(values["rc"]), 0), 5)
        if "rp" in values:
            policies = {item.strip() for item in values["rp"].split(",")} & RETRY_POLICIES
            if policies:
                changes["retry_on"] = frozenset(policies)
        return replace(self, **changes)  # type: ignore[arg-type]

    def retries_on(self, reason: str) -> bool:
        return "all" in self.retry_on or reason in self.retry_on


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One TLS context per process: loading the CA bundle costs ~20 ms."""
    return httpx.create_ssl_context(trust_env=False)


def policy_transport(
    policy: FetchPolicy | None = None,
    *,
    resolve: Resolver = resolve_host,
    max_connections: int = 200,
) -> httpx.AsyncHTTPTransport:
    """The network transport: connects only to addresses ``policy`` allows, checked at connect
    time on the very address connected to (see ``PolicyNetworkBackend``)."""
    context = _ssl_context()
    transport = httpx.AsyncHTTPTransport(verify=context, trust_env=False)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=context,
        max_connections=max_connections,
        max_keepalive_connections=50,
        keepalive_expiry=5.0,
        network_backend=PolicyNetworkBackend(policy or FetchPolicy(), resolve),
    )
    return transport


def make_client(
    transport: httpx.AsyncBaseTransport | None = None,
    *,
    mounts: Mapping[str, httpx.AsyncBaseTransport | None] | None = None,
    policy: FetchPolicy | None = None,
    resolve: Resolver = resolve_host,
    max_connections: int = 200,
) -> httpx.AsyncClient:
    """The one ``AsyncClient`` a process shares between its calls (creating one costs ~26 ms).

    It never follows redirects itself, ignores proxy environment variables, and keeps no cookies
    of its own: each call's ``HttpFetcher`` keeps that call's cookies. Unless ``transport`` is
    given, network connections go only to addresses ``policy`` allows (checked again at connect
    time, so DNS rebinding cannot slip past the fetcher's check).
    """
    no_cookies = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    if transport is None:
        transport = policy_transport(policy, resolve=resolve, max_connections=max_connections)
    return httpx.AsyncClient(
        transport=transport,
        mounts=dict(mounts) if mounts else None,
        follow_redirects=False,
        trust_env=False,
        cookies=no_cookies,
    )


@functools.lru_cache(maxsize=64)
def _extensions(limits: FetchLimits) -> dict[str, object]:
    """The request extensions that carry ``limits``' timeouts to the transport (read only)."""
    timeout = httpx.Timeout(
        connect=limits.connect_timeout,
        read=limits.read_timeout,
        write=limits.read_timeout,
        pool=limits.connect_timeout,
    )
    return {"timeout": timeout.as_dict()}


DEFAULT_LIMITS = FetchLimits()
DEFAULT_POLICY = FetchPolicy()


def _drop_unsendable(cookies: httpx.Cookies) -> None:
    """Forget the cookies that cannot go back in a ``Cookie`` header: a name or value with
    characters beyond printable ASCII (``\\xff``, a NUL), which httpx or the server would refuse."""
    for cookie in list(cookies.jar):
        text = cookie.name + (cookie.value or "")
        if not all(" " <= char <= "~" for char in text):
            cookies.jar.clear(cookie.domain, cookie.path, cookie.name)


_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]*")


@functools.lru_cache(maxsize=1024)
def _quote(text: str) -> str:
    """``quote_plus``, remembered: a call's requests repeat its parameters' names and values."""
    return text if _UNRESERVED.fullmatch(text) else quote_plus(text)


def encode_params(params: Mapping[str, str | list[str]]) -> str:
    """``application/x-www-form-urlencoded`` as ``urlencode(params, doseq=True)`` writes it,
    faster for the plain values most webhook parameters are (SIDs, statuses, digits): a name
    with a list of values gives one pair per value."""
    quote = _quote
    parts: list[str] = []
    for name, value in params.items():
        if isinstance(value, str):
            parts.append(f"{quote(name)}={quote(value)}")
        else:
            key = quote(name)
            parts.extend(f"{key}={quote(item)}" for item in value)
    return "&".join(parts)


def idempotency_token() -> str:
    """A random (version 4) UUID as text, as ``str(uuid.uuid4())`` writes it, without building
    a ``UUID`` (a fetch sends a new one)."""
    digits = os.urandom(16).hex()
    variant = "89ab"[int(digits[16], 16) & 3]
    return f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"


@functools.lru_cache(maxsize=1024)
def _parse_url(text: str) -> tuple[httpx.URL, str]:
    """``httpx.URL(text)`` and the URL as httpx writes it, remembered (the URL is immutable): a
    call's requests go to the same few URLs again and again, and parsing one (or writing it out,
    for the signature and the result) costs more than signing the request."""
    url = httpx.URL(text)
    return url, str(url)


class HttpFetcher:
    """Fetches for one call: Twilio's headers and signature, the call's cookies, the limits.

    ``client`` is the process's shared client (see ``make_client``); ``auth_token`` signs every
    request; ``policy`` says which hosts may be fetched (checked on every redirect hop);
    ``resolve`` is how host names are resolved for that check.
    """

    __slots__ = (
        "_cookies",
        "_extensions",
        "_trusted",
        "auth_token",
        "client",
        "limits",
        "policy",
        "resolve",
    )

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        auth_token: str,
        policy: FetchPolicy | None = None,
        limits: FetchLimits | None = None,
        resolve: Resolver = resolve_host,
    ) -> None:
        self.client = client
        self.auth_token = auth_token
        self.policy = policy or DEFAULT_POLICY
        self.limits = limits or DEFAULT_LIMITS
        self._extensions = _extensions(self.limits)
        """Those of the fetcher's own limits, looked up once (hashing the limits is not free)."""
        self.resolve = resolve
        self._cookies: httpx.Cookies | None = None  # made on the first Set-Cookie
        self._trusted: tuple[str, str] | None = None
        """The scheme and host the policy last trusted by name: the same answer every time."""

    @property
    def cookies(self) -> httpx.Cookies:
        """The call's cookies (kept for the call, like a browser's)."""
        if self._cookies is None:
            self._cookies = httpx.Cookies()
        return self._cookies

    async def fetch_document(self, request: WebhookRequest) -> FetchResult:
        return await self._fetch(request.url, request.method, request.params, "document")

    async def fetch_media(self, url: str) -> FetchResult:
        return await self._fetch(url, "GET", {}, "media")

    async def send_callback(self, request: WebhookRequest) -> FetchResult:
        return await self._fetch(request.url, request.method, request.params, "callback")

    async def fetch_markup(self, url: str) -> FetchResult:
        """GET a document to check it (``callbox lint URL``): the same policy and limits as a
        call's document, but any content type comes back with its body (the checker judges it)."""
        return await self._fetch(url, "GET", {}, "markup")

    async def _fetch(
        self, url: str, method: str, params: Mapping[str, str | list[str]], kind: str
    ) -> FetchResult:
        started = time.perf_counter()
        method = "GET" if method.upper() == "GET" else "POST"  # a shared string, kept per result
        shown = url
        try:
            without_fragment, _, fragment = url.partition("#")
            try:
                target, shown = _parse_url(without_fragment)
            except (httpx.InvalidURL, ValueError, TypeError) as exc:
                raise FetchFailure(codes.INVALID_URL.id, f"invalid URL {url!r}: {exc}") from exc
            limits = self.limits.with_fragment(fragment)
            token = idempotency_token()
            with TimeBudget(limits.total_timeout):
                return await self._follow(
                    target, shown, method, params, kind, limits, token, started
                )
            # only the budget running out ends the block without a result (other
            # cancellations propagate)
            raise FetchFailure(
                codes.HTTP_CONNECTION_FAILURE.id,
                f"no complete response from {shown} within {limits.total_timeout:g} s "
                "(total timeout)",
            )
        except FetchFailure as failure:
            return FetchResult(
                url=shown,
                method=method,
                status_code=failure.status_code,
                error_code=failure.code,
                message=failure.message,
                elapsed=time.perf_counter() - started,
            )

    async def _follow(
        self,
        url: httpx.URL,
        text: str,
        method: str,
        params: Mapping[str, str | list[str]],
        kind: str,
        limits: FetchLimits,
        token: str,
        started: float,
    ) -> FetchResult:
        for hop in range(limits.max_redirects + 1):
            await self._check(url)
            response, head = await self._send_with_retries(
                url, text, method, params, kind, limits, token
            )
            location = head.location
            if response.status_code not in REDIRECT_STATUSES or not location:
                return await self._finish(response, head, url, text, method, kind, limits, started)
            await close_response(response)
            if hop == limits.max_redirects:
                raise FetchFailure(
                    codes.HTTP_TOO_MANY_REDIRECTS.id,
                    f"more than {limits.max_redirects} HTTP redirects, the last from {url}",
                    response.status_code,
                )
            try:
                url = url.join(location).copy_with(fragment=None)
            except (httpx.InvalidURL, ValueError) as exc:
                raise FetchFailure(
                    codes.INVALID_URL.id, f"redirect from {url} to invalid URL {location!r}"
                ) from exc
            text = str(url)
            if response.status_code == 303 or (
                response.status_code in (301, 302) and method == "POST"
            ):
                method, params = "GET", {}
        raise AssertionError("unreachable")  # pragma: no cover

    async def _check(self, url: httpx.URL) -> None:
        origin = (url.scheme, url.host)
        if origin == self._trusted:  # a call fetches from its app's host again and again
            return
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            addresses = await self.policy.vet(url.scheme, url.host, port, self.resolve)
        except PolicyError as exc:
            raise FetchFailure(exc.code, str(exc)) from exc
        if addresses is None:  # trusted by name (allowed_hosts): nothing resolved, nothing to redo
            self._trusted = origin

    def _build(
        self,
        url: httpx.URL,
        text: str,
        method: str,
        params: Mapping[str, str | list[str]],
        kind: str,
        limits: FetchLimits,
        token: str,
    ) -> httpx.Request:
        headers = [
            _USER_AGENT_HEADER,
            _ACCEPT_HEADERS.get(kind, _CALLBACK_ACCEPT_HEADER),
            (_IDEMPOTENCY_HEADER, token.encode()),
        ]
        content: bytes | None = None
        if method == "GET":
            if params:
                query = url.query + (b"&" if url.query else b"") + encode_params(params).encode()
                url = url.copy_with(query=query)
                text = str(url)
            signed: Mapping[str, str | list[str]] = {}
        else:
            content = encode_params(params).encode()
            headers.append(_FORM_CONTENT_TYPE_HEADER)
            signed = params
        if self.auth_token:  # a lint fetch has no account to sign for
            signature = sign(self.auth_token, text, signed)
            headers.append((_SIGNATURE_HEADER, signature.encode()))
        request = httpx.Request(
            method,
            url,
            headers=headers,
            content=content,
            extensions=self._extensions if limits is self.limits else _extensions(limits),
        )
        if self._cookies is not None:  # most calls never get a cookie: skip the jar's work
            self._cookies.set_cookie_header(request)
        return request

    async def _send_with_retries(
        self,
        url: httpx.URL,
        text: str,
        method: str,
        params: Mapping[str, str | list[str]],
        kind: str,
        limits: FetchLimits,
        token: str,
    ) -> tuple[httpx.Response, ResponseHead]:
        attempts = 1 + limits.retries
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            request = self._build(url, text, method, params, kind, limits, token)
            try:
                with self.policy.enforced():  # the connect-time check applies this call's rules
                    response = await self.client.send(request, stream=True)
            except (httpx.ConnectError, httpx.TimeoutException) as exc:
                connecting = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if not last and limits.retries_on("ct" if connecting else "rt"):
                    continue
                raise FetchFailure(
                    codes.HTTP_CONNECTION_FAILURE.id,
                    _connection_failure(exc, url, limits, attempt),
                ) from exc
            except (httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
                raise FetchFailure(
                    codes.HTTP_PROTOCOL_VIOLATION.id, f"HTTP protocol violation from {url}: {exc}"
                ) from exc
            except PolicyError as exc:  # refused at connect time (PolicyNetworkBackend)
                raise FetchFailure(exc.code, str(exc)) from exc
            except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
                raise FetchFailure(codes.INVALID_URL.id, f"cannot request {url}: {exc}") from exc
            except httpx.HTTPError as exc:
                raise FetchFailure(
                    codes.HTTP_RETRIEVAL_FAILURE.id, f"request to {url} failed: {exc}"
                ) from exc
            except Exception as exc:  # an in-process app that raised: the call must survive it
                raise FetchFailure(
                    codes.HTTP_RETRIEVAL_FAILURE.id,
                    f"request to {url} failed: {type(exc).__name__}: {exc}",
                ) from exc
            head = ResponseHead.of(response)
            if head.sets_cookie:
                self.cookies.extract_cookies(response)
                _drop_unsendable(self.cookies)
            status = response.status_code
            family = "4xx" if 400 <= status < 500 else "5xx" if status >= 500 else ""
            if family and not last and limits.retries_on(family):
                await close_response(response)
                continue
            return response, head
        raise AssertionError("unreachable")  # pragma: no cover

    async def _finish(
        self,
        response: httpx.Response,
        head: ResponseHead,
        url: httpx.URL,
        text: str,
        method: str,
        kind: str,
        limits: FetchLimits,
        started: float,
    ) -> FetchResult:
        try:
            status = response.status_code
            if not 200 <= status < 300:
                code = codes.CALLBACK_ERROR if kind == "callback" else codes.HTTP_RETRIEVAL_FAILURE
                raise FetchFailure(code.id, f"{method} {url} answered HTTP {status}", status)
            content_type = head.content_type
            if kind == "callback":
                return self._result(response, text, method, content_type, b"", started)
            is_audio = content_type.startswith("audio/")
            if kind == "document" and not (is_audio or content_type in DOCUMENT_TYPES):
                shown = content_type or "no Content-Type"
                raise FetchFailure(
                    codes.INVALID_CONTENT_TYPE.id,
                    f"{url} answered with {shown}; a document must be text/xml, "
                    "application/xml, text/html, text/plain or audio/*",
                    status,
                )
            if kind == "media" and not is_audio:
                shown = content_type or "no Content-Type"
                raise FetchFailure(
                    codes.PLAY_CONTENT_TYPE.id,
                    f"{url} answered with {shown}, not an audio/* file",
                    status,
                )
            cap = limits.media_cap if kind == "media" or is_audio else limits.document_cap
            body = await read_capped(response, head.content_length, cap, url)
            if not body:
                raise FetchFailure(
                    codes.EMPTY_RESPONSE.id, f"{url} answered with an empty body", status
                )
            return self._result(response, text, method, content_type, body, started)
        finally:
            await close_response(response)

    def _result(
        self,
        response: httpx.Response,
        url: str,
        method: str,
        content_type: str,
        body: bytes,
        started: float,
    ) -> FetchResult:
        return FetchResult(
            url=url,
            method=method,
            status_code=response.status_code,
            content_type=content_type,
            body=body,
            elapsed=time.perf_counter() - started,
        )


def _netloc(url: httpx.URL) -> str:
    return f"{url.host}:{url.port}" if url.port else url.host


def _connection_failure(
    exc: httpx.ConnectError | httpx.TimeoutException,
    url: httpx.URL,
    limits: FetchLimits,
    attempt: int,
) -> str:
    """What went wrong for an 11205: no connection within the connect timeout, a refused or
    failed connection, or no response within the read timeout."""
    if isinstance(exc, httpx.ConnectTimeout):
        return (
            f"could not connect to {url.host} within {limits.connect_timeout:g} s "
            f"({attempt} attempt{'s' if attempt > 1 else ''})"
        )
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect to {_netloc(url)}: {exc or type(exc).__name__}"
    return f"{url} sent no response within {limits.read_timeout:g} s (read timeout)"
