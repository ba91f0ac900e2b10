"""The official ``twilio`` client over any httpx client: in-process (Starlette's TestClient) or
to a real server, so tests drive callbox's REST API exactly as applications do.

``twilio_client(http, account_sid, auth_token, base_url)`` gives a ``twilio.rest.Client`` whose
requests go through ``http``; ``contract_hook(twin)`` is an httpx response hook that holds every
API response to the strict twin of Twilio's spec. Needs the ``dev`` extra (twilio, jsonschema).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from twilio.http import HttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.rest import Client

from callbox.testing.contract import StrictTwin

API_PREFIX = "/2010-04-01/"


Requester = Any
"""An httpx-style client: httpx.Client, or Starlette's TestClient (built on httpx2)."""


class HttpxTwilioHttp(HttpClient):  # type: ignore[misc]
    """twilio's HttpClient interface over an httpx-style client."""

    def __init__(self, http: Requester) -> None:
        super().__init__(logger=None, is_async=False, timeout=None)
        self.http = http

    def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        response = self.http.request(
            method,
            uri,
            params=urlencode(_pairs(params)) or None,
            data=_form(data),
            headers=headers,
            auth=auth,
            follow_redirects=allow_redirects,
        )
        return TwilioResponse(response.status_code, response.text, dict(response.headers))


def _pairs(values: dict[str, object] | None) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key, value in (values or {}).items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))
    return pairs


def _form(values: dict[str, object] | None) -> dict[str, list[str]] | None:
    """Form fields for httpx: a list for every key, so repeated keys stay repeated."""
    form: dict[str, list[str]] = {}
    for key, value in _pairs(values):
        form.setdefault(key, []).append(value)
    return form or None


def twilio_client(http: Requester, account_sid: str, auth_token: str, base_url: str) -> Any:
    """A ``twilio.rest.Client`` for ``base_url`` (``http://127.0.0.1:PORT``) sending through
    ``http``. Setting ``client.api.base_url`` is what points the official client elsewhere."""
    client = Client(account_sid, auth_token, http_client=HttpxTwilioHttp(http))
    client.api.base_url = base_url
    return client


def contract_hook(twin: StrictTwin) -> Callable[[Any], None]:
    """An httpx response hook that validates every response under ``/2010-04-01/`` whose body
    is JSON (not recordings' audio) against ``twin``; ContractError says how it breaks."""

    def check(response: Any) -> None:
        path = response.request.url.path
        if not path.startswith(API_PREFIX):
            return
        response.read()
        kind = response.headers.get("content-type", "")
        if response.status_code == 204:
            body: Any = None
        elif kind.startswith("application/json"):
            body = json.loads(response.content)
        else:
            return
        twin.validate(response.request.method, path, response.status_code, body)

    return check
