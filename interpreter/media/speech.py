"""Speech synthesis: espeak-ng through pyttsx3's binding (in forked servers) or the ``espeak-ng``
command, off the event loop, behind a disk cache keyed by engine, voice, language, rate and text.

libespeak-ng keeps one synthesizer per process, and what one render leaves in it changes later
renders (see :mod:`speech_worker`). So both engines render each prompt in a process that rendered
nothing before: the in-process engine in a fresh fork of an initialized server (a few of them at
once), the command engine in its own ``espeak-ng`` process. The same request gives the same audio.
"""

from __future__ import annotations

import atexit
import hashlib
import io
import json
import os
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import anyio

from callbox.interpreter.media.errors import MediaError
from callbox.interpreter.media.speech_worker import WorkerError, WorkerPool

TELEPHONY_RATE = 8000
DEFAULT_RATE = 160
"""espeak-ng words per minute; with its pauses at punctuation this speaks about 150 words/minute."""
MAX_WORKERS = 4
"""The in-process engine's fork servers, at most (each holds ~15 MB)."""
CACHE_VERSION = 2
"""Bumped when the audio of a request changes: 2, renders independent of what was rendered before."""


class SynthesisError(MediaError):
    """espeak-ng failed to render a text."""


@dataclass(frozen=True)
class SpeechRequest:
    """What to say and how: ``text`` is SSML markup for espeak-ng when ``ssml`` is true."""

    text: str
    voice: str
    language: str
    rate: int = DEFAULT_RATE
    ssml: bool = False

    def cache_key(self, engine: str) -> str:
        fields = {
            "v": CACHE_VERSION,
            "engine": engine,
            "voice": self.voice,
            "language": self.language,
            "rate": self.rate,
            "ssml": self.ssml,
            "text": self.text,
        }
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()


class SpeechEngine(Protocol):
    name: str

    async def render(self, request: SpeechRequest) -> tuple[bytes, int]:
        """16-bit mono PCM of the request and its sample rate."""
        ...


def _voice_name(table: dict[str, str], voice: str) -> str:
    """``language+variant`` (``en-gb+f3``) as the engine's ``identifier+variant`` (``gmw/en+f3``):
    espeak-ng finds voices by name or file, not by language."""
    language, plus, variant = voice.partition("+")
    identifier = table.get(language) or table.get(language.split("-", 1)[0]) or language
    return f"{identifier}{plus}{variant}"


def _add_voice(table: dict[str, str], language: str, identifier: str) -> None:
    if identifier.startswith("mb/"):  # mbrola voices need the separate mbrola program
        return
    table.setdefault(language.lower(), identifier)


def _to_telephony(pcm: bytes, rate: int) -> bytes:
    import audioop

    if rate == TELEPHONY_RATE:
        return pcm
    converted, _ = audioop.ratecv(pcm, 2, 1, rate, TELEPHONY_RATE, None)
    return converted


class LibraryEngine:
    """espeak-ng through pyttsx3's ctypes binding (``pyttsx3.drivers._espeak``), each render in a
    fresh fork of an initialized process (:mod:`speech_worker`), so that the same request gives
    the same audio whatever was rendered before.

    pyttsx3's own driver loop sleeps 10 ms per utterance, writes files and cannot pass SSML, so
    the servers drive the same binding directly in synchronous mode. One pool of servers, up to
    one per core (at most :data:`MAX_WORKERS`), serves the whole process; it starts with the first
    engine and stops at exit.
    """

    name = "pyttsx3-espeak-ng"
    _lock = threading.Lock()
    _pool: WorkerPool | None = None

    def __init__(self) -> None:
        self._workers = self._running_pool()
        self._limiter = anyio.CapacityLimiter(self._workers.size)
        self._voices: dict[str, str] = {}
        for language, identifier in self._workers.voices:
            _add_voice(self._voices, language, identifier)

    @classmethod
    def _running_pool(cls) -> WorkerPool:
        with cls._lock:
            if cls._pool is None:
                try:
                    cls._pool = WorkerPool(min(os.cpu_count() or 1, MAX_WORKERS))
                except (OSError, WorkerError) as exc:
                    raise SynthesisError(f"libespeak-ng failed to load ({exc})") from exc
                atexit.register(cls._pool.close)
            return cls._pool

    def _render_blocking(self, request: SpeechRequest) -> tuple[bytes, int]:
        voice = _voice_name(self._voices, request.voice)
        try:
            pcm = self._workers.render(request.text, voice, request.rate, request.ssml)
        except (OSError, WorkerError) as exc:
            raise SynthesisError(str(exc)) from exc
        return pcm, self._workers.sample_rate

    async def render(self, request: SpeechRequest) -> tuple[bytes, int]:
        return await anyio.to_thread.run_sync(self._render_blocking, request, limiter=self._limiter)


