"""The schemathesis waivers accept only what they name: their check, status, Twilio code and
message; never a server error, never a body that is not Twilio's error."""

from __future__ import annotations

from callbox.testing.waivers import ACCEPTANCE, STATUS, WAIVERS, waiver_for

CALLS = "POST /2010-04-01/Accounts/{AccountSid}/Calls.json"


def error(code: int, message: str, status: int = 400) -> dict[str, object]:
    more = f"https://www.twilio.com/docs/errors/{code}"
    return {"code": code, "message": message, "more_info": more, "status": status}


def test_each_waiver_is_named_once_with_a_code_and_a_reason() -> None:
    assert len({w.name for w in WAIVERS}) == len(WAIVERS)
    assert all(w.code >= 20000 and 400 <= w.status < 500 and w.reason for w in WAIVERS)


def test_a_waiver_covers_its_check_status_and_code_only() -> None:
    empty_to = error(21201, "A 'To' phone number is required.")
    assert waiver_for(ACCEPTANCE, CALLS, 400, empty_to) is not None
    assert waiver_for("not_a_server_error", CALLS, 400, empty_to) is None
    assert waiver_for(ACCEPTANCE, CALLS, 422, empty_to) is None
    assert waiver_for(ACCEPTANCE, CALLS, 400, error(21202, "x")) is None


def test_one_code_for_several_cases_is_waived_by_its_message() -> None:
    page = error(20001, "Invalid Page: 5000001 is outside 0..1000000")
    assert waiver_for(ACCEPTANCE, CALLS, 400, page) is not None
    assert waiver_for(ACCEPTANCE, CALLS, 400, error(20001, "Invalid Status: 'x'")) is None
    assert waiver_for(STATUS, CALLS, 400, error(20001, "Invalid Status: 'x'")) is not None


def test_a_server_error_or_a_body_of_another_shape_is_never_waived() -> None:
    for check in (STATUS, ACCEPTANCE, "not_a_server_error"):
        assert waiver_for(check, CALLS, 500, error(20500, "Internal error", 500)) is None
        assert waiver_for(check, CALLS, 400, b"<html>Bad Request</html>") is None
        assert waiver_for(check, CALLS, 404, {"detail": "Not Found"}) is None
