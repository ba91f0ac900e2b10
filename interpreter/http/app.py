"""The Starlette application behind ``callbox serve``.

Routes: ``/flows/{name}`` serves hosted call-flow files for GET and POST webhooks (TwiML with
``Content-Type: text/xml``); ``/`` lists them; ``/healthz`` answers ``ok``; with a data directory,
``/2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}[.wav|.mp3|.json]`` serves recordings.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from callbox.interpreter.http.flows import FlowDirectory, FlowError
from callbox.interpreter.http.guard import GuardSettings, RequestGuard
from callbox.interpreter.http.recordings import RecordingRoutes
from callbox.interpreter.http.templates import MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_SECONDS
from callbox.interpreter.media.recording import RecordingStore
from callbox.interpreter.settings import RECORDINGS

MAX_FORM_BYTES = 64 * 1024


@dataclass(frozen=True)
class ServerSettings:
    """What ``callbox serve`` serves: flow files, and the recordings under ``data_dir`` (none
    when it is None). ``public_url`` is the server's address as others reach it (for the URLs it
    lists; the request's own address when None). ``which`` finds ffmpeg for ``.mp3``."""

    flows_dir: Path
    data_dir: Path | None = None
    public_url: str | None = None
    which: Callable[[str], str | None] = field(default=shutil.which, compare=False)
    guard: GuardSettings = field(default_factory=GuardSettings)
    """The request limits, credentials and signature check (see ``guard``)."""
    max_template_output: int = MAX_TEMPLATE_OUTPUT
    max_template_seconds: float = MAX_TEMPLATE_SECONDS


async def _request_params(request: Request) -> dict[str, str]:
    params = dict(request.query_params)
    if request.method == "POST":
        form = await request.form(max_files=0, max_fields=1000, max_part_size=MAX_FORM_BYTES)
        params.update({key: value for key, value in form.items() if isinstance(value, str)})
    return params


def create_app(settings: ServerSettings) -> RequestGuard:
    """The flow server alone: the routes below, behind the request guard."""
    return RequestGuard(Starlette(routes=flow_routes(settings)), settings.guard)


def flow_routes(settings: ServerSettings) -> list[BaseRoute]:
    """The routes of hosted flows, the index, the health check and (with a data directory) the
    recordings, to serve alone or beside others."""
    flows = FlowDirectory(
        settings.flows_dir,
        max_output=settings.max_template_output,
        max_seconds=settings.max_template_seconds,
    )

    async def serve_flow(request: Request) -> Response:
        try:
            flow = flows.find(request.path_params["name"])
            body = await flows.render(flow, await _request_params(request), str(request.url))
        except FlowError as error:
            return PlainTextResponse(str(error), status_code=error.status)
        return Response(body, media_type="text/xml")

    async def index(request: Request) -> Response:
        base = (settings.public_url or str(request.base_url)).rstrip("/")
        return JSONResponse(
            {
                "flows": [
                    {
                        "name": flow.name,
                        "url": f"{base}/flows/{flow.name}",
                        "template": flow.is_template,
                    }
                    for flow in flows.flows()
                ]
            }
        )

    async def health(_request: Request) -> Response:
        return PlainTextResponse("ok")

    routes: list[BaseRoute] = [
        Route("/", index),
        Route("/healthz", health),
        Route("/flows/{name:path}", serve_flow, methods=["GET", "POST"]),
    ]
    if settings.data_dir is not None:
        store = RecordingStore(settings.data_dir / RECORDINGS, settings.which("ffmpeg"))
        routes.extend(RecordingRoutes(store, settings.public_url).routes())
    return routes
