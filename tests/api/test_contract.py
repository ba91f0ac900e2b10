"""The strict twin of Twilio's spec catches what the loose spec lets through: a missing or extra
property, a date that is not RFC 2822, a SID of the wrong shape, an error body of another shape."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from callbox.testing.contract import ContractError, StrictTwin
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
