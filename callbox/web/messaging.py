"""The served platform's messaging: one ``Messenger`` for the provisioned account, fetching
through the platform's HTTP client, finding where each number's messages go in the store and
recording every message there; the REST API's ``Messages.create`` sends through it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from callbox.api.context import ApiContext, ignore_message
from callbox.interpreter.fetch import HttpFetcher
from callbox.interpreter.policy import FetchPolicy
from callbox.messaging.messenger import Messenger
from callbox.messaging.numbers import routes_in
from callbox.messaging.recorder import MessageRecorder
from callbox.messaging.time import MessagingTime
from callbox.network.charges import Charges
from callbox.network.message_charges import MessageCharging
from callbox.records import Account
from callbox.store import Store
from callbox.switchboard import Scheduler


@asynccontextmanager
async def running_messaging(
    store: Store,
    client: httpx.AsyncClient,
    account: Account,
    context: ApiContext,
    *,
    policy: FetchPolicy,
    realtime: bool,
    charges: Charges | None = None,
) -> AsyncIterator[Messenger]:
    """Messaging while the platform runs: the API's message hook sends through it; leaving it
    waits for the messages still being delivered. With ``charges``, each message record gets
    its price and carrier routing as it is sent (or received)."""

    def new_fetcher(url: str) -> HttpFetcher:
        return HttpFetcher(client, auth_token=account.auth_token, policy=policy.for_first_url(url))

    messenger = Messenger(
        account_sid=account.sid,
        new_fetcher=new_fetcher,
        time=MessagingTime(None if realtime else Scheduler()),
        find_route=routes_in(store),
    )
    recorder = MessageRecorder(store, messenger)
    if charges is not None:  # after the recorder: it prices the records the recorder keeps
        charging = MessageCharging(store, charges)
        messenger.sender.observers.append(charging.observe)
        messenger.inbound_observers.append(charging.record_inbound)
    async with messenger:
        context.send_message = recorder.send
        try:
            yield messenger
        finally:
            context.send_message = ignore_message
