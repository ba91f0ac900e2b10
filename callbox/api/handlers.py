"""One API request as the resource modules see it (authenticated, scoped to an account, its
parameters read) and the route wrapper that builds it and turns ``ApiError`` into Twilio's body."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from callbox.api.auth import account_in_scope, authenticate
from callbox.api.context import ApiContext
from callbox.api.errors import ApiError, not_found
from callbox.api.forms import Params
from callbox.records import Account
from callbox.store.base import R


@dataclass
class ApiRequest:
    """An authenticated request: who asks (``caller``), for which ``account``, with what."""

    http: Request
    context: ApiContext
    caller: Account
    account: Account
    params: Params

    @property
    def path(self) -> str:
        return self.http.url.path

    def arg(self, name: str) -> str:
        value: str = self.http.path_params[name]
        return value

    def found(self, record: R | None) -> R:
        """The record, or Twilio's 404 for this path."""
        if record is None:
            raise not_found(self.path)
        return record

    def base_url(self) -> str:
        """The server's public address, for absolute URLs."""
        return (self.context.public_url or str(self.http.base_url)).rstrip("/")


Handler = Callable[[ApiRequest], Awaitable[Response]]


def json(body: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(body, status_code=status)


def api_route(context: ApiContext, path: str, handler: Handler, methods: Sequence[str]) -> Route:
    """A route that authenticates, checks the account in the path and reads the parameters."""

    async def endpoint(request: Request) -> Response:
        try:
            caller = authenticate(request, context.store)
            account_sid = request.path_params.get("account_sid", caller.sid)
            account = account_in_scope(context.store, caller, account_sid, request.url.path)
            params = await Params.of(request)
            params.check_sids()
            return await handler(ApiRequest(request, context, caller, account, params))
        except ApiError as error:
            return error.response()

    return Route(path, endpoint, methods=list(methods))
