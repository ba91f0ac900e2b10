"""The entry point of the pytest API: start simulated calls against a URL, an in-process ASGI or
WSGI app, or inline TwiML, and drive them from synchronous tests.

``CallSimulator`` owns one blocking portal (an event loop in a thread) and a ``Switchboard`` that
places its calls (the HTTP clients, the media plane, one shared virtual clock); use it as a
context manager, or through the ``callbox`` pytest fixture.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from types import TracebackType
from typing import Any

from anyio.from_thread import BlockingPortal, start_blocking_portal

from callbox.interpreter.far_ends import FarEnds, ScriptedFarEnd
from callbox.interpreter.media.plane import MediaPlane
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.session import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_FROM,
    DEFAULT_TO,
    CallSettings,
)
from callbox.interpreter.webhook import Fetcher
from callbox.messaging.messenger import Messenger
from callbox.messaging.time import MessagingTime
from callbox.switchboard import SharedClock, Switchboard
from callbox.testing.conversation import Conversation
from callbox.testing.driven import DrivenCall, DrivenCaller


class CallSimulator:
    """Starts calls for tests. Every call is signed with ``auth_token`` and runs in virtual time
    (``realtime=True`` for the wall clock) on an estimated media plane unless ``media`` is given."""

    def __init__(
        self,
        *,
        from_: str = DEFAULT_FROM,
        to: str = DEFAULT_TO,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        media: MediaPlane | None = None,
        realtime: bool = False,
        policy: FetchPolicy | None = None,
        backend: str = "asyncio",
    ) -> None:
        self.from_ = from_
        self.to = to
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.media = media
        self.realtime = realtime
        self.policy = policy or FetchPolicy()
        self.backend = backend
        self.calls: list[DrivenCall] = []
        self.switchboard = Switchboard(policy=self.policy, media=media, realtime=realtime)
        """Places the calls; they share its clients and, in virtual time, one clock."""
        self._stack = ExitStack()
        self._portal: BlockingPortal | None = None
        self._messaging = ExitStack()
        self._messengers: dict[int | str, Messenger] = {}

    # --- lifecycle ----------------------------------------------------------------------------
    def __enter__(self) -> CallSimulator:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def portal(self) -> BlockingPortal:
        """The event loop the calls run in (started on first use)."""
        if self._portal is None:
            self._portal = self._stack.enter_context(start_blocking_portal(self.backend))
        return self._portal

    def close(self) -> None:
        """Hang up calls still running, close the HTTP clients, stop the event loop."""
        if self._portal is None:
            return
        try:
            for call in self.calls:
                call.close()
            self._messaging.close()  # waits for the messages still being delivered
            self._portal.call(self.switchboard.aclose)
        finally:
            self._portal = None
            self._stack.close()

    # --- calls --------------------------------------------------------------------------------
    def call(
        self,
        target: Any = None,
        path: str = "/voice",
        *,
        twiml: str | bytes | None = None,
        method: str = "POST",
        from_: str | None = None,
        to: str | None = None,
        hangup_after: float | None = None,
        far_ends: FarEnds | Mapping[str, ScriptedFarEnd] | None = None,
        fetcher: Fetcher | None = None,
        **settings: Any,
    ) -> DrivenCall:
        """Start a call and return it, before anything ran.

        ``target`` is a URL (``http://127.0.0.1:8000/voice``; ``path`` is then ignored), an ASGI
        or WSGI app (called in-process at ``path``), or None with ``twiml`` (an inline document).
        ``settings`` are further ``CallSettings`` fields (``fallback_url``, ``status_callback``,
        ``direction``, ``max_documents``...); relative callback URLs resolve against the app.
        """
        portal = self.portal()
        url: str | None = None
        if target is None:
            if twiml is None:
                raise ValueError("call() needs a URL, an app, or twiml=")
        elif isinstance(target, str):
            url = target
        else:
            app = self.switchboard.serve_in_process(target)
            url = app.url(path)
            for name in ("fallback_url", "status_callback"):
                if isinstance(settings.get(name), str) and settings[name].startswith("/"):
                    settings[name] = app.url(settings[name])
            if fetcher is None:
                fetcher = self.switchboard.fetcher(self.auth_token, app=app)
        inline = twiml.encode("utf-8") if isinstance(twiml, str) else twiml
        call_settings = CallSettings(
            url=url,
            twiml=inline if url is None else None,
            method=method,
            from_=from_ or self.from_,
            to=to or self.to,
            account_sid=self.account_sid,
            auth_token=self.auth_token,
            **settings,
        )
        caller: DrivenCaller = portal.call(_new_caller, hangup_after)
        session = self.switchboard.session(
            call_settings, caller, fetcher=fetcher, far_ends=far_ends
        )
        call = DrivenCall(
            session, caller, portal, run=self.switchboard.run, waiting=self._others_let_go
        )
        self.calls.append(call)
        return call

    # --- messages ---------------------------------------------------------------------------------
    def message(
        self,
        target: Any,
        path: str = "/sms",
        *,
        body: str = "",
        media: Sequence[str] = (),
        from_: str | None = None,
        to: str | None = None,
    ) -> Conversation:
        """Text ``body`` to an SMS app and return the conversation, its reply already run.

        ``target`` is an SmsUrl (``http://127.0.0.1:8000/sms``; ``path`` is then ignored) or an
        ASGI or WSGI app (called in-process at ``path``). ``conversation.send(...)`` texts again,
        with the cookies the app set kept for the number pair.
        """
        conversation = self.conversation(target, path, from_=from_, to=to)
        return conversation.send(body, media)

    def conversation(
        self, target: Any, path: str = "/sms", *, from_: str | None = None, to: str | None = None
    ) -> Conversation:
        """A conversation with an SMS app, before any message (see ``message``)."""
        portal = self.portal()
        key: int | str
        if isinstance(target, str):
            url, key, app = target, target, None
        else:
            app = self.switchboard.serve_in_process(target)
            url, key = app.url(path), id(target)
        messenger = self._messengers.get(key)
        if messenger is None:
            board = self.switchboard

            def new_fetcher(url: str) -> Fetcher:
                policy = self.policy.for_first_url(url)
                return board.fetcher(self.auth_token, app=app, policy=policy)

            messenger = Messenger(
                account_sid=self.account_sid,
                new_fetcher=new_fetcher,
                time=MessagingTime(None if self.realtime else board.scheduler),
            )
            self._messaging.enter_context(portal.wrap_async_context_manager(messenger))
            self._messengers[key] = messenger
        return Conversation(messenger, portal, url, from_ or self.from_, to or self.to)

    @contextmanager
    def _others_let_go(self, caller: DrivenCaller) -> Iterator[None]:
        """While the test waits for one call, the calls waiting for the test's answers to their
        prompts (which cannot come meanwhile) let the shared clock go, and are paused: the time
        that passes for the call the test waits for does not pass for them."""
        paused = [call for call in self.calls if call.caller is not caller and call.caller.awaiting]
        scheduler = self.switchboard.scheduler
        started = scheduler.now()
        for _ in paused:
            scheduler.release()  # the clock may move on right here
        try:
            yield
        finally:
            elapsed = scheduler.now() - started
            for call in paused:
                scheduler.acquire()
                clock = call.session.base_clock
                if elapsed and isinstance(clock, SharedClock):
                    clock.pause(elapsed)


async def _new_caller(hangup_after: float | None) -> DrivenCaller:
    return DrivenCaller(hangup_after)
