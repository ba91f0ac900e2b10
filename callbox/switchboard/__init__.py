"""Many sessions on one clock: the ``Switchboard`` (the composition root every call goes through),
its ``Scheduler`` of shared virtual time, and the call-time events sessions wait on each other with.
"""

from __future__ import annotations

from callbox.switchboard.board import Switchboard, open_media_plane
from callbox.switchboard.errors import SchedulerError, SwitchboardError
from callbox.switchboard.rendezvous import CallTimeCondition, CallTimeEvent
from callbox.switchboard.scheduler import Scheduler, SharedClock

__all__ = [
    "CallTimeCondition",
    "CallTimeEvent",
    "Scheduler",
    "SchedulerError",
    "SharedClock",
    "Switchboard",
    "SwitchboardError",
    "open_media_plane",
]
