"""Twilio's paging: ``PageSize`` (1-1000, default 50), ``Page`` and ``PageToken`` in, and the list
envelope out (``first_page_uri``, ``next_page_uri``, ``page``, ``start``, ``end``...).

``PageToken`` is the store's cursor; a ``Page`` number without a token walks from the first page.
Clients follow ``next_page_uri`` verbatim. ``previous_page_uri`` is null: the cursors run forward.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from callbox.api.errors import invalid
from callbox.api.forms import Params
from callbox.records import Record
from callbox.store import CursorError, Page, Query, Store
from callbox.store.base import R

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 1000
PAGING_KEYS = ("PageSize", "Page", "PageToken")


@dataclass(frozen=True)
class PageRequest:
    size: int
    number: int
    token: str | None

    @classmethod
    def of(cls, params: Params) -> PageRequest:
        size = params.integer("PageSize", DEFAULT_PAGE_SIZE, low=1, high=MAX_PAGE_SIZE)
        number = params.integer("Page", 0, low=0, high=1_000_000)
        token = params.get("PageToken") or None
        return cls(size, number, token)


def read_page(store: Store, query: Query[R], request: PageRequest) -> Page[R]:
    """The page asked for: from its token, or by walking ``Page`` pages from the first."""
    try:
        if request.token is not None:
            return store.list(query, page_size=request.size, cursor=request.token)
        page = store.list(query, page_size=request.size)
        for _ in range(request.number):
            if page.next_cursor is None:
                return Page((), None)
            page = store.list(query, page_size=request.size, cursor=page.next_cursor)
        return page
    except CursorError:
        raise invalid("PageToken", f"{request.token!r} is not a page token") from None


def list_body(
    request: Request,
    key: str,
    page: Page[R],
    paging: PageRequest,
    render: Callable[[R], dict[str, Any]],
    filters: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Twilio's list envelope around one page of rendered records."""
    path = request.url.path
    kept = [(k, v) for k, v in filters if k not in PAGING_KEYS]

    def uri(number: int, token: str | None = None) -> str:
        query = [*kept, ("PageSize", str(paging.size)), ("Page", str(number))]
        if token is not None:
            query.append(("PageToken", token))
        return f"{path}?{urlencode(query)}"

    start = paging.number * paging.size
    records: Sequence[Record] = page.records
    own = f"{path}?{request.url.query}" if request.url.query else path
    return {
        key: [render(r) for r in page.records],
        "end": start + max(len(records) - 1, 0),
        "first_page_uri": uri(0),
        "next_page_uri": uri(paging.number + 1, page.next_cursor) if page.next_cursor else None,
        "page": paging.number,
        "page_size": paging.size,
        "previous_page_uri": None,
        "start": start,
        "uri": own,
    }
