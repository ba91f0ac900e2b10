"""Prices and usage over REST with the official twilio client: a call is routed by the
soft-switch (its routing record at .../Routing.json), priced at its carrier's rate as Twilio
shows prices, and counted in Usage Records and their subresources."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.interpreter.transports import in_process
from callbox.network.charges import Charges
from callbox.store import MemoryStore
from callbox.testing.contract import StrictTwin
from callbox.testing.twilio_http import contract_hook, twilio_client
from callbox.web.app import Platform

TWIML = '<Response><Pause length="61"/></Response>'  # answered after 2 s: 61 s billed as 2 min
FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
SAMPLES = Path(__file__).parents[2] / "samples"
BASE_URL = "http://testserver"


def finished(client: Any, sid: str) -> Any:
    for _ in range(1000):
        call = client.calls(sid).fetch()
        if call.status in FINAL:
            return call
        time.sleep(0.01)
    raise AssertionError(f"call {sid} did not end")


def test_a_call_is_priced_at_its_carriers_rate_as_twilio_shows_it(client: Any) -> None:
    call = client.calls.create(to="+447700900123", from_="+15550100001", twiml=TWIML)
    assert call.price is None  # not priced until it ends
    ended = finished(client, call.sid)
    assert ended.status == "completed" and int(ended.duration) == 61
    assert ended.price_unit == "USD"
    price = Decimal(ended.price)
    assert price < 0 and price.as_tuple().exponent == -5  # "-0.0xxxx", five decimals
    # twilio mode: two whole minutes at the chosen carrier's per-minute rate, plus the markup
    per_minute = -price / 2
    assert Decimal("0.005") < per_minute < Decimal("0.05")


def test_unanswered_calls_cost_nothing(client: Any) -> None:
    call = client.calls.create(to="+15550190001", from_="+15550100001", twiml=TWIML)
    ended = finished(client, call.sid)
    assert (ended.status, ended.price) == ("busy", "0.00000")


def test_routing_record_is_visible_on_the_call(client: Any, http: TestClient) -> None:
    call = client.calls.create(to="+447700900123", from_="+15550100001", twiml=TWIML)
    finished(client, call.sid)
    response = http.get(f"/callbox/Accounts/{call.account_sid}/Calls/{call.sid}/Routing.json")
    assert response.status_code == 200
    routing = response.json()["routing"]
    assert routing["destination"] == "+447700900123" and routing["name"].startswith("GB mobile")
    carriers = [c["carrier"] for c in routing["candidates"]]
    assert carriers[0] == routing["carrier"] and len(carriers) >= 2
    assert all(
        {"cost", "score", "adequate", "quality", "reasons"} <= set(c) for c in routing["candidates"]
    )
    assert [a["sip_code"] for a in routing["attempts"]] == [200]
    missing = http.get(f"/callbox/Accounts/{call.account_sid}/Calls/CA{'0' * 32}/Routing.json")
    assert missing.status_code == 404 and missing.json()["code"] == 20404


def test_usage_records_sum_the_prices_the_calls_show(client: Any) -> None:
    sids = [
        client.calls.create(to=to, from_="+15550100001", twiml=TWIML).sid
        for to in ("+447700900123", "+14155550100", "+15550190001")
    ]
    calls = [finished(client, sid) for sid in sids]
    charged = sum(-Decimal(c.price) for c in calls)
    [record] = client.usage.records.list(category="calls")
    assert (record.count, record.count_unit, record.usage, record.usage_unit) == (
        "2",
        "calls",
        "4",
        "minutes",
    )
    assert Decimal(record.price).quantize(Decimal("0.00001")) == charged
    assert record.price_unit == "usd"
    [outbound] = client.usage.records.list(category="calls-outbound")
    assert outbound.count == "2"
    [today] = client.usage.records.today.list(category="totalprice")
    assert Decimal(today.price).quantize(Decimal("0.00001")) == charged
    for listing in (
        client.usage.records.daily,
        client.usage.records.monthly,
        client.usage.records.this_month,
    ):
        records = listing.list(category="calls")
        total = sum((Decimal(r.price) for r in records), Decimal(0))
        assert total.quantize(Decimal("0.00001")) == charged
    assert client.usage.records.yesterday.list(category="calls")[0].count == "0"
    assert client.usage.records.last_month.list(category="calls")[0].count == "0"


def test_every_category_is_listed_and_pages(client: Any) -> None:
    records = client.usage.records.all_time.list()
    categories = [r.category for r in records]
    assert {"calls", "sms", "mms", "recordings", "totalprice"} <= set(categories)
    assert categories == sorted(categories)
    paged = client.usage.records.list(page_size=3, limit=100)
    assert [r.category for r in paged] == categories


@pytest.mark.parametrize(
    "query", ["Category=faxes", "StartDate=2026-02-30", "EndDate=yesterday", "PageSize=0"]
)
def test_bad_usage_queries_are_twilio_400s(
    http: TestClient, platform: Platform, query: str
) -> None:
    sid = platform.provisioned.account.sid
    response = http.get(f"/2010-04-01/Accounts/{sid}/Usage/Records/Daily.json?{query}")
    assert response.status_code == 400
    assert response.json()["code"] == 20001


def test_usage_date_offsets_filter(http: TestClient, platform: Platform) -> None:
    sid = platform.provisioned.account.sid
    body = http.get(
        f"/2010-04-01/Accounts/{sid}/Usage/Records/Daily.json?Category=calls&StartDate=-2days"
    ).json()
    assert len(body["usage_records"]) == 3
    assert body["usage_records"][0]["subresource_uris"]["today"].endswith(
        "/Usage/Records/Today.json?Category=calls"
    )


def test_inbound_calls_are_priced_at_the_inbound_rate(http: TestClient, client: Any) -> None:
    response = http.post(
        "/callbox/inbound-calls", data={"To": "+15550100001", "From": "+15005550006", "Press": "1"}
    )
    call = client.calls(response.json()["call"]["sid"]).fetch()
    minutes = -(-int(call.duration) // 60)
    # the sample's inbound rate 0.0085 a minute, plus its 15 % markup, per started minute
    assert Decimal(call.price) == -(Decimal("0.0085") * minutes * Decimal("1.15")).quantize(
        Decimal("0.00001")
    )
    [inbound] = client.usage.records.list(category="calls-inbound")
    # the client reads the JSON number through a float: five decimals give the exact sum back
    price = Decimal(inbound.price).quantize(Decimal("0.00001"))
    assert (inbound.count, price) == ("1", -Decimal(call.price))


def test_a_carrier_in_an_outage_is_failed_over_on_the_platform(
    tmp_path: Path, twin: StrictTwin
) -> None:
    deck = "prefix,destination,per_minute,connect_fee,increment,per_segment,per_mms\n44,GB,{},,,,\n"
    (tmp_path / "down.csv").write_text(deck.format("0.0050"))
    (tmp_path / "up.csv").write_text(deck.format("0.0090"))
    (tmp_path / "carriers.toml").write_text(
        """
