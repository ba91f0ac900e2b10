"""Benchmark: inbound messages through an SMS bot in-process, each run through the whole
exchange (Twilio's parameters, signature, the pair's cookies, the reply document parsed and
validated, its <Message> segmented and queued, then delivered with three status callbacks on
virtual time), beside the baseline: the same webhook requests and callbacks sent straight with
the in-process client, in the same run (best of ``--repeat`` alternating runs). Usage:
``.venv/bin/python bench/bench_messaging.py [--messages 2000] [--repeat 3]``.

Recorded on the 2-core development machine (shared with other engineers' test runs, noisy),
2026-12-03, best of 3: 1,000 messages in 4.17 s (240 messages/s); the same 4,000 bare round trips
1.08 s (3,688 requests/s, 922 messages/s); 3.8x the bare round trips, ~3.1 ms of messaging's own
work per message (the document checked in a worker thread, signing, the pair's cookies, the
request log, segmenting, queueing, three status transitions on virtual time). With 2,000
messages: 194 messages/s against 677, 3.5x.
"""

from __future__ import annotations

import argparse
import time

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.transports import in_process
from callbox.messaging.messenger import Messenger
from callbox.messaging.rates import SendingRates
from callbox.messaging.time import MessagingTime
from callbox.switchboard import Switchboard

TOKEN = "bench-token"
BASE = "http://testserver"
CALLBACKS_PER_MESSAGE = 3
"""sending, sent and delivered (the first status, queued, has no callback)."""


def bot() -> Starlette:
    async def sms(request: Request) -> Response:
        form = await request.form()
        body = (
            '<Response><Message action="/status">You said: '
            f"{form.get('Body', '')}</Message></Response>"
        )
        return Response(body, media_type="text/xml")

    async def status(request: Request) -> Response:
        await request.form()
        return Response(status_code=204)

    return Starlette(
        routes=[Route("/sms", sms, methods=["POST"]), Route("/status", status, methods=["POST"])]
    )


async def through_messenger(count: int) -> float:
    app = bot()
    board = Switchboard()
    served = board.serve_in_process(app, BASE)
    messenger = Messenger(
        account_sid="AC" + "0" * 32,
        new_fetcher=lambda url: board.fetcher(TOKEN, app=served),
        time=MessagingTime(board.scheduler),
        rates=SendingRates(by_sender={"+15005550100": 1_000_000.0}),
    )
    started = time.perf_counter()
    async with messenger:
        for index in range(count):
            phone = f"+1415555{index % 10_000:04d}"
            await messenger.receive(phone, "+15005550100", f"hello {index}", url=BASE + "/sms")
        await messenger.drain()
    elapsed = time.perf_counter() - started
    await board.aclose()
    return elapsed


async def bare(count: int) -> float:
    client = in_process(bot(), BASE).client
    form = {"From": "+14155550000", "To": "+15005550100", "Body": "hello"}
    started = time.perf_counter()
    for index in range(count):
        response = await client.post(BASE + "/sms", data={**form, "Body": f"hello {index}"})
        response.read()
        for _ in range(CALLBACKS_PER_MESSAGE):
            (await client.post(BASE + "/status", data=form)).read()
    elapsed = time.perf_counter() - started
    await client.aclose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = args.messages
    best_messages = best_bare = float("inf")
    for _ in range(args.repeat):
        best_messages = min(best_messages, anyio.run(through_messenger, count))
        best_bare = min(best_bare, anyio.run(bare, count))
    requests = count * (1 + CALLBACKS_PER_MESSAGE)
    print(f"{count} inbound messages, each answered by one <Message> and its 3 status callbacks")
    print(f"  through the exchange: {best_messages:.2f} s, {count / best_messages:,.0f} messages/s")
    print(
        f"  bare round trips:     {best_bare:.2f} s for the same {requests:,} requests, "
        f"{requests / best_bare:,.0f} requests/s ({count / best_bare:,.0f} messages/s)"
    )
    print(f"  ratio: {best_messages / best_bare:.1f}x the bare round trips")
    per = (best_messages - best_bare) / count * 1e6
    print(f"  messaging's own cost: ~{per:,.0f} µs per message (parse, segment, queue, deliver)")


if __name__ == "__main__":
    main()
