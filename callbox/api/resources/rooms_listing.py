"""Paging over the switchboard's rooms (queues, conferences and the calls in them), which live in
memory rather than in the store: Twilio's list envelope, with an offset as the page token."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from urllib.parse import urlencode

from callbox.api.errors import ApiError, invalid, not_found
from callbox.api.handlers import ApiRequest
from callbox.api.pagination import PAGING_KEYS, PageRequest
from callbox.switchboard.rooms import Rooms

T = TypeVar("T")


def rooms_of(request: ApiRequest) -> Rooms:
    """The account's rooms on the running platform (404 when the API runs without one)."""
    directory = request.context.rooms
    if directory is None:
        raise ApiError(20404, "conferences and queues need a running platform (callbox serve)", 404)
    return directory.of(request.account.sid)


def page_of(
    request: ApiRequest,
    key: str,
    items: Sequence[T],
    render: Callable[[T], dict[str, Any]],
    filters: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """One page of ``items`` in Twilio's envelope; ``PageToken`` is the offset of the page."""
    paging = PageRequest.of(request.params)
    if paging.token is not None:
        if not paging.token.isdigit():
            raise invalid("PageToken", f"{paging.token!r} is not a page token")
        start = int(paging.token)
    else:
        start = paging.number * paging.size
    chunk = items[start : start + paging.size]
    path = request.http.url.path
    kept = [(k, v) for k, v in filters if k not in PAGING_KEYS]

    def uri(number: int, token: int | None = None) -> str:
        query = [*kept, ("PageSize", str(paging.size)), ("Page", str(number))]
        if token is not None:
            query.append(("PageToken", str(token)))
        return f"{path}?{urlencode(query)}"

    following = start + paging.size
    query = request.http.url.query
    return {
        key: [render(item) for item in chunk],
        "end": start + max(len(chunk) - 1, 0),
        "first_page_uri": uri(0),
        "next_page_uri": uri(paging.number + 1, following) if following < len(items) else None,
        "page": paging.number,
        "page_size": paging.size,
        "previous_page_uri": None,
        "start": start,
        "uri": f"{path}?{query}" if query else path,
    }


def found(request: ApiRequest, item: T | None) -> T:
    if item is None:
        raise not_found(request.path)
    return item
