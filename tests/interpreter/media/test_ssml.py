"""TwiML SSML translated for espeak-ng: what is kept, what is rewritten, what only warns."""

from __future__ import annotations

import pytest

from callbox.interpreter.media.ssml import translate


@pytest.mark.parametrize(
    ("markup", "spoken"),
    [
        ('<say-as interpret-as="digits">4021</say-as>', "4 0 2 1"),
        ('<say-as interpret-as="characters">ABC</say-as>', "A B C"),
        (
            '<say-as interpret-as="telephone">+1 (415) 555-0100</say-as>',
            "plus 1, 4 1 5, 5 5 5, 0 1 0 0",
        ),
        ('<say-as interpret-as="date" format="mdy">3/5/2024</say-as>', "March 5th, 2024"),
        ('<say-as interpret-as="date" format="yyyymmdd">20241122</say-as>', "November 22nd, 2024"),
        ('<say-as interpret-as="ordinal">21</say-as>', "21st"),
        ('<sub alias="World Wide Web">WWW</sub>', "World Wide Web"),
    ],
)
def test_rewritten_elements_say_what_a_listener_expects(markup: str, spoken: str) -> None:
    result = translate(markup)
    assert result.text == spoken
    assert not result.warnings


def test_break_and_prosody_pass_through_to_espeak() -> None:
    result = translate(
        'Wait <break time="750ms"/><prosody rate="slow" pitch="+10%">please</prosody>'
    )
    assert '<break time="750ms"/>' in result.markup
    assert '<prosody pitch="+10%" rate="slow">please</prosody>' in result.markup
    assert result.markup.startswith("<speak>") and result.markup.endswith("</speak>")


def test_break_strength_becomes_a_time() -> None:
    assert 'time="1000ms"' in translate('a <break strength="x-strong"/> b').markup


def test_lang_switches_the_espeak_voice_language() -> None:
    result = translate('Hello <lang xml:lang="fr-FR">bonjour</lang>')
    assert '<voice xml:lang="fr-FR">bonjour</voice>' in result.markup


def test_unsupported_elements_are_spoken_as_text_with_a_warning() -> None:
    result = translate('<phoneme alphabet="ipa" ph="pɪˈkɑːn">pecan</phoneme> pie')
    assert result.text == "pecan pie"
    assert result.warnings == ["SSML <phoneme> spoken as text"]


def test_invalid_prosody_values_are_dropped_with_a_warning() -> None:
    result = translate('<prosody rate="warp-speed">go</prosody>')
    assert "warp-speed" not in result.markup
    assert any("warp-speed" in w for w in result.warnings)


def test_malformed_markup_is_spoken_as_text() -> None:
    result = translate("Hello <break time='1s'> world")
    assert result.text == "Hello world"
    assert result.warnings and "could not be parsed" in result.warnings[0]


def test_text_is_escaped_for_espeak() -> None:
    assert "AT&amp;T" in translate("AT&amp;T &lt;rocks&gt;").markup


def test_slow_speech_is_estimated_longer() -> None:
    text = "one two three four five six"
    assert (
        translate(f'<prosody rate="50%">{text}</prosody>').estimated_seconds
        > translate(text).estimated_seconds * 1.9
    )


@pytest.mark.parametrize(
    ("kind", "text"),
    [("ordinal", "9" * 5000), ('date" format="ymd', "9" * 5000 + "-01-01")],
)
def test_numbers_too_long_to_read_are_spoken_as_text_with_a_warning(kind: str, text: str) -> None:
    result = translate(f'<say-as interpret-as="{kind}">{text}</say-as>')
    assert result.text == text
    assert len(result.warnings) == 1
