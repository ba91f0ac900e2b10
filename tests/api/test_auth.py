"""HTTP Basic auth: the account's SID and auth token, or 401 (20003) and no data; another
account's resources are not found."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from callbox.api.resources.accounts import new_account
from callbox.records import utc_now
from callbox.web.app import Platform


@pytest.mark.parametrize(
    "auth",
    [None, ("AC" + "0" * 32, "0" * 32), "wrong-token", ("nobody", "x")],
)
def test_wrong_credentials_get_401_and_no_data(
    http: TestClient, platform: Platform, auth: object
) -> None:
    account = platform.provisioned.account
    if auth == "wrong-token":
        auth = (account.sid, "f" * 32)
    http.auth = auth  # type: ignore[assignment]
    for path in (
        f"/2010-04-01/Accounts/{account.sid}.json",
        f"/2010-04-01/Accounts/{account.sid}/Calls.json",
        f"/2010-04-01/Accounts/{account.sid}/IncomingPhoneNumbers.json",
    ):
        response = http.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == 20003
        assert account.auth_token not in response.text and "+1555" not in response.text
        assert response.headers["www-authenticate"].startswith("Basic")


def test_a_garbled_authorization_header_is_401(http: TestClient, platform: Platform) -> None:
    http.auth = None  # type: ignore[assignment]
    sid = platform.provisioned.account.sid
    for header in ("Basic !!!", "Bearer abc", "Basic " + "QUNhYmM=", "Basic"):
        response = http.get(f"/2010-04-01/Accounts/{sid}.json", headers={"Authorization": header})
        assert response.status_code == 401


def test_another_accounts_resources_are_not_found(http: TestClient, platform: Platform) -> None:
    other = platform.store.create(new_account("other", utc_now))
    response = http.get(f"/2010-04-01/Accounts/{other.sid}/Calls.json")
    assert (response.status_code, response.json()["code"]) == (404, 20404)


def test_a_subaccount_is_reached_with_the_parents_credentials(http: TestClient) -> None:
    created = http.post("/2010-04-01/Accounts.json", data={"FriendlyName": "Team"})
    assert created.status_code == 201
    sub = created.json()
    listed = http.get(f"/2010-04-01/Accounts/{sub['sid']}/Calls.json")
    assert listed.status_code == 200 and listed.json()["calls"] == []
    names = [a["friendly_name"] for a in http.get("/2010-04-01/Accounts.json").json()["accounts"]]
    assert names == ["Team", "callbox"]


def test_an_unknown_path_is_twilios_404(http: TestClient, platform: Platform) -> None:
    sid = platform.provisioned.account.sid
    response = http.get(f"/2010-04-01/Accounts/{sid}/Nonsense.json")
    assert (response.status_code, response.json()["code"]) == (404, 20404)
