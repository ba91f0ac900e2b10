"""Benchmark: many concurrent simulated calls through a five-step IVR against an in-process app,
placed through one ``Switchboard`` (its shared virtual clock, media plane and clients).

Prints calls per second, the interpreter's own cost per verb (the calls' wall time minus the
bare HTTP round trips, over the verbs run), and memory per call waiting at a ``<Gather>``
(tracemalloc), beside the baseline: the same requests sent straight with the client, in the same
run (best of ``--repeat`` alternating runs). Usage:
``.venv/bin/python bench/bench_calls.py [--calls 1000] [--repeat 3]``.

Recorded on the 2-core development machine (shared, noisy), 2026-11-27, best of 3:
1,000 calls in 2.59 s (387 calls/s, 6,000 documents); the same 6,000 bare round trips 0.94 s
(6,400 requests/s); 2.8x the bare round trips; interpreter cost ~137 µs per verb (12 verbs per
call: fetch bookkeeping and signing, parse, validation, model, session, verbs); 16.4 KiB per
call waiting at a <Gather>.
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.caller import Caller, CallerAction, InputPrompt, Press
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.session import CallResult, CallSettings
from callbox.interpreter.transports import InProcessApp, in_process
from callbox.switchboard import Switchboard

STEPS = 5
TOKEN = "bench-token"
VERBS_PER_CALL = 2 * STEPS + 2
"""Per step a document with <Gather><Say/></Gather><Redirect/> runs Gather and its Say (the
Redirect is never reached: the caller presses); the last document runs Say and Hangup."""
REQUESTS_PER_CALL = STEPS + 1


def ivr_app() -> Starlette:
    async def step(request: Request) -> Response:
        await request.form()
        number = int(request.path_params["number"])
        if number > STEPS:
            body = "<Response><Say>Thank you for calling. Goodbye.</Say><Hangup/></Response>"
        else:
            body = (
                f'<Response><Gather action="/step/{number + 1}" numDigits="1" timeout="10">'
                f"<Say>Menu {number}. Press 1 to continue.</Say></Gather>"
                f"<Redirect>/step/{number}</Redirect></Response>"
            )
        return Response(body, media_type="text/xml")

    return Starlette(routes=[Route("/step/{number:int}", step, methods=["POST"])])


def settings() -> CallSettings:
    return CallSettings(url="http://testserver/step/1", auth_token=TOKEN)


async def one_call(board: Switchboard, served: InProcessApp, caller: Caller) -> CallResult:
    """One call placed through the switchboard: its shared clock, media plane and clients."""
    return await board.call(settings(), caller, fetcher=board.fetcher(TOKEN, app=served))


async def run_calls(calls: int) -> tuple[float, list[CallResult]]:
    async with Switchboard() as board:
        served = board.serve_in_process(ivr_app())
        started = time.perf_counter()
        sessions = []
        async with anyio.create_task_group() as group:
            for _ in range(calls):
                session = board.session(
                    settings(),
                    ScriptedCaller([Press("1")] * STEPS),
                    fetcher=board.fetcher(TOKEN, app=served),
                )
                board.start(group, session)
                sessions.append(session)
        elapsed = time.perf_counter() - started
    return elapsed, [session.result for session in sessions if session.result is not None]


async def run_baseline(calls: int) -> float:
    """The same requests (same URLs, a form of the same size), straight through the client."""
    served = in_process(ivr_app())
    form = {
        "CallSid": "CA" + "0" * 32,
        "AccountSid": "AC" + "0" * 32,
        "From": "+15005550006",
        "To": "+15005551234",
        "CallStatus": "in-progress",
        "ApiVersion": "2010-04-01",
        "Direction": "inbound",
        "Digits": "1",
    }
    async with served.client:

        async def call() -> None:
            for number in range(1, REQUESTS_PER_CALL + 1):
                response = await served.client.post(f"http://testserver/step/{number}", data=form)
                response.raise_for_status()

        started = time.perf_counter()
        async with anyio.create_task_group() as group:
            for _ in range(calls):
                group.start_soon(call)
        return time.perf_counter() - started


class WaitingCaller:
    """Waits at its first prompt until released, then behaves like a scripted caller."""

    def __init__(self, arrived: list[int], release: anyio.Event) -> None:
        self.arrived = arrived
        self.release = release
        self.inner = ScriptedCaller([Press("1")] * STEPS)

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        if prompt.index == 0:
            self.arrived.append(1)
            await self.release.wait()
        return await self.inner.respond(prompt)

    def hangs_up_at(self) -> float | None:
        return None


async def measure_waiting(calls: int) -> float:
    """Bytes allocated per call while ``calls`` calls wait at their first ``<Gather>``."""
    arrived: list[int] = []
    ended: list[CallResult] = []
    release = anyio.Event()
    async with Switchboard() as board:
        served = board.serve_in_process(ivr_app())

        async def call() -> None:
            ended.append(await one_call(board, served, WaitingCaller(arrived, release)))

        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        async with anyio.create_task_group() as group:
            for _ in range(calls):
                group.start_soon(call)
            while len(arrived) + len(ended) < calls:  # a call that failed never arrives
                await anyio.sleep(0.01)
            gc.collect()
            waiting = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            release.set()
    early = [result for result in ended if result.timeline.of_kind("gather") == []]
    if early:
        raise SystemExit(
            f"{len(early)} calls ended before their first <Gather>:\n{early[0].timeline.format()}"
        )
    return (waiting - before) / calls


def check(results: list[CallResult], calls: int) -> None:
    bad = [r for r in results if r.status.value != "completed" or r.error_code is not None]
    says = {len(r.timeline.of_kind("say")) for r in results}
    if len(results) != calls or bad or says != {STEPS + 1}:
        sample = bad[0].timeline.format() if bad else ""
        raise SystemExit(
            f"calls did not run as expected: {len(results)} results, {len(bad)} bad, "
            f"say counts {sorted(says)}\n{sample}"
        )


async def main(calls: int, repeat: int) -> None:
    await run_calls(20)  # warm up: imports, schema compilation, code paths
    await run_baseline(20)
    baselines: list[float] = []
    runs: list[float] = []
    for _ in range(repeat):  # alternate, keep the best of each: the machine is shared and noisy
        baselines.append(await run_baseline(calls))
        elapsed, results = await run_calls(calls)
        check(results, calls)
        runs.append(elapsed)
    baseline, elapsed = min(baselines), min(runs)
    per_waiting = await measure_waiting(calls)
    requests = calls * REQUESTS_PER_CALL
    verbs = calls * VERBS_PER_CALL
    own = max(elapsed - baseline, 0.0)
    print(
        f"calls: {calls} concurrent, {STEPS}-step IVR, in-process ASGI app, estimated media "
        f"(best of {repeat}; calls {min(runs):.2f}-{max(runs):.2f} s, "
        f"baseline {min(baselines):.2f}-{max(baselines):.2f} s)"
    )
    print(f"  simulated calls:   {elapsed:7.3f} s  {calls / elapsed:8.1f} calls/s")
    print(
        f"  baseline (HTTP):   {baseline:7.3f} s  {requests / baseline:8.1f} requests/s "
        f"({requests} bare round trips, same URLs)"
    )
    print(
        f"  ratio:             {elapsed / baseline:7.2f}x the bare round trips "
        f"({REQUESTS_PER_CALL} requests and {VERBS_PER_CALL} verbs per call)"
    )
    print(f"  interpreter cost:  {own / verbs * 1e6:7.1f} µs per verb (excluding HTTP)")
    print(f"  memory per call waiting at a <Gather>: {per_waiting / 1024:.1f} KiB (tracemalloc)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()
    anyio.run(main, arguments.calls, arguments.repeat)
