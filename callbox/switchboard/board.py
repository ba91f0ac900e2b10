"""The composition root: one ``Switchboard`` per process places every call.

It owns what calls share: the HTTP client (one per process; making one costs ~26 ms, and its
connection pool is the point), the clients of in-process apps, the media plane, the settings,
the clock (a ``Scheduler`` for virtual time, or the wall clock) and the registry of live
sessions. ``callbox call``, the pytest API and the benchmarks place calls through it.
"""

from __future__ import annotations

import time
from collections.abc import Coroutine, Mapping
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx
from anyio.abc import TaskGroup

from callbox.interpreter import settings as config
from callbox.interpreter.caller import Caller
from callbox.interpreter.clock import Clock, WallClock
from callbox.interpreter.far_ends import FarEnds, ScriptedFarEnd
from callbox.interpreter.fetch import FetchLimits, HttpFetcher, make_client
from callbox.interpreter.media.plane import EstimatedMediaPlane, MediaPlane
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.rooms import Signal
from callbox.interpreter.session import CallResult, CallSession, CallSettings
from callbox.interpreter.transports import DEFAULT_BASE_URL, InProcessApp, in_process
from callbox.interpreter.webhook import Fetcher
from callbox.switchboard.call_tasks import CallStarter
from callbox.switchboard.errors import SwitchboardError
from callbox.switchboard.rendezvous import CallTimeCondition, CallTimeEvent
from callbox.switchboard.rooms import RoomDirectory, WallClockSignal
from callbox.switchboard.scheduler import Scheduler

if TYPE_CHECKING:
    from callbox.interpreter.media.call_audio import CallAudio


def open_media_plane(
    data_dir: Path, cache_dir: Path | None = None, *, estimated: bool = False
) -> MediaPlane:
    """The media plane calls should use: real audio (``RealMediaPlane``, which degrades by itself
    when espeak-ng or ffmpeg is missing), or estimates only when ``estimated``."""
    if estimated:
        return EstimatedMediaPlane()
    from callbox.interpreter.media.real import RealMediaPlane  # audio libraries: on first use

    return RealMediaPlane(data_dir, cache_dir)


