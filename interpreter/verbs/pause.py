"""``<Pause>``: ``length`` seconds of silence; in virtual time an hour-long pause is instant."""

from __future__ import annotations

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import Continue, Outcome
from callbox.interpreter.verbs.hearing import Piece, hear_pieces
from callbox.markup.model import Pause


def render_pause(pause: Pause, call: CallContext) -> list[Piece]:
    seconds = max(pause.length, 0)
    return [Piece(call.media.silence(float(seconds)), "pause", f"{seconds} s")]


async def run_pause(pause: Pause, call: CallContext) -> Outcome:
    await hear_pieces(call, render_pause(pause, call))
    return Continue()
