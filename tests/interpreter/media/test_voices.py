"""TwiML voices map onto espeak-ng voices of the right language and gender."""

from __future__ import annotations

import pytest

from callbox.interpreter.media.voices import resolve


@pytest.mark.parametrize(
    ("voice", "language", "espeak", "gender"),
    [
        ("man", "en-US", "en-us+m3", "M"),
        ("woman", "en-GB", "en-gb+f3", "F"),
        ("alice", "es-MX", "es-419+f3", "F"),
        ("man", "fr-CA", "fr-fr+m3", "M"),
        ("Polly.Joanna", "de-DE", "en-us+f3", "F"),
        ("Polly.Brian-Neural", "en-US", "en-gb+m3", "M"),
        ("Polly.Celine", "en-US", "fr-fr+f3", "F"),
        ("Google.en-US-Standard-B", "en-US", "en-us+m3", "M"),
        ("Google.de-DE-Wavenet-A", "en-US", "de+f3", "F"),
        ("man", "pt-BR", "pt-br+m3", "M"),
        ("woman", "zh-CN", "cmn+f3", "F"),
    ],
)
def test_voice_and_language_pick_an_espeak_voice(
    voice: str, language: str, espeak: str, gender: str
) -> None:
    resolved = resolve(voice, language)
    assert (resolved.name, resolved.gender) == (espeak, gender)
    assert not resolved.warnings


def test_basic_voices_do_not_take_ssml_but_polly_does() -> None:
    assert not resolve("man").ssml and not resolve("alice").ssml
    assert resolve("Polly.Amy").ssml and resolve("Google.en-GB-Neural2-A").ssml


def test_unknown_language_falls_back_to_english_with_a_warning() -> None:
    resolved = resolve("woman", "xx-YY")
    assert resolved.name == "en-us+f3"
    assert "xx-YY" in resolved.warnings[0]


def test_unknown_polly_voice_warns() -> None:
    assert resolve("Polly.Nobody", "en-US").warnings
