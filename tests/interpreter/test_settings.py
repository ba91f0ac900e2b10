"""Settings come from the option, else the environment, else a default (XDG directories)."""

from __future__ import annotations

from pathlib import Path

import pytest

from callbox.interpreter import settings


def test_data_dir_prefers_the_option_then_the_variable_then_xdg_then_home() -> None:
    home = Path.home()
    assert settings.data_dir("/srv/cf", {"CALLBOX_DATA_DIR": "/env"}) == Path("/srv/cf")
    assert settings.data_dir(None, {"CALLBOX_DATA_DIR": "/env"}) == Path("/env")
    assert settings.data_dir(None, {"XDG_DATA_HOME": "/xdg"}) == Path("/xdg/callbox")
    assert settings.data_dir(None, {}) == home / ".local/share/callbox"
    # the XDG rule: a relative XDG_DATA_HOME is ignored
    assert settings.data_dir(None, {"XDG_DATA_HOME": "rel"}) == home / ".local/share/callbox"
    assert settings.data_dir("~/calls", {}) == home / "calls"


def test_cache_dir_prefers_the_variable_then_xdg_then_home() -> None:
    assert settings.cache_dir(None, {"CALLBOX_CACHE_DIR": "/c"}) == Path("/c")
    assert settings.cache_dir(None, {"XDG_CACHE_HOME": "/x"}) == Path("/x/callbox")
    assert settings.cache_dir(None, {"CALLBOX_CACHE_DIR": " "}) == Path.home() / ".cache/callbox"


def test_public_url_defaults_to_the_serve_address_without_a_trailing_slash() -> None:
    assert settings.public_url(None, {}) == "http://127.0.0.1:5000"
    assert settings.public_url(None, {"CALLBOX_PUBLIC_URL": "https://cf.example/"}) == (
        "https://cf.example"
    )
    assert settings.public_url("http://h:8/base/", {"CALLBOX_PUBLIC_URL": "https://x"}) == (
        "http://h:8/base"
    )


@pytest.mark.parametrize(
    "url", ["ftp://h", "/relative", "http://", "http://h/?q=1", "http://h#f", "http://[::1"]
)
def test_an_unusable_public_url_is_refused(url: str) -> None:
    with pytest.raises(settings.SettingsValueError):
        settings.public_url(url, {})


def test_resolve_places_recordings_and_speech_under_their_directories() -> None:
    resolved = settings.resolve(
        data_dir_option="/d",
        environ={"CALLBOX_CACHE_DIR": "/c", "CALLBOX_PUBLIC_URL": "http://p"},
    )
    assert resolved.recordings_dir == Path("/d/recordings")
    assert resolved.speech_cache_dir == Path("/c/speech")
    assert resolved.public_url == "http://p"
