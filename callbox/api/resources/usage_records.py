"""Usage Records: ``/Usage/Records`` and its Daily, Monthly, Yearly, AllTime, Today, Yesterday,
ThisMonth and LastMonth subresources, summed from the account's priced calls, messages and
recordings (``callbox.billing``), with ``Category``, ``StartDate``/``EndDate`` (dates or offsets
such as ``-30days``), ``IncludeSubaccounts`` and Twilio's paging.

``price`` is a JSON number, as Twilio's spec types it, written with the exact decimal digits of
the sum (at most five decimals); a reader that parses numbers as decimals gets it exactly.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import invalid
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest
from callbox.api.wire import account_path
from callbox.billing.errors import UsageQueryError
from callbox.billing.ledger import usage_items
from callbox.billing.usage import Period, UsageRecord, decimal_text, usage_page
from callbox.records import API_VERSION, Account, Call, Message, Recording
from callbox.store import Condition, Op, Query, Store
from callbox.store.base import R

SUBRESOURCES = {
    "all_time": Period.ALL_TIME,
    "today": Period.TODAY,
    "yesterday": Period.YESTERDAY,
    "this_month": Period.THIS_MONTH,
    "last_month": Period.LAST_MONTH,
    "daily": Period.DAILY,
    "monthly": Period.MONTHLY,
    "yearly": Period.YEARLY,
}
FILTERS = ("Category", "StartDate", "EndDate", "IncludeSubaccounts")


def _every(store: Store, kind: type[R], account_sids: Sequence[str]) -> Iterator[R]:
    for sid in account_sids:
        cursor: str | None = None
        while True:
            page = store.list(Query(kind, account_sid=sid), page_size=1000, cursor=cursor)
            yield from page.records
            cursor = page.next_cursor
            if cursor is None:
                break


def _accounts(request: ApiRequest) -> list[str]:
    """The account, and its subaccounts unless ``IncludeSubaccounts=false``."""
    sids = [request.account.sid]
    if request.params.boolean("IncludeSubaccounts", True):
        owned = Condition("owner_account_sid", Op.EQ, request.account.sid)
        store = request.context.store
        cursor: str | None = None
        while True:
            page = store.list(Query(Account, conditions=(owned,)), page_size=1000, cursor=cursor)
            sids += [a.sid for a in page.records if a.sid != request.account.sid]
            cursor = page.next_cursor
            if cursor is None:
                break
    return sids


def records_path(account_sid: str, period: Period) -> str:
    suffix = f"/{period.value}" if period.value else ""
    return f"{account_path(account_sid)}/Usage/Records{suffix}.json"


def record_json(
    account_sid: str, period: Period, record: UsageRecord, as_of: datetime
) -> dict[str, Any]:
    category = urlencode({"Category": record.category})
    dates = urlencode(
        {"StartDate": record.start_date.isoformat(), "EndDate": record.end_date.isoformat()}
    )
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "as_of": as_of.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        "category": record.category,
        "count": str(record.count),
        "count_unit": record.count_unit,
        "description": record.description,
        "end_date": record.end_date.isoformat(),
        "price": float(record.price),
        "price_unit": record.price_unit,
        "start_date": record.start_date.isoformat(),
        "subresource_uris": {
            name: f"{records_path(account_sid, sub)}?{category}"
            for name, sub in SUBRESOURCES.items()
        },
        "uri": f"{records_path(account_sid, period)}?{category}&{dates}",
        "usage": decimal_text(record.usage),
        "usage_unit": record.usage_unit,
    }


def _given(value: str | None) -> str | None:
    """A date filter as given: an empty one is refused as a date, not taken as no filter."""
    return value.strip() if value is not None else None


def _list(period: Period) -> Any:
    async def listing(request: ApiRequest) -> Response:
        store, params = request.context.store, request.params
        now = request.context.now()
        sids = _accounts(request)
        items = usage_items(
            _every(store, Call, sids), _every(store, Message, sids), _every(store, Recording, sids)
        )
        paging = PageRequest.of(params)
        start = paging.number * paging.size
        try:
            shown, total = usage_page(
                items,
                period=period,
                today=now.date(),
                first_day=request.account.date_created.date(),
                category=(params.get("Category") or "").strip() or None,
                start_date=_given(params.get("StartDate")),
                end_date=_given(params.get("EndDate")),
                offset=start,
                limit=paging.size,
            )
        except UsageQueryError as error:
            name = "Category" if "category" in error.message else "StartDate or EndDate"
            raise invalid(name, error.message.removeprefix("Invalid ")) from None
        path = request.path
        kept = [(k, v) for k in FILTERS for v in params.all(k)]

        def uri(number: int) -> str:
            return f"{path}?{urlencode([*kept, ('PageSize', str(paging.size)), ('Page', str(number))])}"

        more = start + paging.size < total
        return json(
            {
                "usage_records": [record_json(request.account.sid, period, r, now) for r in shown],
                "end": start + max(len(shown) - 1, 0),
                "first_page_uri": uri(0),
                "next_page_uri": uri(paging.number + 1) if more else None,
                "page": paging.number,
                "page_size": paging.size,
                "previous_page_uri": uri(paging.number - 1) if paging.number > 0 else None,
                "start": start,
                "uri": f"{path}?{request.http.url.query}" if request.http.url.query else path,
            }
        )

    return listing


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Usage/Records"
    return [
        api_route(context, f"{base}{'/' + p.value if p.value else ''}.json", _list(p), ["GET"])
        for p in Period
    ]
