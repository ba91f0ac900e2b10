"""navigate: a verb hands control to the application at its resolved action URL, or the call
ends with 15004 when a relative action has nothing to resolve against."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.outcomes import EndCall, Navigate
from callbox.interpreter.status import CallStatus
from callbox.interpreter.verbs.actions import UNRESOLVED_ACTION, navigate


def test_action_is_resolved_against_the_current_document(call: Any) -> None:
    outcome = navigate(call, "menu?step=2", "GET", {"Digits": "1"}, input_given=True)
    assert outcome == Navigate("https://app.example.com/menu?step=2", "GET", {"Digits": "1"}, True)


def test_empty_action_requests_the_current_document(call: Any) -> None:
    assert navigate(call, None) == Navigate(call.url, "POST", {}, False)
    assert navigate(call, "") == Navigate(call.url, "POST", {}, False)


def test_action_params_are_copied(call: Any) -> None:
    params = {"Digits": "1"}
    outcome = navigate(call, "next", params=params)
    params["Digits"] = "2"
    assert isinstance(outcome, Navigate)
    assert outcome.params == {"Digits": "1"}


def test_relative_action_without_a_base_ends_the_call_with_15004(call: Any) -> None:
    call.url = None  # inline TwiML
    outcome = navigate(call, "next")
    assert outcome == EndCall(CallStatus.COMPLETED, reason="error", error_code=UNRESOLVED_ACTION)
    assert UNRESOLVED_ACTION == "15004"
    assert call.codes() == ["15004"]


def test_absolute_action_in_inline_twiml_is_followed(call: Any) -> None:
    call.url = None
    assert navigate(call, "https://other.example.com/x") == Navigate(
        "https://other.example.com/x", "POST", {}, False
    )
