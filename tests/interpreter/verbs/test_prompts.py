"""<Say>, <Play> and <Pause>: what the caller hears, for how long, and what is reported."""

from __future__ import annotations

from typing import Any

from callbox.interpreter.outcomes import Continue
from callbox.markup.model import Pause, Play, Say


def test_say_speaks_its_text_with_voice_and_language(call: Any, run: Any) -> None:
    outcome = run(Say(text="Hello there", voice="woman", language="en-GB"), call)
    assert outcome == Continue()
    assert call.heard_texts("say") == ["Hello there"]
    assert call.media.spoken[0]["voice"] == "woman"
    assert call.media.spoken[0]["language"] == "en-GB"
    assert call.clock.now() == 2.0


def test_say_loop_repeats_the_text(call: Any, run: Any) -> None:
    run(Say(text="Welcome", loop=3), call)
    assert call.heard_texts() == ["Welcome"] * 3
    assert call.clock.now() == 3.0


def test_say_loop_zero_repeats_until_the_cap_of_1000(call: Any, run: Any) -> None:
    run(Say(text="Hold", loop=0), call)
    assert len(call.heard) == 1000


def test_empty_say_is_reported_and_says_nothing(call: Any, run: Any) -> None:
    run(Say(text="  "), call)
    assert call.heard == []
    assert call.codes() == ["13520"]


def test_say_passes_ssml_children_as_markup(call: Any, run: Any, document: Any) -> None:
    (say,) = document(
        '<Response><Say voice="Polly.Joanna">Call <say-as interpret-as="telephone">5551234'
        '</say-as><break time="1s"/> now &amp; later</Say></Response>'
    )
    run(say, call)
    ssml = call.media.spoken[0]["ssml"]
    assert '<say-as interpret-as="telephone">5551234</say-as>' in ssml
    assert '<break time="1s"/>' in ssml
    assert "&amp; later" in ssml


def test_plain_say_sends_no_ssml(call: Any, run: Any) -> None:
    run(Say(text="Plain", children=("Plain",)), call)
    assert call.media.spoken[0]["ssml"] is None


def test_play_fetches_decodes_and_plays_the_file(call: Any, run: Any) -> None:
    call.serve_file("https://cdn.example.com/hello.wav", b"3.5")
    run(Play(url="https://cdn.example.com/hello.wav", loop=2), call)
    assert call.heard_texts("play") == ["https://cdn.example.com/hello.wav"] * 2
    assert call.clock.now() == 7.0
    assert call.fetched == ["https://cdn.example.com/hello.wav"]


def test_play_resolves_a_relative_url_against_the_document(call: Any, run: Any) -> None:
    call.serve_file("https://app.example.com/audio/menu.mp3", b"1", "audio/mpeg")
    run(Play(url="audio/menu.mp3"), call)
    assert call.heard_texts("play") == ["https://app.example.com/audio/menu.mp3"]


def test_play_fetch_failure_logs_11200_and_skips(call: Any, run: Any) -> None:
    outcome = run(Play(url="https://cdn.example.com/missing.wav"), call)
    assert outcome == Continue()
    assert call.heard == []
    assert call.codes() == ["11200"]


def test_play_of_a_non_audio_file_is_13420(call: Any, run: Any) -> None:
    call.serve_file("https://cdn.example.com/page", b"<html/>", "text/html")
    run(Play(url="https://cdn.example.com/page"), call)
    assert call.heard == [] and call.codes() == ["13420"]


def test_play_of_undecodable_audio_is_13420(call: Any, run: Any) -> None:
    call.serve_file("https://cdn.example.com/broken.wav", b"garbage")
    run(Play(url="https://cdn.example.com/broken.wav"), call)
    assert call.heard == [] and call.codes() == ["13420"]


def test_play_digits_plays_tones_with_w_pauses(call: Any, run: Any) -> None:
    run(Play(digits="12w3"), call)
    assert call.heard_texts("tones") == ["12w3"]
    assert call.clock.now() == 0.2 * 3 + 0.5
    assert call.fetched == []


def test_play_invalid_digits_is_13430(call: Any, run: Any) -> None:
    run(Play(digits="12x"), call)
    assert call.heard == [] and call.codes() == ["13430"]


def test_pause_advances_the_clock_without_waiting(call: Any, run: Any) -> None:
    run(Pause(length=3600), call)
    assert call.clock.now() == 3600
    assert [h.kind for h in call.heard] == ["pause"]


def test_ssml_markup_keeps_wire_names_of_attributes(call: Any, run: Any, document: Any) -> None:
    (say,) = document(
        '<Response><Say voice="Polly.Joanna"><lang xml:lang="fr-FR">Bonjour</lang>'
        '<amazon:effect name="whispered">secret</amazon:effect></Say></Response>'
    )
    run(say, call)
    ssml = call.media.spoken[0]["ssml"]
    assert '<lang xml:lang="fr-FR">Bonjour</lang>' in ssml
    assert '<amazon:effect name="whispered">secret</amazon:effect>' in ssml
