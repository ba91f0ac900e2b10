"""DTMF tones are real dual-tone signals: a Goertzel detector hears the same digits back."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from callbox.interpreter.media import dtmf
from callbox.interpreter.media.real import RealMediaPlane


def test_every_key_decodes_back_to_itself(decode_dtmf: Callable[[bytes], str]) -> None:
    keys = "1234567890*#ABCD"
    assert decode_dtmf(dtmf.pcm(keys)) == keys


def test_repeated_digits_are_heard_separately(decode_dtmf: Callable[[bytes], str]) -> None:
    assert decode_dtmf(dtmf.pcm("11w1W1")) == "1111"


def test_pauses_last_half_a_second_and_a_second() -> None:
    plain = dtmf.duration("12")
    assert dtmf.duration("1w2") == pytest.approx(plain + 0.5)
    assert dtmf.duration("1W2") == pytest.approx(plain + 1.0)
    assert len(dtmf.pcm("1W2")) / 2 / 8000 == pytest.approx(dtmf.duration("1W2"))


def test_a_key_sounds_at_its_two_itu_frequencies(decode_dtmf: Callable[[bytes], str]) -> None:
    # 5 is 770 Hz + 1336 Hz: a detector tuned to the Q.23 grid finds exactly that key
    assert dtmf.FREQUENCIES["5"] == (770, 1336)
    assert decode_dtmf(dtmf.pcm("5")) == "5"


def test_invalid_characters_are_rejected() -> None:
    with pytest.raises(dtmf.InvalidDigitsError):
        dtmf.pcm("12E")


@pytest.mark.anyio
async def test_plane_tones_are_audible_and_decode(
    tmp_path: object, decode_dtmf: Callable[[bytes], str], espeak_ng: str
) -> None:
    from pathlib import Path

    plane = RealMediaPlane(Path(str(tmp_path)))
    rendered = plane.tones("9w8#")
    assert rendered.audio is not None
    assert decode_dtmf(rendered.audio.raw_data) == "98#"
    assert rendered.duration == pytest.approx(len(rendered.audio) / 1000, abs=0.002)


def test_beep_is_a_one_kilohertz_tone(tmp_path: object, espeak_ng: str) -> None:
    from pathlib import Path

    beep = RealMediaPlane(Path(str(tmp_path))).beep()
    assert beep.audio is not None and beep.audio.dBFS > -10
    samples = beep.audio.get_array_of_samples()
    crossings = sum(1 for a, b in itertools.pairwise(samples) if a < 0 <= b)
    assert crossings / beep.duration == pytest.approx(1000, rel=0.02)