[[carriers]]
name = "down"
deck = "down.csv"
[[carriers.outages]]
start = 2000-01-01T00:00:00Z
end = 2100-01-01T00:00:00Z
code = 503
[[carriers]]
name = "up"
deck = "up.csv"
"""
    )
    charges = Charges.from_config(tmp_path / "carriers.toml")
    platform = Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=False, charges=charges)
    app = platform.app()
    served = in_process(app, BASE_URL)
    platform.client, platform.policy = served.client, served.policy
    account = platform.provisioned.account
    with TestClient(app, base_url=BASE_URL) as http:
        http.auth = (account.sid, account.auth_token)
        http.event_hooks["response"] = [contract_hook(twin)]
        client = twilio_client(http, account.sid, account.auth_token, BASE_URL)
        call = client.calls.create(to="+447700900123", from_="+15550100001", twiml=TWIML)
        ended = finished(client, call.sid)
        assert (ended.status, ended.price) == ("completed", "-0.01800")  # 2 min at up's 0.0090
        path = f"/callbox/Accounts/{account.sid}/Calls/{call.sid}/Routing.json"
        routing = http.get(path).json()["routing"]
    assert [(a["carrier"], a["sip_code"], a["failed_over"]) for a in routing["attempts"]] == [
        ("down", 503, True),
        ("up", 200, False),
    ]
