"""HTTP Basic authentication as Twilio does it: ``AccountSid:AuthToken``, compared in constant time;
wrong or missing credentials get 401 (code 20003) and no data.

An account may act on itself and on the subaccounts it owns; another account's resources are
404, as on Twilio, so that a SID's existence is not revealed.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.requests import Request

from callbox.api.errors import AUTHENTICATE, ApiError, not_found
from callbox.records import Account, AccountStatus
from callbox.store import Store

# Compared against when the account does not exist, so that the answer takes as long either way.
_NO_TOKEN = "0" * 32


def unauthorized() -> ApiError:
    return ApiError(AUTHENTICATE, "Authentication Error - invalid username", 401)


def credentials(request: Request) -> tuple[str, str] | None:
    """The user name and password of a Basic ``Authorization`` header, or None."""
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def authenticate(request: Request, store: Store) -> Account:
    """The account whose SID and auth token the request carries; ApiError 401 otherwise."""
    given = credentials(request)
    if given is None:
        raise unauthorized()
    user, password = given
    account = store.get(Account, user) if user.startswith("AC") and len(user) == 34 else None
    expected = account.auth_token if account is not None else _NO_TOKEN
    matches = hmac.compare_digest(expected.encode(), password.encode())
    if account is None or not matches or account.status is AccountStatus.CLOSED:
        raise unauthorized()
    return account


def account_in_scope(store: Store, caller: Account, account_sid: str, path: str) -> Account:
    """The account a path names, when the caller may act on it (itself or a subaccount)."""
    if account_sid == caller.sid:
        return caller
    target = store.get(Account, account_sid)
    if target is None or target.owner_account_sid != caller.sid:
        raise not_found(path)
    return target
