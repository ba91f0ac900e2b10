"""Usage Records: Twilio's categories, the period subresources and date filters, and totals
that equal the sum of the records' prices to the last decimal."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from callbox.billing import (
    CATEGORIES,
    Period,
    UsageQueryError,
    UsageRecord,
    call_usage,
    message_usage,
    recording_usage,
    usage_page,
    usage_records,
)

TODAY = date(2026, 3, 10)
ITEMS = [
    call_usage("outbound", date(2026, 1, 31), 61, Decimal("0.02600")),
    call_usage("inbound", date(2026, 2, 1), 30, Decimal("0.00850")),
    message_usage("outbound", date(2026, 2, 28), 2, Decimal("0.01580")),
    message_usage("inbound", date(2026, 3, 9), 1, Decimal("0.00790")),
    message_usage("outbound", date(2026, 3, 10), 1, Decimal("0.02000"), mms=True),
    recording_usage(date(2026, 3, 10), 90, Decimal("0.00500")),
]


def by_category(records: list[UsageRecord]) -> dict[str, UsageRecord]:
    return {record.category: record for record in records}


def test_all_time_list_has_every_category_with_twilios_units() -> None:
    records = by_category(usage_records(ITEMS, today=TODAY))
    assert set(records) == set(CATEGORIES)
    calls = records["calls"]
    assert (calls.count, calls.count_unit, calls.usage_unit) == (2, "calls", "minutes")
    assert calls.usage == 3
    assert calls.price == Decimal("0.03450")
    assert (records["calls-inbound"].count, records["calls-outbound"].usage) == (1, Decimal(2))
    assert (records["sms"].count, records["sms"].usage) == (2, Decimal(3))  # messages, segments
    assert (records["sms-outbound"].price, records["mms-outbound"].count) == (Decimal("0.01580"), 1)
    assert (records["recordings"].usage, records["recordings"].count_unit) == (
        Decimal(2),
        "recordings",
    )
    assert records["totalprice"].price == Decimal("0.08320")
    assert records["calls"].description == "Voice Minutes"
    assert (calls.start_date, calls.end_date) == (date(2026, 1, 31), TODAY)


def test_category_filter_and_date_filters_with_offsets() -> None:
    [record] = usage_records(ITEMS, today=TODAY, category="sms", start_date="-10days")
    assert (record.start_date, record.count, record.price) == (
        date(2026, 2, 28),
        2,
        Decimal("0.02370"),
    )
    [record] = usage_records(
        ITEMS, today=TODAY, category="calls", start_date="2026-02-01", end_date="2026-02-28"
    )
    assert (record.count, record.price) == (1, Decimal("0.00850"))


def test_daily_monthly_and_yearly_split_the_range() -> None:
    daily = usage_records(
        ITEMS, period=Period.DAILY, today=TODAY, category="calls", start_date="2026-01-30"
    )
    assert [r.start_date for r in daily][:3] == [
        date(2026, 1, 30),
        date(2026, 1, 31),
        date(2026, 2, 1),
    ]
    assert len(daily) == 40 and all(r.start_date == r.end_date for r in daily)
    assert [r.count for r in daily[:3]] == [0, 1, 1]
    monthly = usage_records(ITEMS, period=Period.MONTHLY, today=TODAY, category="totalprice")
    assert [(r.start_date, r.end_date) for r in monthly] == [
        (date(2026, 1, 31), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), TODAY),
    ]
    assert [r.price for r in monthly] == [
        Decimal("0.02600"),
        Decimal("0.02430"),
        Decimal("0.03290"),
    ]
    [yearly] = usage_records(ITEMS, period=Period.YEARLY, today=TODAY, category="totalprice")
    assert yearly.price == sum(r.price for r in monthly)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period.TODAY, TODAY, TODAY),
        (Period.YESTERDAY, date(2026, 3, 9), date(2026, 3, 9)),
        (Period.THIS_MONTH, date(2026, 3, 1), TODAY),
        (Period.LAST_MONTH, date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_fixed_periods_cover_their_days(period: Period, first: date, last: date) -> None:
    [record] = usage_records(ITEMS, period=period, today=TODAY, category="totalprice")
    assert (record.start_date, record.end_date) == (first, last)
    expected = sum((i.price for i in ITEMS if first <= i.day <= last), Decimal(0))
    assert record.price == expected


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"category": "faxes"}, "Invalid category 'faxes'"),
        ({"start_date": "yesterday"}, "Invalid date 'yesterday'"),
        ({"end_date": "2026-02-30"}, "no such day"),
    ],
)
def test_bad_queries_are_usage_query_errors(options: dict[str, str], message: str) -> None:
    with pytest.raises(UsageQueryError, match=message) as error:
        usage_records(
            ITEMS,
            today=TODAY,
            category=options.get("category"),
            start_date=options.get("start_date"),
            end_date=options.get("end_date"),
        )
    assert error.value.code == 20001


@pytest.mark.parametrize("period", [Period.DAILY, Period.MONTHLY, Period.YEARLY])
def test_a_page_of_usage_is_that_slice_of_the_whole_listing(period: Period) -> None:
    whole = usage_records(ITEMS, period=period, today=TODAY, start_date="2024-11-15")
    page, total = usage_page(
        ITEMS, period=period, today=TODAY, start_date="2024-11-15", offset=25, limit=40
    )
    assert total == len(whole) and page == whole[25:65]


def test_a_daily_listing_over_centuries_builds_only_the_page_asked_for() -> None:
    first = date(120, 1, 5)
    page, total = usage_page(
        ITEMS,
        period=Period.DAILY,
        today=TODAY,
        category="calls",
        start_date=first.isoformat(),
        offset=600_000,
        limit=2,
    )
    assert total == 696_218  # days from 120-01-05 to 2026-03-10, both included
    assert [r.start_date for r in page] == [date(1762, 10, 3), date(1762, 10, 4)]
