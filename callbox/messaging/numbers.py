"""The platform's numbers as messaging sees them: where a message to each goes (its SmsUrl,
method and fallback), read from the store's ``IncomingPhoneNumber`` records at each message, so
that a number updated over REST takes effect with the next message."""

from __future__ import annotations

from collections.abc import Callable

from callbox.messaging.exchange import Route
from callbox.records import IncomingPhoneNumber
from callbox.store import Condition, Op, Query, Store


def number_record(store: Store, number: str) -> IncomingPhoneNumber | None:
    """The store's record of the platform's number ``number`` (E.164), if it has one."""
    query = Query(IncomingPhoneNumber, conditions=(Condition("phone_number", Op.EQ, number),))
    found = store.list(query, page_size=1).records
    return found[0] if found else None


def route_of(record: IncomingPhoneNumber) -> Route | None:
    """Where messages to the number go; None when it has no SmsUrl."""
    if not record.sms_url:
        return None
    return Route(
        record.sms_url,
        record.sms_method.value,
        record.sms_fallback_url,
        record.sms_fallback_method.value,
    )


def routes_in(store: Store) -> Callable[[str], Route | None]:
    """A messenger's ``find_route``: the route of each number, as the store has it now."""

    def find(number: str) -> Route | None:
        record = number_record(store, number)
        return route_of(record) if record is not None else None

    return find
