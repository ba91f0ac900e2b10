"""What a request to ``callbox serve`` must pass before a route sees it: a body within the size
cap (413, CF601) read within the time cap (408, CF601), and on the hosted flows' webhooks HTTP
Basic credentials when the server asks for them (401, CF602) and a valid ``X-Twilio-Signature``
when it checks them (403, CF603). An ASGI middleware: the body is read here, once, and handed on to the route.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import anyio

from callbox import codes
from callbox.interpreter.signature import SIGNATURE_HEADER, is_valid

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_REQUEST_BYTES = 64 * 1024
"""The largest request body served: a webhook's form is a few hundred bytes."""
BODY_SECONDS = 10.0
"""How long a client may take to send its body (a slow-drip upload holds a connection)."""


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """``basic_auth`` is ``(user, password)`` to require, and ``auth_token`` (when given) the
    token whose ``X-Twilio-Signature`` each request must carry (signed for ``public_url`` + path
    when the server sits behind a proxy), both on the webhooks under ``webhook_prefix``: the
    REST API checks the account's own credentials. The size and time caps apply everywhere."""

    max_request_bytes: int = MAX_REQUEST_BYTES
    body_seconds: float = BODY_SECONDS
    basic_auth: tuple[str, str] | None = None
    auth_token: str | None = None
    public_url: str | None = None
    webhook_prefix: str = "/flows/"


class _RefusedError(Exception):
    def __init__(self, status: int, code: codes.Code, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RequestGuard:
    """Wraps an ASGI app with ``settings``' checks."""

    def __init__(self, app: App, settings: GuardSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            self._authenticate(scope)
            body = await self._read_body(scope, receive)
            self._check_signature(scope, body)
        except _RefusedError as refused:
            await _refuse(send, refused)
            return
        await self.app(scope, _replay(body, receive), send)

    def _authenticate(self, scope: Scope) -> None:
        expected = self.settings.basic_auth
        if expected is None or not scope["path"].startswith(self.settings.webhook_prefix):
            return
        header = _header(scope, b"authorization")
        scheme, _, encoded = header.partition(" ")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = password = ""
        ok = scheme.lower() == "basic" and all(
            hmac.compare_digest(given.encode(), wanted.encode())
            for given, wanted in ((user, expected[0]), (password, expected[1]))
        )
        if not ok:
            raise _RefusedError(401, codes.SERVE_UNAUTHORIZED, "HTTP Basic credentials required")

    async def _read_body(self, scope: Scope, receive: Receive) -> bytes:
        cap = self.settings.max_request_bytes
        declared = _header(scope, b"content-length").strip()
        if declared.isdigit() and (len(declared) > 18 or int(declared) > cap):
            raise _RefusedError(413, codes.SERVE_REQUEST_LIMIT, f"the body is over {cap:,} bytes")
        chunks: list[bytes] = []
        size = 0
        with anyio.move_on_after(self.settings.body_seconds) as scope_:
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > cap:
                    raise _RefusedError(
                        413, codes.SERVE_REQUEST_LIMIT, f"the body is over {cap:,} bytes"
                    )
                chunks.append(chunk)
                if not message.get("more_body", False):
                    break
        if scope_.cancelled_caught:
            seconds = self.settings.body_seconds
            raise _RefusedError(
                408, codes.SERVE_REQUEST_LIMIT, f"the body took over {seconds:g} s to arrive"
            )
        return b"".join(chunks)

    def _check_signature(self, scope: Scope, body: bytes) -> None:
        token = self.settings.auth_token
        if token is None or not scope["path"].startswith(self.settings.webhook_prefix):
            return
        signature = _header(scope, SIGNATURE_HEADER.lower().encode())
        url = self._public_url(scope)
        form: dict[str, list[str]] = {}
        content_type = _header(scope, b"content-type").split(";", 1)[0].strip().lower()
        if scope["method"] == "POST" and content_type == "application/x-www-form-urlencoded":
            for key, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
                form.setdefault(key, []).append(value)
        if not signature or not is_valid(token, url, form, signature):
            raise _RefusedError(
                403, codes.SERVE_BAD_SIGNATURE, f"no valid {SIGNATURE_HEADER} for {url}"
            )

    def _public_url(self, scope: Scope) -> str:
        """The URL the request was signed for: the public URL's origin, or the Host header."""
        query = scope.get("query_string", b"").decode("latin-1")
        path = scope.get("root_path", "") + scope["path"]
        if self.settings.public_url:
            base = self.settings.public_url.rstrip("/")
        else:
            host = _header(scope, b"host") or "localhost"
            base = f"{scope.get('scheme', 'http')}://{host}"
        return f"{base}{path}" + (f"?{query}" if query else "")


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the body read by the guard on, then waits as the server's does."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(send: Send, refused: _RefusedError) -> None:
    text = f"{refused.code.id} {refused}\n".encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
    if refused.status == 401:
        headers.append((b"www-authenticate", b'Basic realm="callbox"'))
    headers.append((b"content-length", str(len(text)).encode()))
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
