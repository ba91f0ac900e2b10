"""Benchmark of the media plane's speech: real-time factor, renders per second, whether a request
sounds the same after other renders, cache-hit cost, and how many calls can
synthesize at once while an event-loop heartbeat stays on time, beside the bare ``espeak-ng``
command measured in the same run. Prints figures and ratios; asserts nothing.

Run: .venv/bin/python bench/bench_media.py [--quick]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from callbox.interpreter.media.real import RealMediaPlane
from callbox.interpreter.media.speech import (
    CommandEngine,
    LibraryEngine,
    SpeechCache,
    SpeechEngine,
    SpeechRequest,
    Synthesizer,
)

PROMPT = (
    "Thank you for calling Acme support. For billing press one, for sales press two, "
    "or stay on the line for an agent {n}."
)
VOICE = "en-us+m3"
HEARTBEAT = 0.010
LATENESS_BUDGET = 0.050


def words(text: str) -> int:
    return len(text.split())


def bare_command(executable: str, runs: int) -> tuple[float, float]:
    """Seconds per ``espeak-ng -w`` render and seconds of audio it made."""
    audio = 0.0
    times = []
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory) / "out.wav"
        for n in range(runs):
            start = time.perf_counter()
            subprocess.run(
                [executable, "-v", "en-us+m3", "-s", "160", "-w", str(out), PROMPT.format(n=n)],
                check=True,
            )
            times.append(time.perf_counter() - start)
            with wave.open(str(out)) as reader:
                audio += reader.getnframes() / reader.getframerate()
    return statistics.median(times), audio / runs


PYTTSX3_SCRIPT = """
import contextlib, io, statistics, sys, tempfile, time, wave, pyttsx3
engine = pyttsx3.init("espeak")
engine.setProperty("rate", 160)
times, audio = [], 0.0
with tempfile.TemporaryDirectory() as d:
    for n in range(int(sys.argv[1])):
        path = f"{d}/{n}.wav"
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            engine.save_to_file(sys.argv[2].format(n=n), path)
            engine.runAndWait()
        times.append(time.perf_counter() - start)
        with wave.open(path) as r:
            audio += r.getnframes() / r.getframerate()
