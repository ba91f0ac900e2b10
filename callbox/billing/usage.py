"""Usage Records: priced calls, messages and recordings summed per Twilio category and period.

Pure aggregation: items in, records out. ``Period`` names the REST subresources (``Daily``,
``Monthly``, ``Yearly``, ``AllTime``, ``Today``, ``Yesterday``, ``ThisMonth``, ``LastMonth``; the
plain list is ``Period.ALL``); dates are GMT days and ``StartDate``/``EndDate`` accept
``YYYY-MM-DD`` or offsets from today such as ``-30days``.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from callbox.billing.errors import UsageQueryError
from callbox.billing.rates import ZERO


class UsageKind(enum.StrEnum):
    CALL = "call"
    SMS = "sms"
    MMS = "mms"
    RECORDING = "recording"


@dataclass(frozen=True, slots=True)
class UsageItem:
    """One priced thing: a call (``usage`` = billed minutes), a message (segments; an MMS is 1),
    or a recording (billed minutes). ``price`` is the positive charge; ``day`` its GMT date."""

    kind: UsageKind
    direction: str  # "inbound" or "outbound" ("" for recordings)
    day: date
    usage: Decimal
    price: Decimal
    count: int = 1


def call_usage(direction: str, day: date, billed_seconds: int, price: Decimal) -> UsageItem:
    """A call's usage: ``usage`` is its billed minutes, rounded up, as Twilio reports them."""
    return UsageItem(UsageKind.CALL, direction, day, Decimal(-(-billed_seconds // 60)), price)


def message_usage(
    direction: str, day: date, segments: int, price: Decimal, *, mms: bool = False
) -> UsageItem:
    """A message's usage: SMS count their segments; an MMS is one."""
    kind = UsageKind.MMS if mms else UsageKind.SMS
    return UsageItem(kind, direction, day, Decimal(1 if mms else segments), price)


def recording_usage(day: date, duration: int, price: Decimal) -> UsageItem:
    """A recording's usage: its minutes, rounded up."""
    return UsageItem(UsageKind.RECORDING, "", day, Decimal(-(-duration // 60)), price)


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    description: str
    count_unit: str
    usage_unit: str
    kind: UsageKind | None  # None: every kind (totalprice)
    direction: str | None = None  # None: both directions


def _categories() -> dict[str, Category]:
    rows = [
        Category("calls", "Voice Minutes", "calls", "minutes", UsageKind.CALL),
        Category(
            "calls-inbound", "Inbound Voice Minutes", "calls", "minutes", UsageKind.CALL, "inbound"
        ),
        Category(
            "calls-outbound",
            "Outbound Voice Minutes",
            "calls",
            "minutes",
            UsageKind.CALL,
            "outbound",
        ),
        Category("sms", "SMS Messages", "messages", "messages", UsageKind.SMS),
        Category(
            "sms-inbound", "Inbound SMS Messages", "messages", "messages", UsageKind.SMS, "inbound"
        ),
        Category(
            "sms-outbound",
            "Outbound SMS Messages",
            "messages",
            "messages",
            UsageKind.SMS,
            "outbound",
        ),
        Category("mms", "MMS Messages", "messages", "messages", UsageKind.MMS),
        Category(
            "mms-inbound", "Inbound MMS Messages", "messages", "messages", UsageKind.MMS, "inbound"
        ),
        Category(
            "mms-outbound",
            "Outbound MMS Messages",
            "messages",
            "messages",
            UsageKind.MMS,
            "outbound",
        ),
        Category("recordings", "Voice Recordings", "recordings", "minutes", UsageKind.RECORDING),
        Category("totalprice", "Total Price", "", "usd", None),
    ]
    return {row.name: row for row in sorted(rows, key=lambda row: row.name)}


CATEGORIES: dict[str, Category] = _categories()


def categories_of(item: UsageItem) -> list[str]:
    """The categories an item counts in: its kind, its kind and direction, and totalprice."""
    return [
        name
        for name, category in CATEGORIES.items()
        if (category.kind is None or category.kind is item.kind)
        and (category.direction is None or category.direction == item.direction)
    ]


class Period(enum.StrEnum):
    """The list resource (``ALL``) and its subresources, by their path segment."""

    ALL = ""
    DAILY = "Daily"
    MONTHLY = "Monthly"
    YEARLY = "Yearly"
    ALL_TIME = "AllTime"
    TODAY = "Today"
    YESTERDAY = "Yesterday"
    THIS_MONTH = "ThisMonth"
    LAST_MONTH = "LastMonth"


@dataclass(frozen=True, slots=True)
class UsageRecord:
    """One category's usage over ``start_date``..``end_date`` (both included)."""

    category: str
    description: str
    start_date: date
    end_date: date
    count: int
    count_unit: str
    usage: Decimal
    usage_unit: str
    price: Decimal
    price_unit: str = "usd"


_OFFSET = re.compile(r"([+-])([0-9]{1,5})days?")


def parse_usage_date(text: str, today: date) -> date:
    """``StartDate``/``EndDate``: ``YYYY-MM-DD``, or an offset from today (``-30days``)."""
    offset = _OFFSET.fullmatch(text)
    if offset:
        days = int(offset.group(2))
        return today + timedelta(days=days if offset.group(1) == "+" else -days)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise UsageQueryError(f"Invalid date {text!r}: use YYYY-MM-DD or an offset such as -30days")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageQueryError(f"Invalid date {text!r}: no such day") from None


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def period_range(period: Period, today: date, start: date, end: date) -> tuple[date, date]:
    """The days a period covers; the fixed ones (Today, LastMonth...) ignore start and end."""
    if period is Period.TODAY:
        return today, today
    if period is Period.YESTERDAY:
        return today - timedelta(days=1), today - timedelta(days=1)
    if period is Period.THIS_MONTH:
        return _month_start(today), today
    if period is Period.LAST_MONTH:
        last = _month_start(today) - timedelta(days=1)
        return _month_start(last), last
    return start, end


def bucket_count(period: Period, first: date, last: date) -> int:
    """How many records per category a period lists between ``first`` and ``last``."""
    if first > last:
        return 0
    if period is Period.DAILY:
        return (last - first).days + 1
    if period is Period.MONTHLY:
        return (last.year - first.year) * 12 + last.month - first.month + 1
    if period is Period.YEARLY:
        return last.year - first.year + 1
    return 1


def bucket_at(period: Period, first: date, last: date, index: int) -> tuple[date, date]:
    """The (start, end) days of the ``index``-th bucket (``0 <= index < bucket_count``), found
    without walking the ones before it: a range of centuries pages as fast as a week."""
    if period is Period.DAILY:
        day = first + timedelta(days=index)
        return day, day
    if period is Period.MONTHLY:
        months = first.year * 12 + first.month - 1 + index
        start = first if index == 0 else date(months // 12, months % 12 + 1, 1)
        return start, min(last, _next_month(start) - timedelta(days=1))
    if period is Period.YEARLY:
        start = first if index == 0 else date(first.year + index, 1, 1)
        return start, min(last, date(start.year + 1, 1, 1) - timedelta(days=1))
    return first, last


def buckets(period: Period, first: date, last: date) -> Iterator[tuple[date, date]]:
    """The (start, end) days of each record a period lists between ``first`` and ``last``."""
    for index in range(bucket_count(period, first, last)):
        yield bucket_at(period, first, last, index)


def _bucket_key(period: Period, day: date) -> date:
    if period is Period.DAILY:
        return day
    if period is Period.MONTHLY:
        return _month_start(day)
    if period is Period.YEARLY:
        return date(day.year, 1, 1)
    return date.min


@dataclass(slots=True)
class _Sum:
    count: int = 0
    usage: Decimal = ZERO
    price: Decimal = ZERO


def usage_page(
    items: Iterable[UsageItem],
    *,
    period: Period = Period.ALL,
    today: date,
    first_day: date | None = None,
    category: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[UsageRecord], int]:
    """One page of the records a Usage Records request lists (``limit`` of them from ``offset``;
    all when ``limit`` is None) and how many there are in all: every category (or just
    ``category``) for each bucket of the period, zeros included, in date order then category
    order. Only the page's records are built, however long the range.

    ``first_day`` is where unbounded ranges start (the account's first day); without it, the
    earliest item's day, or today.
    """
    if category is not None and category not in CATEGORIES:
        raise UsageQueryError(f"Invalid category {category!r}")
    items = list(items)
    default_first = first_day or min((item.day for item in items), default=today)
    start = parse_usage_date(start_date, today) if start_date is not None else default_first
    end = parse_usage_date(end_date, today) if end_date is not None else today
    first, last = period_range(period, today, start, end)
    names = [category] if category else list(CATEGORIES)
    wanted = set(names)
    sums: dict[tuple[date, str], _Sum] = {}
    for item in items:
        if not first <= item.day <= last:
            continue
        key_day = _bucket_key(period, item.day)
        for name in categories_of(item):
            if name not in wanted:
                continue
            total = sums.setdefault((key_day, name), _Sum())
            total.price += item.price
            if name == "totalprice":
                total.usage += item.price
            else:
                total.count += item.count
                total.usage += item.usage
    total_records = bucket_count(period, first, last) * len(names)
    stop = total_records if limit is None else min(total_records, offset + limit)
    records = []
    for position in range(offset, stop):
        bucket, index = divmod(position, len(names))
        bucket_first, bucket_last = bucket_at(period, first, last, bucket)
        name = names[index]
        found = sums.get((_bucket_key(period, bucket_first), name), _Sum())
        spec = CATEGORIES[name]
        records.append(
            UsageRecord(
                category=name,
                description=spec.description,
                start_date=bucket_first,
                end_date=bucket_last,
                count=found.count,
                count_unit=spec.count_unit,
                usage=found.usage,
                usage_unit=spec.usage_unit,
                price=found.price,
            )
        )
    return records, total_records


def usage_records(
    items: Iterable[UsageItem],
    *,
    period: Period = Period.ALL,
    today: date,
    first_day: date | None = None,
    category: str | None = None,
    start_date: str | None = None,
    end_date: str | None = None,
) -> list[UsageRecord]:
    """Every record ``usage_page`` would list, on one page."""
    records, _ = usage_page(
        items,
        period=period,
        today=today,
        first_day=first_day,
        category=category,
        start_date=start_date,
        end_date=end_date,
    )
    return records


def decimal_text(amount: Decimal) -> str:
    """A decimal as plain text without exponent or needless zeros: ``60``, ``0.0130`` -> ``0.013``."""
    if amount == 0:
        return "0"
    text = f"{amount:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
