"""What the API works with: the store, the clock, and the hooks into the running platform that
place and steer calls (``CallControl``) and send messages (``MessageHook``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from callbox.records import Call, CallStatus, HttpMethod, Message, utc_now
from callbox.store import Store
from callbox.switchboard.rooms import RoomDirectory


class CallControl(Protocol):
    """The platform's side of a call the API created or updates."""

    def place(self, call: Call) -> None:
        """Start the stored, queued ``call``; it runs on its own and updates its record."""
        ...

    def is_live(self, call_sid: str) -> bool:
        """Whether the call is running now (it can be redirected or hung up)."""
        ...

    def redirect(
        self, call_sid: str, url: str | None, method: HttpMethod, twiml: str | None
    ) -> bool:
        """Make a live call run another document; False when it is not live."""
        ...

    def end(self, call_sid: str, status: CallStatus) -> bool:
        """End a live call: ``canceled`` before an answer, ``completed`` after; False when not live."""
        ...


MessageHook = Callable[[Message], None]
"""Called with every message the API stored as queued: the messaging side sends it."""


def ignore_message(message: Message) -> None:
    """The message hook when nothing sends messages: they stay queued."""


@dataclass
class ApiContext:
    """The API's dependencies. ``public_url`` makes absolute URLs (``media_url``); ``now`` is
    the clock for ``date_created``/``date_updated``; ``calls`` places and steers calls (None:
    created calls stay queued); ``send_message`` sends created messages."""

    store: Store
    calls: CallControl | None = None
    rooms: RoomDirectory | None = None
    """The switchboard's queues and conference rooms (None: the API runs without a platform)."""
    send_message: MessageHook = ignore_message
    public_url: str | None = None
    recordings_dir: Path | None = None
    """Where recordings made outside the platform (``callbox call``) are found as files."""
    now: Callable[[], datetime] = field(default=utc_now)
