"""Waiting for another call: a caller in a queue or a conference room waits for something another
session does (an agent dequeues it, the room starts), hearing hold music meanwhile.

The music runs beside the wait and holds the shared clock while it plays; the wait lets the clock
go. Either can end first: the awaited signal stops the music, and a ``<Leave>`` or ``<Hangup>``
in the music ends the wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio

from callbox.interpreter.context import CallContext
from callbox.interpreter.outcomes import EndCall
from callbox.interpreter.rooms import Signal

Music = Callable[[], Awaitable[EndCall | None]]
"""Plays hold documents until cancelled: the ``EndCall`` they end with, or None."""


async def wait_with_music(
    call: CallContext, until: Signal, music: Music | None, timeout: float | None = None
) -> EndCall | None:
    """Wait until ``until`` is set (or ``timeout`` seconds of call time, or the caller hangs up),
    the caller hearing ``music`` meanwhile; the outcome the music ended the wait with, or None."""
    ended_by_music: EndCall | None = None
    async with anyio.create_task_group() as group:
        if music is not None:
            holding = call.clock.hold()
            holding.__enter__()  # now, so that call time waits for the music to start

            async def play() -> None:
                nonlocal ended_by_music
                try:
                    ended_by_music = await music()
                finally:
                    holding.__exit__(None, None, None)
                if ended_by_music is not None:
                    group.cancel_scope.cancel()

            group.start_soon(play)
        await call.wait_for(until, timeout)
        group.cancel_scope.cancel()
    return ended_by_music
