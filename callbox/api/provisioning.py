"""The account and numbers a platform starts with: made on first start, found on later ones.

``provision(store)`` returns the store's first top-level account and its numbers, creating an
account (random SID and auth token) and ``+15550100001``... when the store has none. On a later
start, a number it made that nobody has changed since follows the server to its new address
(``--port 8080`` after a first start on 5000), since its URLs were the server's own.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from urllib.parse import urlsplit

from callbox.api.resources.accounts import new_account
from callbox.api.wire import formatted_number
from callbox.records import Account, IncomingPhoneNumber, SidPrefix, new_sid, utc_now
from callbox.store import Condition, Op, Query, Store

FIRST_NUMBER = 15550100001
DEFAULT_NUMBER_COUNT = 3


@dataclass(frozen=True)
class Provisioned:
    account: Account
    numbers: tuple[IncomingPhoneNumber, ...]
    created: bool
    """Whether this start made them (the first start) or found them."""


def provision(
    store: Store,
    *,
    numbers: int = DEFAULT_NUMBER_COUNT,
    voice_url: str | None = None,
    sms_url: str | None = None,
) -> Provisioned:
    """The platform's account and numbers; made when the store holds no account yet. New numbers
    answer calls with ``voice_url`` and messages with ``sms_url`` when they are given."""
    accounts = store.list(Query(Account), page_size=1000).records
    top = [a for a in accounts if a.owner_account_sid == a.sid]
    if top:
        account = top[-1]  # the oldest: listings are newest first
        held = store.list(Query(IncomingPhoneNumber, account.sid), page_size=1000).records
        found = tuple(_moved(store, number, voice_url, sms_url) for number in reversed(held))
        return Provisioned(account, found, created=False)
    account = store.create(new_account("callbox", utc_now))
    made: list[IncomingPhoneNumber] = []
    for offset in range(numbers):
        phone_number = f"+{FIRST_NUMBER + offset}"
        taken = Query(
            IncomingPhoneNumber, conditions=(Condition("phone_number", Op.EQ, phone_number),)
        )
        if store.list(taken, page_size=1).records:
            continue
        when = utc_now()
        made.append(
            store.create(
                IncomingPhoneNumber(
                    sid=new_sid(SidPrefix.PHONE_NUMBER),
                    account_sid=account.sid,
                    phone_number=phone_number,
                    friendly_name=formatted_number(phone_number),
                    date_created=when,
                    date_updated=when,
                    voice_url=voice_url,
                    sms_url=sms_url,
                )
            )
        )
    return Provisioned(account, tuple(made), created=True)


def _same_path_elsewhere(stored: str | None, wanted: str | None) -> bool:
    """Whether ``stored`` is ``wanted``'s flow at another address (scheme, host or port)."""
    if stored is None or wanted is None or stored == wanted:
        return False
    before, after = urlsplit(stored), urlsplit(wanted)
    return (before.path, before.query) == (after.path, after.query)


def _moved(
    store: Store, number: IncomingPhoneNumber, voice_url: str | None, sms_url: str | None
) -> IncomingPhoneNumber:
    """``number`` with the server's URLs at its current address, when the platform made it
    (its URLs are one of the served flows) and nobody has updated it since."""
    if number.date_updated != number.date_created:
        return number
    voice = _same_path_elsewhere(number.voice_url, voice_url)
    sms = _same_path_elsewhere(number.sms_url, sms_url)
    if not voice and not sms:
        return number
    return store.update(
        dataclasses.replace(
            number,
            voice_url=voice_url if voice else number.voice_url,
            sms_url=sms_url if sms else number.sms_url,
        )
    )
