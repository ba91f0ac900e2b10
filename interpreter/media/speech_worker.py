"""libespeak-ng behind a fork server: every render runs in a fresh fork of a process that has
initialized the library and rendered nothing, so no prompt hears what an earlier one left behind.

libespeak-ng keeps its synthesizer's state in process globals that no API call resets, and some
of it changes the audio of later renders (1.51, Debian 12's version):

- ``MakePhonemeList`` does not set ``prepause`` and ``newword`` of the two pauses that end each
  clause, so they keep the values a longer clause (of any earlier text) left at those places in
  the global ``phoneme_list``: up to ~0.2 s more pause per clause (fixed upstream in 1.52);
- ``AdvanceParameters`` keeps the pitch flutter's position in a function-local static that even
  ``espeak_Initialize`` leaves alone (upstream too): the pitch, and so the length to the sample
  and every byte, depend on how much was spoken before;
- the wave generator's pitch and amplitude carry over, and klatt voices and breath draw noise
  from libc's ``rand()``.

A fork copies the pristine state, so each prompt is rendered as by a fresh process (and as by the
``espeak-ng`` command): same request, same bytes.

This file runs as a script (``python speech_worker.py``, so it imports nothing of callbox) and
speaks on its standard streams: first a JSON line ``{"rate": Hz, "voices": [[language,
identifier], ...]}`` (or ``{"error": ...}``); then, for each JSON request line ``{"text",
"voice", "rate", "ssml"}``, a JSON line ``{"pcm": N}`` followed by N bytes of 16-bit mono PCM, or
``{"error": ...}``. :class:`SpeechWorker` is the other end.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import json
import os
import subprocess
import sys
import threading
import warnings
from typing import IO, Any

_chunks: list[bytes] = []


class WorkerError(RuntimeError):
    """The worker could not start, or could not render a request."""


# --- the server (this file run as a script) ---------------------------------------------------


def _on_audio(wav: Any, samples: int, events: Any) -> int:
    if samples > 0:
        _chunks.append(ctypes.string_at(wav, samples * 2))
    return 0


def _render(espeak: Any, request: dict[str, Any]) -> bytes:
    """One render, in the forked child: the response's bytes."""
    if espeak.SetVoiceByName(str(request["voice"]).encode()) != 0:
        return _line({"error": f"espeak-ng has no voice {request['voice']!r}"})
    espeak.SetParameter(espeak.RATE, int(request["rate"]), 0)
    flags = espeak.CHARS_UTF8 | espeak.ENDPAUSE | (espeak.SSML if request["ssml"] else 0)
    espeak.Synth(str(request["text"]).encode("utf-8"), flags=flags)
    pcm = b"".join(_chunks)
    return _line({"pcm": len(pcm)}) + pcm