class CommandEngine:
    """The ``espeak-ng`` command, one process per render, several at once."""

    name = "espeak-ng-command"

    def __init__(self, executable: str, concurrency: int | None = None) -> None:
        self._executable = executable
        self._limiter = anyio.CapacityLimiter(concurrency or os.cpu_count() or 2)
        self._voices: dict[str, str] = {}
        listing = subprocess.run(
            [executable, "--voices"], capture_output=True, text=True, check=False, timeout=10
        ).stdout
        for line in listing.splitlines()[1:]:
            columns = line.split()
            if len(columns) >= 5:
                _add_voice(self._voices, columns[1], columns[4])

    async def render(self, request: SpeechRequest) -> tuple[bytes, int]:
        voice = _voice_name(self._voices, request.voice)
        command = [self._executable, "-v", voice, "-s", str(request.rate), "--stdout"]
        if request.ssml:
            command.append("-m")
        command += ["--", request.text]
        async with self._limiter:
            result = await anyio.run_process(command, check=False)
        if result.returncode != 0:
            raise SynthesisError(result.stderr.decode("utf-8", "replace").strip())
        return _read_streamed_wav(result.stdout)


def _read_streamed_wav(data: bytes) -> tuple[bytes, int]:
    """espeak-ng writes WAV to a pipe with a placeholder length: read the header, take the rest."""
    with wave.open(io.BytesIO(data)) as reader:
        rate = reader.getframerate()
        frames = reader.readframes(1 << 30)
    return frames, rate


class SpeechCache:
    """Rendered speech on disk as 8 kHz WAV files named by the request's sha256.

    Writes go to a temporary file in the same directory and are renamed into place, so two
    processes writing the same key never leave a torn file.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.wav"

    def get(self, key: str) -> bytes | None:
        try:
            with wave.open(str(self._path(key))) as reader:
                return bytes(reader.readframes(reader.getnframes()))
        except (FileNotFoundError, wave.Error, EOFError):
            return None

    def put(self, key: str, pcm: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".wav")
        try:
            with os.fdopen(fd, "wb") as raw, wave.open(raw, "wb") as writer:
                writer.setnchannels(1)
                writer.setsampwidth(2)
                writer.setframerate(TELEPHONY_RATE)
                writer.writeframes(pcm)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise


class Synthesizer:
    """Renders speech requests to 8 kHz PCM, through the cache when there is one."""

    def __init__(self, engine: SpeechEngine, cache: SpeechCache | None = None) -> None:
        self.engine = engine
        self.cache = cache
        self.hits = 0
        self.misses = 0

    async def render(self, request: SpeechRequest) -> bytes:
        key = request.cache_key(self.engine.name) if self.cache else ""
        if self.cache is not None:
            cached = self.cache.get(key)
            if cached is not None:
                self.hits += 1
                return cached
        self.misses += 1
        pcm, rate = await self.engine.render(request)
        pcm = _to_telephony(pcm, rate)
        if self.cache is not None:
            self.cache.put(key, pcm)
        return pcm


def choose_engine(
    which: Callable[[str], str | None], *, in_process: bool = True
) -> tuple[SpeechEngine | None, str | None]:
    """The best engine available: in-process (pyttsx3 binding), else the command; else None and
    the reason."""
    library_problem = "not tried"
    if in_process:
        try:
            return LibraryEngine(), None
        except Exception as exc:  # the library is absent or does not load
            library_problem = f"libespeak-ng unavailable ({exc})"
    executable = which("espeak-ng")
    if executable is not None:
        return CommandEngine(executable), None
    return None, f"espeak-ng is not installed ({library_problem}): speech durations are estimated"
