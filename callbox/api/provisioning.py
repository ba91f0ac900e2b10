"""The account and numbers a platform starts with: made on first start, found on later ones.

``provision(store)`` returns the store's first top-level account and its numbers, creating an
account (random SID and auth token) and ``+15550100001``... when the store has none.
"""

from __future__ import annotations

from dataclasses import dataclass

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
        return Provisioned(account, tuple(reversed(held)), created=False)
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
