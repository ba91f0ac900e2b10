"""The REST API's routes, gathered from the resource modules, and a Starlette app of them alone.

Paths are Twilio's (``/2010-04-01/Accounts/{AccountSid}/Calls.json``...). Any other path under
``/2010-04-01`` is Twilio's 404 JSON error, after authentication (except under a recording's
media path, which needs none).
"""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from callbox.api.auth import authenticate
from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, not_found
from callbox.api.resources import (
    accounts,
    applications,
    calls,
    conferences,
    incoming_phone_numbers,
    messages,
    notifications,
    queues,
    recordings,
    routing,
    usage_records,
)
from callbox.api.wire import ROOT

PUBLIC_MEDIA = re.compile(rf"^{ROOT}/Accounts/[^/]+/Recordings/")
RESOURCES = (
    accounts,
    calls,
    recordings,
    notifications,
    incoming_phone_numbers,
    applications,
    messages,
    usage_records,
    routing,
    conferences,
    queues,
)
ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def api_routes(context: ApiContext) -> list[BaseRoute]:
    """Every API route, ending with the catch-all 404 under ``/2010-04-01``."""

    async def unknown(request: Request) -> Response:
        try:
            if not PUBLIC_MEDIA.match(request.url.path):  # recordings' media need no credentials
                authenticate(request, context.store)
            raise not_found(request.url.path)
        except ApiError as error:
            return error.response()

    routes: list[BaseRoute] = [route for module in RESOURCES for route in module.routes(context)]
    routes.append(Route(f"{ROOT}/{{rest:path}}", unknown, methods=ALL_METHODS))
    return routes


def create_api(context: ApiContext) -> Starlette:
    """The API alone, as an ASGI app (``callbox serve`` mounts the routes beside its others)."""
    return Starlette(routes=api_routes(context))
