"""What the caller hears from a verb: rendered pieces heard in order, cut short by barge-in.

Runners render first (``say.render_say``, ``play.render_play``, ``pause.render_pause``) and hear
afterwards, so that a ``<Gather>`` knows how long its prompts last before the caller answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from callbox.interpreter.context import CallContext
from callbox.interpreter.media.plane import Rendered, join
from callbox.interpreter.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class Piece:
    """One sound for the caller: what it is (``say``, ``play``, ``tones``, ``pause``) and its text."""

    rendered: Rendered
    kind: str
    text: str

    @property
    def duration(self) -> float:
        return self.rendered.duration


def total_duration(pieces: Sequence[Piece]) -> float:
    return sum(piece.duration for piece in pieces)


async def sleep_until(call: CallContext, at: float) -> None:
    """Let call time run to ``at`` (nothing happens when it is already past)."""
    wait = at - call.clock.now()
    if wait > 0:
        await call.clock.sleep(wait)


async def hear_pieces(
    call: CallContext, pieces: Sequence[Piece], *, until: float | None = None
) -> int:
    """The caller hears ``pieces`` in order; with ``until`` (a call time) the sound stops there,
    the piece playing at that moment cut short. Returns how many pieces were heard in full."""
    heard = 0
    for piece in pieces:
        if call.status.is_final:
            break
        now = call.clock.now()
        if until is not None and now + piece.duration > until:
            left = until - now
            if left > 0:
                await call.hear(join([piece.rendered], limit=left), piece.kind, piece.text)
            break
        await call.hear(piece.rendered, piece.kind, piece.text)
        heard += 1
    return heard


LOOP_CAP = 1000
"""``loop="0"`` repeats until the caller hangs up, at most this many times (Twilio's cap)."""


def loop_count(loop: int) -> int:
    """How many times a ``<Say>``/``<Play>`` plays: ``0`` (or less) means ``LOOP_CAP``."""
    return LOOP_CAP if loop <= 0 else min(loop, LOOP_CAP)
