"""The speech cache: keyed by everything that changes the audio, safe with concurrent writers."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from callbox.interpreter.media.speech import SpeechCache, SpeechRequest, Synthesizer

pytestmark = pytest.mark.anyio


class CountingEngine:
    """A stand-in engine: a tone-free PCM whose length follows the text; counts renders."""

    name = "counting"

    def __init__(self) -> None:
        self.renders = 0

    async def render(self, request: SpeechRequest) -> tuple[bytes, int]:
        self.renders += 1
        return b"\x01\x00" * 800 * len(request.text), 16000


def test_key_changes_with_each_thing_that_changes_the_audio() -> None:
    base = SpeechRequest("Hello", "en-us+m3", "en-US")
    variants = [
        SpeechRequest("Hello!", "en-us+m3", "en-US"),
        SpeechRequest("Hello", "en-us+f3", "en-US"),
        SpeechRequest("Hello", "en-us+m3", "en-GB"),
        SpeechRequest("Hello", "en-us+m3", "en-US", rate=120),
        SpeechRequest("Hello", "en-us+m3", "en-US", ssml=True),
    ]
    keys = {base.cache_key("a"), base.cache_key("b")} | {v.cache_key("a") for v in variants}
    assert len(keys) == 7


async def test_a_repeated_request_is_rendered_once(tmp_path: Path) -> None:
    engine = CountingEngine()
    synth = Synthesizer(engine, SpeechCache(tmp_path))
    first = await synth.render(SpeechRequest("abc", "v", "en-US"))
    second = await synth.render(SpeechRequest("abc", "v", "en-US"))
    assert engine.renders == 1 and synth.hits == 1
    assert first == second
    assert len(first) == 2 * 400 * 3  # 16 kHz resampled to 8 kHz


def test_concurrent_writers_of_one_key_leave_a_whole_file(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    pcm = bytes(range(256)) * 64

    def write() -> None:
        for _ in range(20):
            cache.put("ab" + "0" * 62, pcm)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.get("ab" + "0" * 62) == pcm
    assert not [p for p in tmp_path.rglob(".tmp-*")]


def test_a_corrupt_entry_is_a_miss(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path)
    cache.put("cd" + "1" * 62, b"\x00\x00" * 10)
    (tmp_path / "cd" / ("cd" + "1" * 62 + ".wav")).write_bytes(b"garbage")
    assert cache.get("cd" + "1" * 62) is None
