"""The queues and conference rooms calls share, one set per switchboard (``rooms.Rooms``).

In virtual time their waits are ``CallTimeEvent``s on the shared scheduler, so a caller waiting
an hour in a queue costs nothing; on the wall clock they are plain events with real timeouts.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import anyio

from callbox.interpreter import rooms
from callbox.switchboard.conferences import Conference, ConferenceRecording
from callbox.switchboard.queues import DEFAULT_MAX_SIZE, CallQueue


class WallClockSignal:
    """A ``rooms.Signal`` in real time: an event with a real timeout."""

    def __init__(self) -> None:
        self._event = anyio.Event()

    def is_set(self) -> bool:
        return self._event.is_set()

    def set(self) -> None:
        self._event.set()

    async def wait(self, timeout: float | None = None) -> bool:
        with anyio.move_on_after(timeout):
            await self._event.wait()
        return self._event.is_set()


class Rooms:
    """The queues and conference rooms of one account (``rooms.Rooms``), created on first use:
    queues by name, rooms by name while they last and by SID for ever."""

    def __init__(
        self,
        new_signal: Callable[[], rooms.Signal],
        now: Callable[[], float],
        account_sid: str = "",
        on_recording: Callable[[ConferenceRecording], None] | None = None,
    ) -> None:
        self.new_signal = new_signal
        self.now = now
        self.account_sid = account_sid
        self.on_recording = on_recording
        """Told of each conference recording (the platform stores it)."""
        self.queues: dict[str, CallQueue] = {}
        """By friendly name, in the order they were made."""
        self.conferences: dict[str, Conference] = {}
        """Every room, by SID, in the order they were made."""
        self._open: dict[str, Conference] = {}

    def queue(self, name: str, max_size: int | None = None) -> CallQueue:
        found = self.queues.get(name)
        if found is None:
            found = CallQueue(
                "QU" + uuid.uuid4().hex,
                name,
                self.new_signal,
                self.now,
                max_size=max_size or DEFAULT_MAX_SIZE,
                account_sid=self.account_sid,
            )
            self.queues[name] = found
        elif max_size:
            found.max_size = max_size
        return found

    def queue_by_sid(self, sid: str) -> CallQueue | None:
        return next((queue for queue in self.queues.values() if queue.sid == sid), None)

    def rename_queue(self, queue: CallQueue, name: str) -> None:
        """REST: the queue goes by ``name`` from now on (``<Enqueue>`` finds it by it)."""
        self.queues.pop(queue.friendly_name, None)
        queue.friendly_name = name
        self.queues[name] = queue

    def remove_queue(self, sid: str) -> bool:
        """REST: delete an empty queue."""
        found = self.queue_by_sid(sid)
        if found is None or found.size:
            return False
        del self.queues[found.friendly_name]
        return True

    def conference(self, name: str) -> Conference:
        found = self._open.get(name)
        if found is None or found.ended.is_set():
            found = Conference(
                "CF" + uuid.uuid4().hex,
                name,
                self.account_sid,
                self.new_signal,
                on_recording=self.on_recording,
                now=self.now,
            )
            self._open[name] = found
            self.conferences[found.sid] = found
        return found


class RoomDirectory:
    """Every account's rooms on one switchboard: a call's rooms are its account's."""

    def __init__(self, new_signal: Callable[[], rooms.Signal], now: Callable[[], float]) -> None:
        self.new_signal = new_signal
        self.now = now
        self.on_recording: Callable[[ConferenceRecording], None] | None = None
        """Told of each conference recording of every account (the platform stores it)."""
        self._accounts: dict[str, Rooms] = {}

    def _recorded(self, recording: ConferenceRecording) -> None:
        if self.on_recording is not None:
            self.on_recording(recording)

    def of(self, account_sid: str) -> Rooms:
        """The rooms of ``account_sid`` (made on first use)."""
        found = self._accounts.get(account_sid)
        if found is None:
            found = self._accounts[account_sid] = Rooms(
                self.new_signal, self.now, account_sid, self._recorded
            )
        return found
