"""The audio of one call: what the caller heard (left) and what the caller said (right), placed at
their call times and written as one WAV, two channels or mixed to mono.
"""

from __future__ import annotations

import audioop
from dataclasses import dataclass, field
from pathlib import Path

from pydub import AudioSegment

from callbox.interpreter.media.audio import TELEPHONY_RATE, pcm_segment, telephony
from callbox.interpreter.media.plane import Rendered
from callbox.interpreter.media.recording import write_wav


@dataclass
class _Track:
    pieces: list[tuple[float, AudioSegment | None, float]] = field(default_factory=list)

    def add(self, at: float, rendered: Rendered) -> None:
        self.pieces.append((max(at, 0.0), rendered.audio, rendered.duration))

    def end(self) -> float:
        return max((at + seconds for at, _, seconds in self.pieces), default=0.0)

    def pcm(self, seconds: float) -> bytes:
        buffer = bytearray(2 * round(seconds * TELEPHONY_RATE))
        for at, audio, _ in self.pieces:
            if audio is None:
                continue
            data = telephony(audio).raw_data
            start = 2 * round(at * TELEPHONY_RATE)
            stop = min(start + len(data), len(buffer))
            if stop <= start:
                continue
            data = data[: stop - start]
            buffer[start:stop] = audioop.add(bytes(buffer[start:stop]), data, 2)
        return bytes(buffer)


class CallAudio:
    """Collects a call's sounds as the session plays them, and writes them as one WAV file."""

    def __init__(self) -> None:
        self._heard = _Track()
        self._said = _Track()
        self.estimated = 0
        """How many sounds had no audio (estimated media): they are silent in the file."""

    def heard(self, at: float, rendered: Rendered) -> None:
        """The caller heard ``rendered`` starting at call time ``at``."""
        self._heard.add(at, rendered)
        self.estimated += rendered.audio is None and rendered.duration > 0

    def said(self, at: float, rendered: Rendered) -> None:
        """The caller said (or pressed) ``rendered`` starting at call time ``at``."""
        self._said.add(at, rendered)
        self.estimated += rendered.audio is None and rendered.duration > 0

    @property
    def duration(self) -> float:
        return max(self._heard.end(), self._said.end())

    def segment(self, mixed: bool = False) -> AudioSegment:
        """The call as a segment: stereo (left heard, right said), or mono when ``mixed``."""
        seconds = self.duration
        left, right = self._heard.pcm(seconds), self._said.pcm(seconds)
        if mixed:
            return pcm_segment(audioop.add(left, right, 2))
        return AudioSegment.from_mono_audiosegments(pcm_segment(left), pcm_segment(right))

    def write(self, path: Path | str, mixed: bool = False) -> Path:
        """Write the call as a WAV file at ``path``; returns the path."""
        target = Path(path)
        write_wav(target, self.segment(mixed))
        return target
