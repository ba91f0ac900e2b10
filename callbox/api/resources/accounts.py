"""Accounts: fetch, list and update the account and its subaccounts, and create subaccounts."""

from __future__ import annotations

import dataclasses
import secrets
from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import UNKNOWN_PARAMETER, ApiError
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.pagination import PageRequest, list_body, read_page
from callbox.api.wire import ROOT, account_path, rfc2822
from callbox.records import Account, AccountStatus, AccountType, SidPrefix, new_sid
from callbox.store import Condition, Op, Query

SUBRESOURCES = {
    "addresses": "Addresses",
    "conferences": "Conferences",
    "signing_keys": "SigningKeys",
    "transcriptions": "Transcriptions",
    "connect_apps": "ConnectApps",
    "sip": "SIP",
    "authorized_connect_apps": "AuthorizedConnectApps",
    "usage": "Usage",
    "keys": "Keys",
    "applications": "Applications",
    "recordings": "Recordings",
    "short_codes": "SMS/ShortCodes",
    "calls": "Calls",
    "notifications": "Notifications",
    "incoming_phone_numbers": "IncomingPhoneNumbers",
    "queues": "Queues",
    "messages": "Messages",
    "outgoing_caller_ids": "OutgoingCallerIds",
    "available_phone_numbers": "AvailablePhoneNumbers",
    "balance": "Balance",
}


def new_account(friendly_name: str, now: Any, owner_sid: str | None = None) -> Account:
    """A fresh active account with a random auth token; top-level unless ``owner_sid`` is given."""
    sid = new_sid(SidPrefix.ACCOUNT)
    when = now()
    return Account(
        sid=sid,
        owner_account_sid=owner_sid or sid,
        friendly_name=friendly_name,
        auth_token=secrets.token_hex(16),
        status=AccountStatus.ACTIVE,
        type=AccountType.FULL,
        date_created=when,
        date_updated=when,
    )


def account_json(account: Account) -> dict[str, Any]:
    base = account_path(account.sid)
    return {
        "auth_token": account.auth_token,
        "date_created": rfc2822(account.date_created),
        "date_updated": rfc2822(account.date_updated),
        "friendly_name": account.friendly_name,
        "owner_account_sid": account.owner_account_sid,
        "sid": account.sid,
        "status": account.status.value,
        "subresource_uris": {k: f"{base}/{v}.json" for k, v in SUBRESOURCES.items()},
        "type": account.type.value,
        "uri": f"{base}.json",
    }


async def fetch(request: ApiRequest) -> Response:
    return json(account_json(request.account))


async def update(request: ApiRequest) -> Response:
    account = request.account
    name = request.params.text("FriendlyName", max_length=64)
    status = request.params.choice("Status", AccountStatus)
    if (
        status is not None
        and account.sid == request.caller.sid
        and status is not AccountStatus.ACTIVE
    ):
        raise ApiError(UNKNOWN_PARAMETER, "An account cannot suspend or close itself")
    changed = dataclasses.replace(
        account,
        friendly_name=account.friendly_name if name is None else name,
        status=status or account.status,
        date_updated=request.context.now(),
    )
    return json(account_json(request.context.store.update(changed)))


async def create(request: ApiRequest) -> Response:
    name = request.params.text("FriendlyName", max_length=64)
    when = request.context.now()
    account = new_account(
        name or f"SubAccount Created at {when:%Y-%m-%d %I:%M %p}",
        lambda: when,
        owner_sid=request.caller.sid,
    )
    return json(account_json(request.context.store.create(account)), 201)


async def listing(request: ApiRequest) -> Response:
    store = request.context.store
    conditions = [Condition("owner_account_sid", Op.EQ, request.caller.sid)]
    name = request.params.get("FriendlyName")
    if name:
        conditions.append(Condition("friendly_name", Op.EQ, name))
    status = request.params.choice("Status", AccountStatus)
    if status is not None:
        conditions.append(Condition("status", Op.EQ, status.value))
    paging = PageRequest.of(request.params)
    page = read_page(store, Query(Account, conditions=tuple(conditions)), paging)
    filters = [(k, v) for k in ("FriendlyName", "Status") for v in request.params.all(k)]
    return json(list_body(request.http, "accounts", page, paging, account_json, filters))


def routes(context: ApiContext) -> list[Route]:
    return [
        api_route(context, f"{ROOT}/Accounts.json", listing, ["GET"]),
        api_route(context, f"{ROOT}/Accounts.json", create, ["POST"]),
        api_route(context, f"{ROOT}/Accounts/{{account_sid}}.json", fetch, ["GET"]),
        api_route(context, f"{ROOT}/Accounts/{{account_sid}}.json", update, ["POST"]),
    ]