def _line(message: dict[str, Any]) -> bytes:
    return json.dumps(message).encode() + b"\n"


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _in_fork(espeak: Any, request: dict[str, Any]) -> bytes:
    """Render in a forked child and return its response, checked whole."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, write, leave without running any cleanup
        code = 1
        try:
            os.close(read_end)
            _write_all(write_end, _render(espeak, request))
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    parts = []
    with os.fdopen(read_end, "rb") as reader:
        while part := reader.read(1 << 16):
            parts.append(part)
    _, status = os.waitpid(pid, 0)
    data = b"".join(parts)
    header, _, pcm = data.partition(b"\n")
    try:
        complete = os.waitstatus_to_exitcode(status) == 0 and (
            "error" in json.loads(header) or json.loads(header)["pcm"] == len(pcm)
        )
    except (ValueError, KeyError, TypeError):
        complete = False
    if not complete:
        return _line(
            {"error": f"espeak-ng failed (exit status {os.waitstatus_to_exitcode(status)})"}
        )
    return data


def _voices(espeak: Any) -> list[list[str]]:
    found = []
    for voice in espeak.ListVoices(None):
        languages = bytes(voice.languages or b"")
        if len(languages) > 1:  # a priority byte, then the first language
            found.append([languages[1:].decode(), voice.identifier.decode()])
    return found


def serve(requests: IO[bytes], responses: IO[bytes]) -> None:
    """Initialize libespeak-ng once, then render each request in a fork of this state."""
    # espeak_Initialize starts an idle C thread (its asynchronous queue, unused in synchronous
    # mode); the children never touch it.
    warnings.filterwarnings("ignore", message=".*multi-threaded.*fork", category=DeprecationWarning)
    try:
        from pyttsx3.drivers import _espeak as espeak

        rate = espeak.Initialize(espeak.AUDIO_OUTPUT_SYNCHRONOUS, 0)
        if rate <= 0:
            raise RuntimeError("libespeak-ng failed to initialize")
        espeak.SetSynthCallback(_on_audio)
        hello = {"rate": rate, "voices": _voices(espeak)}
    except Exception as exc:  # the library is absent or does not load
        responses.write(_line({"error": f"{type(exc).__name__}: {exc}"}))
        responses.flush()
        return
    responses.write(_line(hello))
    responses.flush()
    for line in requests:
        responses.write(_in_fork(espeak, json.loads(line)))
        responses.flush()


# --- the client ---------------------------------------------------------------------------------


def _environment() -> dict[str, str]:
    """This process's environment, with the folder this process imports pyttsx3 from first on
    the server's path (it may come from a path added at run time)."""
    environment = dict(os.environ)
    spec = importlib.util.find_spec("pyttsx3")
    if spec is not None and spec.origin:
        folder = os.path.dirname(os.path.dirname(spec.origin))
        paths = [folder, *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
        environment["PYTHONPATH"] = os.pathsep.join(paths)
    return environment


class SpeechWorker:
    """A running fork server: :meth:`render` blocks until its render is done; one at a time."""

    def __init__(self, executable: str = sys.executable) -> None:
        self._lock = threading.Lock()
        self._process = subprocess.Popen(
            [executable, os.path.abspath(__file__)],
            env=_environment(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._requests: IO[bytes] = self._process.stdin
        self._responses: IO[bytes] = self._process.stdout
        hello = self._read_header()
        if "error" in hello:
            self.close()
            raise WorkerError(str(hello["error"]))
        self.sample_rate = int(hello["rate"])
        self.voices = [(str(language), str(identifier)) for language, identifier in hello["voices"]]

    def _read_header(self) -> dict[str, Any]:
        line = self._responses.readline()
        if not line:
            raise WorkerError("the speech worker exited")
        message: dict[str, Any] = json.loads(line)
        return message

    def render(self, text: str, voice: str, rate: int, ssml: bool) -> bytes:
        """16-bit mono PCM at :attr:`sample_rate`."""
        request = {"text": text, "voice": voice, "rate": rate, "ssml": ssml}
        with self._lock:
            try:
                self._requests.write(_line(request))
                self._requests.flush()
                header = self._read_header()
                if "error" in header:
                    raise WorkerError(str(header["error"]))
                size = int(header["pcm"])
                pcm = self._responses.read(size)
            except (OSError, ValueError) as exc:
                raise WorkerError(f"the speech worker failed: {exc}") from exc
        if len(pcm) != size:
            raise WorkerError("the speech worker exited")
        return pcm

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def close(self) -> None:
        """Stop the server (it ends when its input closes) and reap it."""
        for stream in (self._requests, self._responses):
            with contextlib.suppress(OSError):
                stream.close()
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


class WorkerPool:
    """Up to ``size`` fork servers, started as renders need them: renders run in parallel, one per
    server. A server that dies is dropped, and the next render that needs one starts another."""

    def __init__(self, size: int) -> None:
        self.size = max(1, size)
        self._cond = threading.Condition()
        self._idle: list[SpeechWorker] = []
        self._count = 0  # servers running or starting
        first = self._start()
        self.sample_rate = first.sample_rate
        self.voices = first.voices
        self._give_back(first)

    def _start(self) -> SpeechWorker:
        with self._cond:
            self._count += 1
        try:
            return SpeechWorker()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _take(self) -> SpeechWorker:
        with self._cond:
            while True:
                while not self._idle and self._count >= self.size:
                    self._cond.wait()
                if not self._idle:
                    break
                worker = self._idle.pop()
                if worker.alive:
                    return worker
                self._count -= 1  # it died while idle: close it and look again
                worker.close()
        return self._start()

    def _give_back(self, worker: SpeechWorker) -> None:
        with self._cond:
            self._idle.append(worker)
            self._cond.notify()

    def render(self, text: str, voice: str, rate: int, ssml: bool) -> bytes:
        """16-bit mono PCM at :attr:`sample_rate`, from the first free server."""
        worker = self._take()
        try:
            pcm = worker.render(text, voice, rate, ssml)
        except WorkerError:
            if worker.alive:
                self._give_back(worker)
            else:
                worker.close()
                with self._cond:
                    self._count -= 1
                    self._cond.notify()
            raise
        self._give_back(worker)
        return pcm

    @property
    def pids(self) -> list[int]:
        """The process ids of the idle servers."""
        with self._cond:
            return [worker.pid for worker in self._idle]

    def close(self) -> None:
        """Stop the idle servers (at exit, when no render is under way)."""
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for worker in idle:
            worker.close()


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