print(statistics.median(times), audio / len(times))
"""


def pyttsx3_api(runs: int) -> tuple[float, float] | None:
    """pyttsx3's own API (``save_to_file`` + ``runAndWait``), in a separate process."""
    result = subprocess.run(
        [sys.executable, "-c", PYTTSX3_SCRIPT, str(runs), PROMPT],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        seconds, audio = (float(x) for x in result.stdout.split()[-2:])
    except ValueError:
        return None
    return seconds, audio


async def engine_rtf(engine: SpeechEngine, runs: int, offset: int) -> tuple[float, float]:
    """Seconds per render (median) and seconds of audio per render, without a cache."""
    times = []
    audio = 0.0
    for n in range(runs):
        start = time.perf_counter()
        pcm, rate = await engine.render(SpeechRequest(PROMPT.format(n=offset + n), VOICE, "en-US"))
        times.append(time.perf_counter() - start)
        audio += len(pcm) / 2 / rate
    return statistics.median(times), audio / runs


OTHERS = [
    SpeechRequest("Zahlen 1234, bitte warten Sie.", "de+m3", "de-DE"),
    SpeechRequest("Bonjour, merci d'avoir appelé.", "fr-fr+f3", "fr-FR"),
    SpeechRequest("Very fast words.", "en-us+m3", "en-US", rate=450),
    SpeechRequest('<prosody rate="x-slow" pitch="x-high">unclosed', "en-us+f3", "en-US", ssml=True),
]


async def independence(engine: SpeechEngine) -> tuple[float, float, bool]:
    """The prompt's duration rendered first, its largest difference after each of OTHERS (s),
    and whether every render gave the same bytes."""
    request = SpeechRequest(PROMPT.format(n="again"), VOICE, "en-US")
    first, rate = await engine.render(request)
    worst = 0.0
    same = True
    for other in OTHERS:
        await engine.render(other)
        again, _ = await engine.render(request)
        worst = max(worst, abs(len(again) - len(first)) / 2 / rate)
        same = same and again == first
    return len(first) / 2 / rate, worst, same


async def cache_hit_cost(cache_dir: Path, hits: int) -> tuple[float, float]:
    """Microseconds per cache hit: the synthesizer alone, and a whole ``plane.speech`` call."""
    synth = Synthesizer(LibraryEngine(), SpeechCache(cache_dir))
    request = SpeechRequest(PROMPT.format(n="cached"), VOICE, "en-US")
    await synth.render(request)
    start = time.perf_counter()
    for _ in range(hits):
        await synth.render(request)
    synth_us = (time.perf_counter() - start) / hits * 1e6
    plane = RealMediaPlane(cache_dir / "data", cache_dir)
    text = PROMPT.format(n="cached plane")
    await plane.speech(text)
    start = time.perf_counter()
    for _ in range(hits):
        await plane.speech(text)
    plane_us = (time.perf_counter() - start) / hits * 1e6
    return synth_us, plane_us


async def concurrent(
    engine: SpeechEngine, calls: int, seconds: float, offset: int
) -> tuple[float, float, float, float]:
    """``calls`` tasks render distinct prompts back to back for ``seconds`` while a 10 ms
    heartbeat runs. Returns (max heartbeat lateness s, p99 lateness s, audio seconds made per
    wall second, median wait for one prompt s)."""
    lateness: list[float] = []
    waits: list[float] = []
    audio = 0.0
    done = False

    async def heartbeat() -> None:
        while not done:
            start = time.perf_counter()
            await anyio.sleep(HEARTBEAT)
            lateness.append(time.perf_counter() - start - HEARTBEAT)

    async def call(index: int) -> None:
        nonlocal audio
        n = 0
        while not done:
            text = PROMPT.format(n=f"{offset}-{index}-{n}")
            asked = time.perf_counter()
            pcm, rate = await engine.render(SpeechRequest(text, VOICE, "en-US"))
            waits.append(time.perf_counter() - asked)
            audio += len(pcm) / 2 / rate
            n += 1

    async with anyio.create_task_group() as group:
        group.start_soon(heartbeat)
        start = time.perf_counter()
        for index in range(calls):
            group.start_soon(call, index)
        await anyio.sleep(seconds)
        done = True
    wall = time.perf_counter() - start
    lateness.sort()
    p99 = lateness[min(len(lateness) - 1, int(len(lateness) * 0.99))] if lateness else 0.0
    wait = statistics.median(waits) if waits else float("inf")
    return (max(lateness) if lateness else 0.0), p99, audio / wall, wait


async def main(quick: bool) -> None:
    runs = 10 if quick else 30
    window = 0.5 if quick else 1.0
    executable = shutil.which("espeak-ng")
    if executable is None:
        print("espeak-ng is not installed: nothing to measure")
        return
    print(
        f"prompt: {words(PROMPT.format(n=0))} words; heartbeat {HEARTBEAT * 1000:.0f} ms, budget {LATENESS_BUDGET * 1000:.0f} ms"
    )

    bare_s, bare_audio = bare_command(executable, runs)
    print(
        f"\nbare `espeak-ng -w`:        {bare_s * 1000:7.2f} ms/render  {bare_audio:.2f} s audio  RTF {bare_audio / bare_s:7.0f}x"
    )

    api = pyttsx3_api(runs)
    if api is not None:
        print(
            f"pyttsx3 API (save_to_file):   {api[0] * 1000:7.2f} ms/render  {api[1]:.2f} s audio"
            f"  RTF {api[1] / api[0]:7.0f}x"
        )
    library = LibraryEngine()
    command = CommandEngine(executable)
    lib_s, lib_audio = await engine_rtf(library, runs, 0)
    cmd_s, cmd_audio = await engine_rtf(command, runs, 1000)
    print(
        f"library (pyttsx3 binding, fork):{lib_s * 1000:7.2f} ms/render  {lib_audio:.2f} s audio  RTF {lib_audio / lib_s:7.0f}x  ({bare_s / lib_s:.1f}x faster than bare command)"
    )
    print(
        f"command engine (async):     {cmd_s * 1000:7.2f} ms/render  {cmd_audio:.2f} s audio  RTF {cmd_audio / cmd_s:7.0f}x  ({bare_s / cmd_s:.2f}x the bare command's speed)"
    )
    print(
        f"renders per second, one at a time: library {1 / lib_s:.0f}, command {1 / cmd_s:.0f}, bare command {1 / bare_s:.0f}"
    )

    print("\nthe same request after other voices, languages, rates and SSML:")
    for name, engine in (("library", library), ("command", command)):
        seconds, worst, same = await independence(engine)
        print(
            f"  {name:10}  {seconds:.4f} s first, at most {worst * 1000:.1f} ms different after;"
            f" same bytes: {'PASS' if same else 'FAIL'}"
        )

    with tempfile.TemporaryDirectory() as directory:
        synth_us, plane_us = await cache_hit_cost(Path(directory), 200 if quick else 1000)
    print(
        f"\ncache hit: synthesizer {synth_us:.0f} µs, whole plane.speech() {plane_us:.0f} µs"
        f"  ({lib_s * 1e6 / plane_us:.0f}x cheaper than rendering with the library)"
    )

    for name, engine in (("library", library), ("command", command)):
        print(f"\nconcurrent calls, {name} engine (renders back to back for {window} s):")
        print("  calls  max late ms  p99 late ms  audio s per wall s  median prompt wait ms  ok")
        best = 0
        for calls in (1, 4, 16, 64, 256) if not quick else (1, 16, 64):
            worst, p99, rate, wait = await concurrent(engine, calls, window, calls * 10_000)
            ok = worst < LATENESS_BUDGET
            best = calls if ok else best
            print(
                f"  {calls:5d}  {worst * 1000:11.1f}  {p99 * 1000:11.1f}  {rate:18.0f}"
                f"  {wait * 1000:21.1f}  {'yes' if ok else 'NO'}"
            )
        print(
            f"  -> up to {best} concurrent synthesizing calls keep the heartbeat under {LATENESS_BUDGET * 1000:.0f} ms;"
            f" throughput covers ~{rate:.0f} calls' prompts in real time"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs, shorter windows")
    anyio.run(main, parser.parse_args().quick)