class Switchboard:
    """Places calls and keeps what they share; close it (``aclose``, or ``async with``) to
    close the HTTP clients it made or was given.

    ``policy`` says which hosts calls may fetch; ``client`` is the HTTP client to share (made
    for ``policy`` on first use when not given); ``media`` is the media plane (estimated
    durations unless given); ``realtime`` runs calls on the wall clock instead of the shared
    virtual clock; ``settings`` are the data directory, speech cache and public URL.
    """

    def __init__(
        self,
        *,
        policy: FetchPolicy | None = None,
        client: httpx.AsyncClient | None = None,
        media: MediaPlane | None = None,
        realtime: bool = False,
        settings: config.Settings | None = None,
        limits: FetchLimits | None = None,
    ) -> None:
        self.policy = policy or FetchPolicy()
        self.media: MediaPlane = media or EstimatedMediaPlane()
        self.realtime = realtime
        self._settings = settings
        self.limits = limits
        self.scheduler = Scheduler()
        self.rooms = RoomDirectory(self._signal, self._room_time)
        """The queues and conference rooms of each account, shared by its calls placed here."""
        self.live: dict[str, CallSession] = {}
        """The sessions running now, by call SID."""
        self._client = client
        self._apps: dict[int, InProcessApp] = {}
        self.tasks = CallStarter()
        """Starts calls in task groups as bare tasks (see ``call_tasks``)."""
        self._ended_call = self._ended  # one bound method for every call's end

    # --- what calls share -------------------------------------------------------------------
    @property
    def settings(self) -> config.Settings:
        """Where files go and the public URL (from the environment unless given)."""
        if self._settings is None:
            self._settings = config.resolve()
        return self._settings

    @property
    def client(self) -> httpx.AsyncClient:
        """The HTTP client every call to the network shares."""
        if self._client is None:
            self._client = make_client(policy=self.policy)
        return self._client

    def serve_in_process(
        self, app: Any, base_url: str = DEFAULT_BASE_URL, *, kind: str | None = None
    ) -> InProcessApp:
        """The in-process client for a developer's ASGI or WSGI ``app`` at ``base_url`` (one per
        app, made on first use, closed with the switchboard)."""
        found = self._apps.get(id(app))
        if found is None:
            found = in_process(app, base_url, policy=self.policy, kind=kind)
            self._apps[id(app)] = found
        return found

    def fetcher(
        self, auth_token: str, *, app: InProcessApp | None = None, policy: FetchPolicy | None = None
    ) -> HttpFetcher:
        """A fetcher for one call (it keeps that call's cookies), signing as ``auth_token``:
        through ``app``'s client when given, else the shared one."""
        if app is not None:
            return HttpFetcher(app.client, auth_token=auth_token, policy=app.policy)
        return HttpFetcher(
            self.client, auth_token=auth_token, policy=policy or self.policy, limits=self.limits
        )

    def clock(self) -> Clock:
        """A new call's clock: its view of the shared virtual clock, or the wall clock."""
        return WallClock() if self.realtime else self.scheduler.clock()

    def event(self) -> CallTimeEvent:
        """An event sessions can wait on in call time (set once)."""
        return CallTimeEvent(self.scheduler)

    def signal(self) -> Signal:
        """Something that happens once that calls wait on: in call time, or in real time on the
        wall clock."""
        return self._signal()

    def _signal(self) -> Signal:
        """What a room's calls wait on: in call time, or in real time on the wall clock."""
        return WallClockSignal() if self.realtime else CallTimeEvent(self.scheduler)

    def _room_time(self) -> float:
        """The rooms' clock: shared call time, or seconds on the wall clock."""
        return time.monotonic() if self.realtime else self.scheduler.now()

    def condition(self) -> CallTimeCondition:
        """A condition sessions can wait on in call time (notified again and again)."""
        return CallTimeCondition(self.scheduler)

    # --- calls --------------------------------------------------------------------------------
    def session(
        self,
        settings: CallSettings,
        caller: Caller,
        *,
        fetcher: Fetcher | None = None,
        media: MediaPlane | None = None,
        clock: Clock | None = None,
        far_ends: FarEnds | Mapping[str, ScriptedFarEnd] | None = None,
        audio: CallAudio | None = None,
        started_at: datetime | None = None,
    ) -> CallSession:
        """A call ready to ``run``: fetching through the shared client unless ``fetcher`` is
        given (under the policy for the call's own URL: loopback only for a call to loopback, see
        ``FetchPolicy.for_first_url``), on the switchboard's clock and media plane unless given;
        ``started_at`` is when its call time 0 was (now unless given)."""
        return CallSession(
            settings,
            fetcher=fetcher
            or self.fetcher(settings.auth_token, policy=self.policy.for_first_url(settings.url)),
            caller=caller,
            media=media or self.media,
            clock=clock or self.clock(),
            far_ends=far_ends,
            audio=audio,
            rooms=self.rooms.of(settings.account_sid),
            started_at=started_at,
        )

    def run(self, session: CallSession) -> Coroutine[Any, Any, CallResult]:
        """Run ``session`` to its end as one of the live calls (await it): its result. It holds
        the shared clock from this call on, as ``start`` does."""
        self.scheduler.acquire()
        return self.run_held(session)  # awaited by the caller: no coroutine of its own

    def start(self, group: TaskGroup, session: CallSession) -> None:
        """Run ``session`` in ``group``, where its callbacks go out too; it holds the shared clock
        from now on, so that the clock does not move on before it has started (its result is then
        ``session.result``)."""
        self._register(session)
        self.scheduler.acquire()
        session.task_group = group  # its callbacks go out there too: no task group of its own
        # no coroutine of the switchboard's around the call (~0.3 KiB each): its end is noted
        # by one callback for all calls, told the call's SID (its task's name)
        self.tasks.start_soon(group, session.run, name=session.sid, done=self._ended_call)

    def _register(self, session: CallSession) -> None:
        """``session`` is live from now on (one session per call SID at a time)."""
        if session.sid in self.live:
            raise SwitchboardError(f"call {session.sid} is already running")
        self.live[session.sid] = session

    def _ended(self, sid: str) -> None:
        """A registered call ended: it is no longer live, and it lets the clock go."""
        del self.live[sid]
        self.scheduler.release()

    async def run_held(self, session: CallSession) -> CallResult:
        """Run a session that already holds the shared clock (``scheduler.acquire()`` was
        called for it: it rang on call time before it ran) (a running session holds it still
        except while it waits on call time); the clock is let go when it ends."""
        try:
            self._register(session)
        except SwitchboardError:
            self.scheduler.release()
            raise
        try:
            return await session.run()
        finally:
            self._ended(session.sid)

    def call(
        self, settings: CallSettings, caller: Caller, **options: Any
    ) -> Coroutine[Any, Any, CallResult]:
        """Place one call and run it to its end (await it; ``options`` as for ``session``)."""
        return self.run(self.session(settings, caller, **options))

    # --- lifecycle ----------------------------------------------------------------------------
    async def aclose(self) -> None:
        """Close the HTTP clients (the shared one and the in-process apps')."""
        clients = [app.client for app in self._apps.values()]
        if self._client is not None:
            clients.append(self._client)
        self._apps.clear()
        self._client = None
        for client in clients:
            await client.aclose()

    async def __aenter__(self) -> Switchboard:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()
