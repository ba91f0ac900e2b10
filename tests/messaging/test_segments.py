"""Segments and encodings agree with Twilio's own calculator on every body: boundary sweeps
and generated bodies biased toward GSM-7 edge characters, extension characters, emoji and
the 160/153 and 70/67 boundaries. The oracle is npm ``sms-segments-calculator``, installed by
``scripts/setup`` into ``.cache/sms-oracle``, in one node process asked in batches over stdin."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from callbox.messaging import gsm7
from callbox.messaging.segments import Encoding, Segmentation, segment
from callbox.messaging.smart_encoding import REPLACEMENTS

EXTENSION = sorted(gsm7.EXTENSION)
EMOJI = ["😀", "👍🏽", "🇫🇷", "👩‍👩‍👧‍👦", "🧑‍🚀", "❤️", "🏳️‍🌈", "👨🏿‍🦰", "#️⃣", "🦰"]
GSM_EDGE = ["@", "£", "¤", "Δ", "\n", "\r", "\r\n", "Ç", "ß", "É", "\x0c", " "]
COMBINING = ["e\u0301", "\u0301", "a\u0308\u0323", "\u200d", "\ufe0f", "क्षि", "각", "ᄀᄀ"]
SMART = sorted(REPLACEMENTS)

ROOT = Path(__file__).resolve().parents[2]
ORACLE_DIR = ROOT / ".cache" / "sms-oracle"
SCRIPT = Path(__file__).with_name("segment_oracle.js")


class SegmentOracle:
    """Twilio's calculator in a node subprocess: ``ask`` sends a batch, returns its answers."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    def ask(self, bodies: Sequence[tuple[str, bool]]) -> list[dict[str, Any]]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([list(b) for b in bodies]) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the segment oracle (node) ended"
        answers: list[dict[str, Any]] = json.loads(line)
        return answers


@pytest.fixture(scope="session")
def segment_oracle() -> Iterator[SegmentOracle]:
    node = shutil.which("node")
    if node is None or not (ORACLE_DIR / "node_modules" / "sms-segments-calculator").is_dir():
        pytest.skip("Twilio's segment calculator is not installed: run scripts/setup")
    process = subprocess.Popen(
        [node, str(SCRIPT)],
        cwd=ORACLE_DIR,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={"NODE_PATH": str(ORACLE_DIR / "node_modules")},
    )
    try:
        yield SegmentOracle(process)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        process.wait(timeout=10)
        assert process.stdout is not None
        process.stdout.close()


def as_oracle_sees(result: Segmentation) -> dict[str, Any]:
    return {
        "encoding": result.encoding.value,
        "characters": result.characters,
        "segments": list(result.segments),
    }


def assert_agrees(oracle: SegmentOracle, bodies: list[str]) -> None:
    batch = [(body, smart) for body in bodies for smart in (False, True)]
    for (body, smart), expected in zip(batch, oracle.ask(batch), strict=True):
        assert as_oracle_sees(segment(body, smart_encoding=smart)) == expected, (body, smart)


def test_boundary_sweeps_agree_with_twilios_calculator(segment_oracle: SegmentOracle) -> None:
    bodies = []
    for filler in ["a", "€", "é", "ü", "😀", "👍🏽", "’", "e\u0301"]:
        for length in [*range(0, 3), *range(65, 72), *range(150, 162), *range(304, 308)]:
            for tail in ["", "^", "x^", "😀", "a😀", "\r\n", "’"]:
                bodies.append(filler * length + tail)
    bodies.append("a" * 1600)
    bodies.append("{" * 800)
    assert len(bodies) > 1400
    assert_agrees(segment_oracle, bodies)


pieces = st.one_of(
    st.sampled_from(EXTENSION),
    st.sampled_from(EMOJI),
    st.sampled_from(GSM_EDGE),
    st.sampled_from(COMBINING),
    st.sampled_from(SMART),
    st.text(alphabet=st.sampled_from(sorted(gsm7.BASIC)), max_size=10),
    st.text(max_size=5),
)
bodies = st.builds(
    lambda filler, count, tail: filler * count + "".join(tail),
    st.sampled_from(["a", "x", "€", "é", "😀", "’", "", "ab"]),
    st.sampled_from([0, 1, 66, 67, 69, 70, 76, 150, 152, 153, 159, 160, 161, 306, 320]),
    st.lists(pieces, max_size=20),
)


@given(st.lists(bodies, min_size=1, max_size=30))
def test_generated_bodies_agree_with_twilios_calculator(
    segment_oracle: SegmentOracle, batch: list[str]
) -> None:
    assert_agrees(segment_oracle, batch)


def test_a_full_single_segment_is_160_gsm_characters_and_161_makes_two_of_153() -> None:
    assert segment("a" * 160).num_segments == 1
    two = segment("a" * 161)
    assert [len(part) for part in two.segments] == [153, 8]


def test_an_extension_character_costs_two_septets_and_is_never_split() -> None:
    body = "a" * 152 + "€" + "b" * 10
    result = segment(body)
    assert result.encoding is Encoding.GSM7
    assert result.characters == 152 + 2 + 10
    assert result.segments[0] == "a" * 152
    assert result.segments[1].startswith("€")


def test_one_character_outside_gsm7_makes_the_whole_body_ucs2_of_70_and_67() -> None:
    assert segment("a" * 69 + "ā").num_segments == 1
    result = segment("a" * 70 + "ā")
    assert result.encoding is Encoding.UCS2
    assert [len(part) for part in result.segments] == [67, 4]


def test_an_emoji_is_never_split_across_segments() -> None:
    result = segment("a" * 66 + "😀" + "bbb")
    assert result.segments[0] == "a" * 66
    assert result.segments[1].startswith("😀")


def test_smart_encoding_turns_curly_quotes_into_gsm7() -> None:
    body = "It’s “quoted” — really…"
    assert segment(body).encoding is Encoding.UCS2
    smart = segment(body, smart_encoding=True)
    assert smart.encoding is Encoding.GSM7
    assert smart.body == 'It\'s "quoted" - really...'
