"""The same speech request gives the same audio, whatever the process rendered before: a call's
timeline (its prompts' durations on the virtual clock) is the same in a fresh process and in one
that already spoke other voices, languages, rates and SSML, with a cold or a warm cache."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from callbox.interpreter.media.real import RealMediaPlane
from callbox.interpreter.media.speech import (
    CommandEngine,
    LibraryEngine,
    SpeechEngine,
    SpeechRequest,
)
from callbox.interpreter.media.speech_worker import WorkerError, WorkerPool

pytestmark = [pytest.mark.anyio, pytest.mark.audio]

TARGETS = [
    SpeechRequest("Thank you for calling. Press one for sales.", "en-us+m3", "en-US"),
    SpeechRequest("Your balance is 1,250 dollars.", "en-gb+f3", "en-GB", rate=140),
    SpeechRequest(
        '<speak>Hello <break time="300ms"/> and <prosody rate="slow">welcome</prosody>.</speak>',
        "en-us+f3",
        "en-US",
        ssml=True,
    ),
]
OTHERS = [
    # a longer clause with numbers leaves values in libespeak-ng's phoneme list (1.51)
    SpeechRequest("Zahlen 1234, bitte warten Sie.", "de+m3", "de-DE"),
    SpeechRequest("Bonjour, merci d'avoir appelé notre service client.", "fr-fr+f3", "fr-FR"),
    SpeechRequest("Very slow words.", "en-gb+f3", "en-GB", rate=80),
    SpeechRequest(
        "Very fast words, spoken as fast as espeak-ng can.", "en-us+m3", "en-US", rate=450
    ),
    SpeechRequest(
        '<speak><prosody rate="x-slow" pitch="x-high" volume="x-loud">unclosed prosody '
        '<voice gender="female">and a voice <say-as interpret-as="characters">ABC',
        "en-us+f3",
        "en-US",
        ssml=True,
    ),
    SpeechRequest("A long text that goes on. " * 60, "en-us+m3", "en-US"),
    SpeechRequest("Hola, gracias por llamar.", "es+m3", "es-ES"),
]


def _engines(espeak_ng: str) -> list[SpeechEngine]:
    return [LibraryEngine(), CommandEngine(espeak_ng)]


async def test_a_request_sounds_the_same_after_other_renders(espeak_ng: str) -> None:
    for engine in _engines(espeak_ng):
        before = [await engine.render(request) for request in TARGETS]
        for other in OTHERS:
            await engine.render(other)
            for request, (pcm, rate) in zip(TARGETS, before, strict=True):
                again, again_rate = await engine.render(request)
                where = f"{engine.name}: {request.text[:30]!r} after {other.text[:30]!r}"
                assert again_rate == rate, where
                assert len(again) == len(pcm), where  # the same duration, to the sample
                assert again == pcm, where


async def test_both_engines_give_the_same_audio(espeak_ng: str) -> None:
    library, command = _engines(espeak_ng)
    for other in OTHERS[:2]:
        await library.render(other)
    for request in TARGETS:
        assert await library.render(request) == await command.render(request), request.text


async def test_a_prompt_lasts_the_same_with_a_cold_or_a_warm_cache(
    tmp_path: Path, espeak_ng: str
) -> None:
    text = "Please hold while we connect you. Your call is number 1234 in the queue."
    warm = RealMediaPlane(tmp_path / "a", tmp_path / "cache-a")
    first = await warm.speech(text)
    cold = RealMediaPlane(tmp_path / "b", tmp_path / "cache-b")
    for other in ("Zahlen 1234, bitte warten Sie.", "Bonjour, merci d'avoir appelé."):
        await cold.speech(other, language="de-DE" if other.startswith("Z") else "fr-FR")
    cached = await warm.speech(text)
    fresh = await cold.speech(text)
    assert warm.synthesizer is not None and warm.synthesizer.hits == 1
    assert cold.synthesizer is not None and cold.synthesizer.hits == 0
    assert first.audio is not None and cached.audio is not None and fresh.audio is not None
    assert first.duration == cached.duration == fresh.duration
    assert first.audio.raw_data == cached.audio.raw_data == fresh.audio.raw_data


def test_a_speech_server_that_dies_is_replaced(espeak_ng: str) -> None:
    pool = WorkerPool(1)
    try:
        first = pool.render("Please hold.", "gmw/en-US+m3", 160, False)
        for pid in pool.pids:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        assert pool.render("Please hold.", "gmw/en-US+m3", 160, False) == first
        with pytest.raises(WorkerError, match="no voice"):
            pool.render("Please hold.", "xx-nonexistent", 160, False)
        assert pool.render("Please hold.", "gmw/en-US+m3", 160, False) == first
    finally:
        pool.close()
