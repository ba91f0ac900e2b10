"""In-process apps: drive a developer's ASGI or WSGI app with no server and no socket.

``transport_for(app)`` picks ``httpx.ASGITransport`` for ASGI apps (Starlette, FastAPI, Django's
ASGI handler) and ``AsyncWSGITransport`` for WSGI apps (Flask, Django), which runs the app in a
worker thread so the call's event loop never blocks. ``in_process`` builds the shared client and
the fetch policy for an app served at ``http://testserver`` (or a base URL of your choice).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import anyio
import anyio.to_thread
import httpx

from callbox.interpreter.fetch import make_client
from callbox.interpreter.policy import FetchPolicy

DEFAULT_BASE_URL = "http://testserver"


class AppKindError(TypeError):
    """The object is neither an ASGI nor a WSGI application."""


def app_kind(app: Any) -> str:
    """``asgi`` or ``wsgi``: ASGI apps are async callables of (scope, receive, send), WSGI apps
    plain callables of (environ, start_response)."""
    if not callable(app):
        raise AppKindError(f"{app!r} is not an application (not callable)")
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else type(app).__call__
    if inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(app):
        return "asgi"
    try:
        parameters = [
            p
            for p in inspect.signature(app).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError) as exc:
        raise AppKindError(f"cannot tell whether {app!r} is an ASGI or WSGI app") from exc
    if len(parameters) == 3:
        return "asgi"
    if len(parameters) == 2:
        return "wsgi"
    raise AppKindError(
        f"{app!r} takes {len(parameters)} arguments; an ASGI app takes (scope, receive, send) "
        "and a WSGI app (environ, start_response)"
    )


class _ThreadedByteStream(httpx.AsyncByteStream):
    """A WSGI response body pulled chunk by chunk in a worker thread (never all in memory)."""

    def __init__(self, stream: httpx.SyncByteStream) -> None:
        self._stream = stream
        self._iterator: Iterator[bytes] = iter(stream)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while True:
            chunk = await anyio.to_thread.run_sync(next, self._iterator, None)
            if chunk is None:
                return
            if chunk:
                yield chunk

    async def aclose(self) -> None:
        await anyio.to_thread.run_sync(self._stream.close)


class AsyncWSGITransport(httpx.AsyncBaseTransport):
    """``httpx.WSGITransport`` for an ``AsyncClient``: the app runs in a worker thread."""

    def __init__(self, app: Callable[..., Any], *, raise_app_exceptions: bool = False) -> None:
        self._wsgi = httpx.WSGITransport(app=app, raise_app_exceptions=raise_app_exceptions)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        sync_request = httpx.Request(
            request.method, request.url, headers=request.headers, content=body
        )
        response = await anyio.to_thread.run_sync(self._wsgi.handle_request, sync_request)
        stream = response.stream
        assert isinstance(stream, httpx.SyncByteStream)
        return httpx.Response(
            response.status_code, headers=response.headers, stream=_ThreadedByteStream(stream)
        )


def transport_for(app: Any, kind: str | None = None) -> httpx.AsyncBaseTransport:
    """An async transport that delivers requests to ``app`` in-process.

    ``kind`` (``asgi``/``wsgi``) overrides the detection. App exceptions become HTTP 500
    responses, as a real server would send, so the call records 11200 and goes on.
    """
    kind = kind or app_kind(app)
    if kind == "asgi":
        return httpx.ASGITransport(app=app, raise_app_exceptions=False)
    if kind == "wsgi":
        return AsyncWSGITransport(app)
    raise AppKindError(f"unknown app kind {kind!r} (use 'asgi' or 'wsgi')")


@dataclass(frozen=True, slots=True)
class InProcessApp:
    """A client that reaches ``app`` at ``base_url`` (other URLs go to the network, under the
    policy), and the policy that trusts ``base_url``'s host."""

    client: httpx.AsyncClient
    policy: FetchPolicy
    base_url: str

    def url(self, path: str) -> str:
        """``path`` (``/voice``) made absolute against the app's base URL."""
        return str(httpx.URL(self.base_url).join(path))


def in_process(
    app: Any,
    base_url: str = DEFAULT_BASE_URL,
    *,
    policy: FetchPolicy | None = None,
    kind: str | None = None,
) -> InProcessApp:
    """Serve ``app`` in-process at ``base_url`` for a call's fetcher.

    Only requests to ``base_url``'s scheme, host and port reach the app; the returned policy
    allows that host without resolving it.
    """
    base = httpx.URL(base_url)
    if base.scheme not in ("http", "https") or not base.host:
        raise ValueError(f"base URL {base_url!r} must be an absolute http(s) URL")
    port = f":{base.port}" if base.port else ""
    origin = f"{base.scheme}://{base.host}{port}"
    network_policy = policy or FetchPolicy()
    client = make_client(mounts={origin: transport_for(app, kind)}, policy=network_policy)
    return InProcessApp(
        client=client,
        policy=network_policy.allowing(base.host),
        base_url=str(base),
    )
