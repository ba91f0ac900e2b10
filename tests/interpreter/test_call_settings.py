"""CallSettings: what describes one call before it starts; settings that cannot describe a call
are refused with SettingsError."""

from __future__ import annotations

import pytest

from callbox.interpreter.call_settings import (
    DEFAULT_ACCOUNT_SID,
    CallSessionError,
    CallSettings,
    SettingsError,
)

URL = "https://app.example.com/voice"


def test_call_with_a_voice_url_or_inline_twiml_is_described() -> None:
    assert CallSettings(url=URL).url == URL
    assert CallSettings(twiml=b"<Response/>").twiml == b"<Response/>"


def test_call_without_a_voice_url_or_inline_twiml_is_refused() -> None:
    with pytest.raises(SettingsError, match="voice URL or inline TwiML"):
        CallSettings()


def test_default_account_sid_has_twilio_shape() -> None:
    sid = CallSettings(url=URL).account_sid
    assert sid == DEFAULT_ACCOUNT_SID
    assert sid.startswith("AC") and len(sid) == 34
    int(sid[2:], 16)


@pytest.mark.parametrize("direction", ["inbound", "outbound-api", "outbound-dial"])
def test_twilio_directions_are_accepted(direction: str) -> None:
    assert CallSettings(url=URL, direction=direction).direction == direction


def test_unknown_direction_is_refused() -> None:
    with pytest.raises(SettingsError, match="direction"):
        CallSettings(url=URL, direction="sideways")


def test_status_callback_events_are_twilio_events() -> None:
    events = frozenset({"initiated", "ringing", "answered", "completed"})
    assert CallSettings(url=URL, status_callback_events=events).status_callback_events == events


def test_unknown_status_callback_events_are_named() -> None:
    with pytest.raises(SettingsError, match="unknown status callback events: busy, queued"):
        CallSettings(url=URL, status_callback_events=frozenset({"queued", "completed", "busy"}))


@pytest.mark.parametrize(
    "caps", [{"max_documents": 0}, {"max_redirects_without_input": -1}], ids=str
)
def test_document_caps_must_be_positive(caps: dict[str, int]) -> None:
    with pytest.raises(SettingsError, match="caps"):
        CallSettings(url=URL, **caps)  # type: ignore[arg-type]


def test_no_redirects_without_input_is_a_valid_cap() -> None:
    settings = CallSettings(url=URL, max_documents=1, max_redirects_without_input=0)
    assert settings.max_redirects_without_input == 0


@pytest.mark.parametrize("limit", [0.0, -1.0])
def test_time_limit_must_be_positive(limit: float) -> None:
    with pytest.raises(SettingsError, match="time limit"):
        CallSettings(url=URL, time_limit=limit)


def test_settings_error_is_a_call_session_error_and_a_value_error() -> None:
    with pytest.raises(CallSessionError):
        CallSettings()
    with pytest.raises(ValueError):
        CallSettings()
