"""Serving recordings at Twilio's ``RecordingUrl``: the WAV file (no suffix or ``.wav``), an MP3
made with ffmpeg on first request (``.mp3``) and the metadata (``.json``).

A recording is found by its SID alone (``RE`` + 32 hex digits), so no request can name a path
outside the recordings directory. The account in the URL must be the recording's own.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from callbox.interpreter.media.recording import (
    FfmpegUnavailableError,
    RecordingStore,
    RecordingUnavailableError,
)
from callbox.interpreter.params import API_VERSION

RECORDING_NAME = re.compile(r"^(?P<sid>RE[0-9a-f]{32})(?:\.(?P<suffix>wav|mp3|json))?$")
PATH = f"/{API_VERSION}/Accounts/{{account_sid}}/Recordings/{{name}}"
WAV_TYPE = "audio/x-wav"
"""What Twilio answers for a recording's WAV."""
MP3_TYPE = "audio/mpeg"


class RecordingRoutes:
    """The recording routes over one ``RecordingStore``; ``public_url`` gives ``media_url``."""

    def __init__(self, store: RecordingStore, public_url: str | None = None) -> None:
        self.store = store
        self.public_url = public_url

    def routes(self) -> list[Route]:
        return [Route(PATH, self.serve, methods=["GET"])]

    def _not_found(self, name: str) -> Response:
        return PlainTextResponse(f"The requested resource {name} was not found", status_code=404)

    async def serve(self, request: Request) -> Response:
        account_sid: str = request.path_params["account_sid"]
        name: str = request.path_params["name"]
        found = RECORDING_NAME.match(name)
        if found is None:
            return self._not_found(name)
        sid, suffix = found["sid"], found["suffix"] or "wav"
        if not self.store.wav_path(sid).is_file():
            return self._not_found(name)
        try:
            metadata = self.store.metadata(sid)
        except RecordingUnavailableError:
            return self._not_found(name)
        owner = metadata.get("account_sid")
        if owner and owner != account_sid:
            return self._not_found(name)
        if suffix == "json":
            uri = f"/{API_VERSION}/Accounts/{account_sid}/Recordings/{sid}"
            base = (self.public_url or str(request.base_url)).rstrip("/")
            return JSONResponse(
                {
                    **metadata,
                    "api_version": API_VERSION,
                    "uri": f"{uri}.json",
                    "media_url": f"{base}{uri}",
                }
            )
        if suffix == "wav":
            return FileResponse(self.store.wav_path(sid), media_type=WAV_TYPE)
        try:
            mp3 = await self.store.mp3_path(sid)
        except FfmpegUnavailableError as exc:
            return PlainTextResponse(
                f"{exc}: install ffmpeg to serve .mp3, or ask for {sid}.wav", status_code=503
            )
        except RecordingUnavailableError as exc:
            return PlainTextResponse(f"The MP3 could not be made: {exc}", status_code=500)
        return FileResponse(mp3, media_type=MP3_TYPE)
