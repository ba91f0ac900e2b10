"""The Starlette app ``callbox serve`` runs: the REST API over the store, hosted flow files,
recordings, and the test hooks; its lifespan runs the exchange that places the calls and the
messenger that sends and receives messages.

``Platform`` holds what the app shares: the store, the API context, the provisioned account and
numbers. Leaving the lifespan (a graceful shutdown) ends every live call and writes its record.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from callbox.api import ApiContext, api_routes
from callbox.api.provisioning import Provisioned, provision
from callbox.interpreter.fetch import make_client
from callbox.interpreter.http.app import ServerSettings, flow_routes
from callbox.interpreter.http.guard import GuardSettings, RequestGuard
from callbox.interpreter.http.templates import MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_SECONDS
from callbox.interpreter.media.plane import MediaPlane
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.settings import RECORDINGS
from callbox.messaging.messenger import Messenger
from callbox.network.charges import Charges
from callbox.network.exchange import Exchange
from callbox.store import Store
from callbox.switchboard.collector import settled_for_live_calls
from callbox.web.hooks import inbound_route
from callbox.web.messaging import running_messaging
from callbox.web.sms_hook import inbound_messages_route

DEFAULT_NUMBER_FLOWS = ("ivr-menu", "voicemail", "call-forwarding")
DEFAULT_SMS_FLOW = "sms-auto-reply"
"""The sample flows the first numbers answer with (when the flows directory has them)."""


@dataclass
class Platform:
    """One running platform: ``store`` and the account and numbers it was provisioned with."""

    store: Store
    provisioned: Provisioned
    flows_dir: Path
    public_url: str
    data_dir: Path | None = None
    realtime: bool = True
    media: MediaPlane | None = None
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    which: Callable[[str], str | None] = field(default=shutil.which, compare=False)
    client: httpx.AsyncClient | None = None
    """The HTTP client calls fetch through (one made for ``policy`` when None)."""
    exchange: Exchange | None = None
    charges: Charges | None = None
    """Routes and prices calls over the carriers (``$CALLBOX_CARRIERS`` or the sample when None)."""
    guard: GuardSettings = field(default_factory=GuardSettings)
    """Request limits for every route, credentials and signatures for the hosted flows."""
    max_template_output: int = MAX_TEMPLATE_OUTPUT
    max_template_seconds: float = MAX_TEMPLATE_SECONDS
    messenger: Messenger | None = None
    """Messaging while the platform runs (REST messages, inbound messages, replies)."""
    settle_collector: bool = False
    """Once started, set the garbage collector for many live calls while the platform runs
    (``collector.settled_for_live_calls``: start-up's objects frozen, full collections rarer),
    as ``callbox serve`` does."""
    context: ApiContext = field(init=False)

    def __post_init__(self) -> None:
        self.context = ApiContext(
            store=self.store,
            public_url=self.public_url,
            recordings_dir=self.data_dir / RECORDINGS if self.data_dir is not None else None,
        )
        if self.charges is None:
            self.charges = Charges.from_config()

    @classmethod
    def start(cls, store: Store, flows_dir: Path, public_url: str, **options: object) -> Platform:
        """The platform over ``store``: provisioned on its first start (numbers answering calls
        and messages with the sample flows), found again on later ones."""
        available = [name for name in DEFAULT_NUMBER_FLOWS if (flows_dir / f"{name}.xml").is_file()]
        first_url = f"{public_url}/flows/{available[0]}" if available else None
        sms = flows_dir / f"{DEFAULT_SMS_FLOW}.xml"
        sms_url = f"{public_url}/flows/{DEFAULT_SMS_FLOW}" if sms.is_file() else None
        provisioned = provision(store, voice_url=first_url, sms_url=sms_url)
        return cls(store, provisioned, flows_dir, public_url, **options)  # type: ignore[arg-type]

    def app(self) -> RequestGuard:
        @asynccontextmanager
        async def lifespan(app: Starlette) -> AsyncIterator[None]:
            async with AsyncExitStack() as stack:
                client = self.client
                if client is None:
                    client = await stack.enter_async_context(make_client(policy=self.policy))
                exchange = await stack.enter_async_context(
                    Exchange(
                        self.store,
                        client,
                        policy=self.policy,
                        media=self.media,
                        realtime=self.realtime,
                        public_url=self.public_url,
                        charges=self.charges,
                    )
                )
                self.exchange = exchange
                self.context.calls = exchange
                self.context.rooms = exchange.board.rooms
                self.messenger = await stack.enter_async_context(
                    running_messaging(
                        self.store,
                        client,
                        self.provisioned.account,
                        self.context,
                        policy=self.policy,
                        realtime=self.realtime,
                        charges=self.charges,
                    )
                )
                if self.settle_collector:
                    stack.enter_context(settled_for_live_calls())
                try:
                    yield
                finally:
                    self.context.calls = None
                    self.context.rooms = None
                    self.exchange = None
                    self.messenger = None

        routes: list[BaseRoute] = [
            *flow_routes(
                ServerSettings(
                    self.flows_dir,
                    public_url=self.public_url,
                    which=self.which,
                    max_template_output=self.max_template_output,
                    max_template_seconds=self.max_template_seconds,
                )
            ),
            inbound_route(lambda: self.exchange),
            inbound_messages_route(lambda: self.messenger),
            *api_routes(self.context),
        ]
        return RequestGuard(Starlette(routes=routes, lifespan=lifespan), self.guard)
