"""X-Twilio-Signature: Twilio's published vectors and agreement with the official validator."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from callbox.interpreter.signature import is_valid, sign

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
PUBLISHED = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="


def test_sign_matches_twilios_published_test_vector() -> None:
    assert sign(TOKEN, URL, PARAMS) == PUBLISHED


def test_sign_matches_the_sha256_shared_key_vector() -> None:
    assert sign(TOKEN, URL, PARAMS, "sha256") == "Rmm4Vzj+Ky7JGoWXMCsZDZuHDszLr9xvdbvitrDr4/M="


@pytest.mark.parametrize(
    "url", [URL, "https://mycompany.com:443/myapp.php?foo=1&bar=2"], ids=["no-port", "port"]
)
def test_is_valid_accepts_the_url_with_and_without_the_default_port(url: str) -> None:
    assert is_valid(TOKEN, url, PARAMS, PUBLISHED)


def test_is_valid_rejects_a_changed_parameter_url_or_token() -> None:
    assert not is_valid(TOKEN, URL, {**PARAMS, "Digits": "1235"}, PUBLISHED)
    assert not is_valid(TOKEN, URL.replace("foo=1", "foo=2"), PARAMS, PUBLISHED)
    assert not is_valid("54321", URL, PARAMS, PUBLISHED)


def test_is_valid_checks_the_body_hash_of_json_requests() -> None:
    body = '{"property": "value", "boolean": true}'
    digest = "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
    url = f"https://mycompany.com/myapp.php?bodySHA256={digest}"
    assert is_valid(TOKEN, url, body, "y77kIzt2vzLz71DgmJGsen2scGs=")
    assert not is_valid(TOKEN, url, body + " ", "y77kIzt2vzLz71DgmJGsen2scGs=")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("http://127.0.0.1:8000/voice", {"Digits": "1", "From": "+1555"}),
        ("http://localhost/voice?menu=main&A=%C3%A9", {}),
        ("https://app.example/ivr", {"StatusCallbackEvent": ["ringing", "answered", "ringing"]}),
        ("https://app.example/ivr", {"SpeechResult": "Grüße 東京", "Empty": ""}),
    ],
    ids=["post", "get-query", "repeated", "unicode"],
)
def test_the_official_validator_accepts_what_sign_produces(
    url: str, params: dict[str, str | list[str]]
) -> None:
    signature = sign("tok-en", url, params)

    class MultiDict(dict[str, list[str]]):
        def getall(self, name: str) -> list[str]:
            return self[name]

    form = MultiDict({k: [v] if isinstance(v, str) else v for k, v in params.items()})
    assert RequestValidator("tok-en").validate(url, form, signature)
    assert is_valid("tok-en", url, params, signature)


def test_repeated_values_are_signed_once_each_in_sorted_order() -> None:
    assert sign(TOKEN, URL, {"E": ["b", "a", "b"]}) == sign(TOKEN, URL + "Ea" + "Eb", {})
