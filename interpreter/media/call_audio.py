"""The audio of one call: what the caller heard (left) and what the caller said (right), placed at
their call times and written as one WAV, two channels or mixed to mono.

Nothing past the call's end is kept (``end``), silence is a length until it is mixed, and the file
is mixed and written a minute at a time: a four-hour call costs a minute of samples in memory.
"""

from __future__ import annotations

import audioop
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydub import AudioSegment

from callbox.interpreter.media.audio import TELEPHONY_RATE, pcm_segment, telephony
from callbox.interpreter.media.plane import Rendered
from callbox.interpreter.media.recording import write_wav_frames

CHUNK_SECONDS = 60.0
"""How much of the call is mixed at once when it is written."""


@dataclass
class _Track:
    pieces: list[tuple[float, AudioSegment | None, float]] = field(default_factory=list)

    def add(self, at: float, rendered: Rendered) -> None:
        self.pieces.append((max(at, 0.0), rendered.audio, rendered.duration))

    def end(self) -> float:
        return max((at + seconds for at, _, seconds in self.pieces), default=0.0)

    def pcm(self, start: int, stop: int) -> bytes:
        """Mono 16-bit samples ``start`` to ``stop`` (sample indexes) of the track."""
        buffer = bytearray(2 * (stop - start))
        for at, audio, seconds in self.pieces:
            if audio is None:
                continue
            first = round(at * TELEPHONY_RATE)
            if first >= stop or first + round(seconds * TELEPHONY_RATE) + 1 <= start:
                continue
            data = telephony(audio).raw_data
            lo = max(start, first)
            hi = min(stop, first + len(data) // 2)
            if hi <= lo:
                continue
            piece = data[2 * (lo - first) : 2 * (hi - first)]
            where = slice(2 * (lo - start), 2 * (hi - start))
            buffer[where] = audioop.add(bytes(buffer[where]), piece, 2)
        return bytes(buffer)


class CallAudio:
    """Collects a call's sounds as the session plays them, and writes them as one WAV file."""

    def __init__(self) -> None:
        self._heard = _Track()
        self._said = _Track()
        self._ended_at: float | None = None
        self.estimated = 0
        """How many sounds had no audio (estimated media): they are silent in the file."""

    def heard(self, at: float, rendered: Rendered) -> None:
        """The caller heard ``rendered`` starting at call time ``at``."""
        self._heard.add(at, rendered)
        self._count(rendered)

    def said(self, at: float, rendered: Rendered) -> None:
        """The caller said (or pressed) ``rendered`` starting at call time ``at``."""
        self._said.add(at, rendered)
        self._count(rendered)

    def _count(self, rendered: Rendered) -> None:
        self.estimated += (
            rendered.audio is None and rendered.duration > 0 and not rendered.is_silence
        )

    def end(self, at: float) -> None:
        """The call ended at call time ``at``: what was still playing is cut there."""
        self._ended_at = max(at, 0.0)

    @property
    def duration(self) -> float:
        heard = max(self._heard.end(), self._said.end())
        return heard if self._ended_at is None else min(heard, self._ended_at)

    def _samples(self) -> int:
        return round(self.duration * TELEPHONY_RATE)

    def _chunks(self, mixed: bool) -> Iterator[bytes]:
        """The call's frames, ``CHUNK_SECONDS`` at a time."""
        total = self._samples()
        step = round(CHUNK_SECONDS * TELEPHONY_RATE)
        for start in range(0, total, step):
            stop = min(start + step, total)
            left, right = self._heard.pcm(start, stop), self._said.pcm(start, stop)
            if mixed:
                yield audioop.add(left, right, 2)
            else:
                yield audioop.add(
                    audioop.tostereo(left, 2, 1, 0), audioop.tostereo(right, 2, 0, 1), 2
                )

    def segment(self, mixed: bool = False) -> AudioSegment:
        """The call as a segment: stereo (left heard, right said), or mono when ``mixed``."""
        total = self._samples()
        left, right = self._heard.pcm(0, total), self._said.pcm(0, total)
        if mixed:
            return pcm_segment(audioop.add(left, right, 2))
        return AudioSegment.from_mono_audiosegments(pcm_segment(left), pcm_segment(right))

    def write(self, path: Path | str, mixed: bool = False) -> Path:
        """Write the call as a WAV file at ``path``; returns the path."""
        target = Path(path)
        write_wav_frames(target, 1 if mixed else 2, TELEPHONY_RATE, self._chunks(mixed))
        return target
