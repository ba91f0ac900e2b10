"""The strict twin of Twilio's spec catches what the loose spec lets through: a missing or extra
property, a date that is not RFC 2822, a SID of the wrong shape, an error body of another shape."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.api import api_routes
from callbox.api.forms import SID_PARAMETERS
from callbox.testing.contract import ContractError, StrictTwin, served_spec
from callbox.web.app import Platform

PATH = "/2010-04-01/Accounts/AC" + "0" * 32 + ".json"


def account_body(http: TestClient, platform: Platform) -> dict[str, Any]:
    sid = platform.provisioned.account.sid
    body: dict[str, Any] = http.get(f"/2010-04-01/Accounts/{sid}.json").json()
    return body


def test_a_real_response_passes(twin: StrictTwin, http: TestClient, platform: Platform) -> None:
    twin.validate("GET", PATH, 200, account_body(http, platform))


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda b: b.pop("friendly_name"), "friendly_name"),
        (lambda b: b.update(extra=1), "extra"),
        (lambda b: b.update(date_created="2026-01-02T03:04:05Z"), "date-time-rfc-2822"),
        (lambda b: b.update(sid="AC123"), "sid"),
    ],
)
def test_a_broken_response_is_refused(
    twin: StrictTwin, http: TestClient, platform: Platform, change: Any, complaint: str
) -> None:
    body = account_body(http, platform)
    change(body)
    with pytest.raises(ContractError, match=complaint):
        twin.validate("GET", PATH, 200, body)


def test_error_bodies_have_twilios_four_fields(twin: StrictTwin) -> None:
    good = {
        "code": 20404,
        "message": "x",
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }
    twin.validate("GET", PATH, 404, good)
    with pytest.raises(ContractError):
        twin.validate("GET", PATH, 404, {"detail": "Not Found"})


def test_every_sid_parameter_of_the_served_operations_is_checked_for_a_sids_shape(
    twin: StrictTwin, platform: Platform
) -> None:
    spec = served_spec(twin, api_routes(platform.context))
    named: set[str] = set()
    for item in spec["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            named |= {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            for content in operation.get("requestBody", {}).get("content", {}).values():
                named |= set(content["schema"].get("properties", {}))
    assert {name for name in named if name.endswith("Sid")} <= SID_PARAMETERS


def test_a_sid_parameter_of_the_wrong_shape_is_refused(
    http: TestClient, platform: Platform
) -> None:
    sid = platform.provisioned.account.sid
    answer = http.get(f"/2010-04-01/Accounts/{sid}/Calls.json", params={"ParentCallSid": "CA12"})
    assert answer.status_code == 400
    assert answer.json()["code"] == 20001 and "ParentCallSid" in answer.json()["message"]
