"""The real media plane: speech from espeak-ng, decoded ``<Play>`` audio, DTMF, beeps, silence and
recordings as audio a developer can listen to. Where espeak-ng or ffmpeg is missing it falls back to
estimates for what needs them, warns once, and ``degraded()`` says why.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from callbox.interpreter.media import dtmf, voices
from callbox.interpreter.media.audio import (
    TELEPHONY_RATE,
    FfmpegMissingError,
    decode,
    pcm_segment,
    silent,
    sine,
    telephony,
)
from callbox.interpreter.media.formats import audio_format, header_duration
from callbox.interpreter.media.plane import (
    BEEP_SECONDS,
    EstimatedMediaPlane,
    Recording,
    Rendered,
)
from callbox.interpreter.media.recording import RecordingStore, trim_silence
from callbox.interpreter.media.speech import (
    SpeechCache,
    SpeechRequest,
    SynthesisError,
    Synthesizer,
    choose_engine,
)
from callbox.interpreter.media.ssml import translate

logger = logging.getLogger("callbox.media")
BEEP_FREQUENCY = 1000.0
_warned: set[str] = set()


def _warn_once(reason: str) -> None:
    if reason not in _warned:
        _warned.add(reason)
        logger.warning("media plane degraded: %s", reason)


class RealMediaPlane:
    """Media as real audio (8 kHz mono 16-bit). Recordings go to ``data_dir/recordings``; rendered
    speech is cached in ``cache_dir`` (``data_dir/speech-cache`` when None)."""

    def __init__(
        self,
        data_dir: Path,
        cache_dir: Path | None = None,
        *,
        which: Callable[[str], str | None] = shutil.which,
        in_process: bool = True,
    ) -> None:
        self.data_dir = Path(data_dir)
        reasons: list[str] = []
        engine, problem = choose_engine(which, in_process=in_process)
        if problem:
            reasons.append(problem)
        self._ffmpeg = which("ffmpeg")
        if self._ffmpeg is None:
            reasons.append(
                "ffmpeg is not installed: MP3, AIFF and GSM audio get estimated durations,"
                " and recordings have no .mp3"
            )
        for reason in reasons:
            _warn_once(reason)
        self._reasons = tuple(reasons)
        cache = SpeechCache(Path(cache_dir) if cache_dir else self.data_dir / "speech-cache")
        self.synthesizer = Synthesizer(engine, cache) if engine is not None else None
        self._estimate = EstimatedMediaPlane(self._reasons)
        self.recordings = RecordingStore(self.data_dir / "recordings", self._ffmpeg)

    async def _speak(self, request: SpeechRequest, warnings: list[str]) -> Rendered:
        if self.synthesizer is None:
            estimate = await self._estimate.speech(request.text)
            return Rendered(estimate.duration, None, tuple(warnings))
        try:
            pcm = await self.synthesizer.render(request)
        except SynthesisError as exc:
            estimate = await self._estimate.speech(request.text)
            warnings.append(f"speech could not be rendered ({exc}); its duration is estimated")
            return Rendered(estimate.duration, None, tuple(warnings))
        return Rendered(len(pcm) / 2 / TELEPHONY_RATE, pcm_segment(pcm), tuple(warnings))

    async def speech(
        self, text: str, *, voice: str = "man", language: str = "en-US", ssml: str | None = None
    ) -> Rendered:
        spec = voices.resolve(voice, language)
        warnings = list(spec.warnings)
        if ssml is not None and spec.ssml:
            result = translate(ssml, language=spec.language)
            warnings.extend(result.warnings)
            if self.synthesizer is None:
                return Rendered(result.estimated_seconds, None, tuple(warnings))
            request = SpeechRequest(result.markup, spec.name, spec.language, ssml=True)
        else:
            if ssml is not None:
                warnings.append(f"voice {voice!r} ignores SSML, as on Twilio")
            if not text.strip():
                return Rendered(0.0, silent(0.0), tuple(warnings))
            request = SpeechRequest(text, spec.name, spec.language)
        return await self._speak(request, warnings)

    async def caller_speech(self, text: str) -> Rendered:
        if not text.strip():
            return Rendered(0.0, silent(0.0))
        return await self._speak(SpeechRequest(text, voices.CALLER_VOICE, "en-GB"), [])

    async def audio(self, body: bytes, content_type: str) -> Rendered:
        try:
            segment = await decode(body, content_type, ffmpeg=self._ffmpeg)
        except FfmpegMissingError as exc:
            seconds = header_duration(body, audio_format(content_type))
            return Rendered(seconds, None, (f"{exc}; its duration is estimated",))
        return Rendered(segment.frame_count() / TELEPHONY_RATE, segment)

    def tones(self, digits: str) -> Rendered:
        return Rendered(dtmf.duration(digits), dtmf.render(digits))

    def beep(self) -> Rendered:
        return Rendered(BEEP_SECONDS, sine(BEEP_FREQUENCY, BEEP_SECONDS))

    def silence(self, seconds: float) -> Rendered:
        # a length, not samples: a 20,000 s <Pause> costs nothing until it is mixed or saved
        return Rendered(max(seconds, 0.0), None, voiced=(0.0, 0.0))

    def save_recording(
        self,
        sid: str,
        audio: Rendered,
        *,
        trim: bool,
        call_sid: str | None = None,
        account_sid: str | None = None,
    ) -> Recording:
        if audio.audio is None and not audio.is_silence:
            return self._estimate.save_recording(sid, audio, trim=trim)
        segment = telephony(audio.audio) if audio.audio is not None else silent(audio.duration)
        if trim:
            segment = trim_silence(segment)
        path = self.recordings.save(sid, segment, call_sid=call_sid, account_sid=account_sid)
        return Recording(sid, path, segment.frame_count() / TELEPHONY_RATE)

    def degraded(self) -> tuple[str, ...]:
        return self._reasons
