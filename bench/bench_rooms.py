"""Benchmark: what joining a conference costs, beside bare HTTP round trips to the same app.

``--calls`` calls dial one conference room through one ``Switchboard`` (virtual time): each
fetches its document, joins, waits for the moderator's start, stays until the moderator leaves,
and requests its action. The baseline is the same number of requests (two per call: the document
and the action) sent straight with the in-process client, in the same run. Prints the wall time
of both, the cost of a join (the calls' time minus the bare round trips, per call) and the ratio.
Usage: ``.venv/bin/python bench/bench_rooms.py [--calls 200] (at most 250, Twilio's maxParticipants) [--repeat 3]``.
"""

from __future__ import annotations

import argparse
import time

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.session import CallSettings
from callbox.switchboard import Switchboard

BASE = "http://bench.test"
PAGES = {
    "/member": "<Response><Dial action='/after'><Conference startConferenceOnEnter='false' "
    "waitUrl=''>room</Conference></Dial></Response>",
    "/moderator": "<Response><Pause length='5'/><Dial action='/after'>"
    "<Conference endConferenceOnExit='true'>room</Conference></Dial></Response>",
    "/after": "<Response><Hangup/></Response>",
}
REQUESTS_PER_CALL = 2


def app() -> Starlette:
    async def page(request: Request) -> Response:
        await request.form()
        return Response(PAGES[request.url.path], media_type="text/xml")

    return Starlette(routes=[Route(path, page, methods=["POST"]) for path in PAGES])


async def conference(calls: int) -> float:
    async with Switchboard() as board:
        served = board.serve_in_process(app(), BASE)
        sessions = [
            board.session(
                CallSettings(url=f"{BASE}/member"),
                ScriptedCaller(),
                fetcher=board.fetcher("token", app=served),
            )
            for _ in range(calls - 1)
        ]
        sessions.append(
            board.session(
                CallSettings(url=f"{BASE}/moderator"),
                ScriptedCaller(hangup_after=60),
                fetcher=board.fetcher("token", app=served),
            )
        )
        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for session in sessions:
                board.start(group, session)
        elapsed = time.perf_counter() - started
        joined = sum(
            1
            for session in sessions
            if session.result and session.result.timeline.of_kind("conference")
        )
        assert joined == calls, f"only {joined} of {calls} calls joined"
        return elapsed


async def bare(calls: int) -> float:
    async with Switchboard() as board:
        client = board.serve_in_process(app(), BASE).client
        started = time.perf_counter()

        async def one(path: str) -> None:
            await client.post(f"{BASE}{path}", data={"CallSid": "CA0"})
            await client.post(f"{BASE}/after", data={"CallSid": "CA0"})

        async with anyio.create_task_group() as group:
            for _ in range(calls):
                group.start_soon(one, "/member")
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rooms, baseline = [], []
    for _ in range(args.repeat):
        rooms.append(anyio.run(conference, args.calls))
        baseline.append(anyio.run(bare, args.calls))
    best, floor = min(rooms), min(baseline)
    print(f"{args.calls} calls joined one conference in {best:.3f} s (best of {args.repeat})")
    print(
        f"the same {args.calls * REQUESTS_PER_CALL} bare round trips: {floor:.3f} s "
        f"({args.calls * REQUESTS_PER_CALL / floor:,.0f} requests/s)"
    )
    print(f"join cost beyond the round trips: {(best - floor) / args.calls * 1e6:,.0f} µs per call")
    print(f"ratio to bare round trips: {best / floor:.2f}x")


if __name__ == "__main__":
    main()
