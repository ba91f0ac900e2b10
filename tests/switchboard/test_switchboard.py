"""Calls placed through one ``Switchboard``: one clock for all of them (a slow fetch holds it, a
call can wait for another in call time), one registry of live calls, one set of clients."""

from __future__ import annotations

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.caller import CallerAction, InputPrompt, Press
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.session import CallResult, CallSession, CallSettings
from callbox.switchboard import CallTimeEvent, Switchboard

BASE = "http://testserver"


def app(log: list[str], pages: dict[str, str], slow: float = 0.0) -> Starlette:
    """Serves ``pages`` by path, logging each request as it starts and ends; ``/slow`` takes
    ``slow`` seconds of real time to answer."""

    async def page(request: Request) -> Response:
        path = request.url.path
        log.append(f"{path} asked")
        if path == "/slow":
            await anyio.sleep(slow)
        log.append(f"{path} answered")
        return Response(pages[path], media_type="text/xml")

    return Starlette(routes=[Route(path, page, methods=["POST"]) for path in pages])


def test_a_slow_fetch_holds_the_clock_of_every_call_on_the_switchboard() -> None:
    log: list[str] = []
    pages = {
        "/slow": "<Response><Say>At last.</Say></Response>",
        "/pause": "<Response><Pause length='1'/><Redirect>/after-pause</Redirect></Response>",
        "/after-pause": "<Response><Hangup/></Response>",
    }

    async def main() -> list[CallResult]:
        async with Switchboard() as board:
            served = board.serve_in_process(app(log, pages, slow=0.3))
            sessions = [
                board.session(
                    CallSettings(url=f"{BASE}{path}"),
                    ScriptedCaller([]),
                    fetcher=board.fetcher("token", app=served),
                )
                for path in ("/slow", "/pause")
            ]
            async with anyio.create_task_group() as group:
                for session in sessions:
                    board.start(group, session)
            return [session.result for session in sessions if session.result]

    slow, paused = anyio.run(main)
    # the one-second pause ends in call time only once the slow fetch has come back
    assert log.index("/slow answered") < log.index("/after-pause asked")
    assert paused.timeline.of_kind("status")[-1].at >= 1.0
    assert slow.status.value == paused.status.value == "completed"


class WaitsForAgent:
    """A caller who answers their menu only once the agent is ready (an event set by the agent's
    call, in call time), then presses 1."""

    def __init__(self, ready: CallTimeEvent) -> None:
        self.ready = ready

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        await self.ready.wait()
        return Press("1")

    def hangs_up_at(self) -> float | None:
        return None


class AgentGetsReady:
    """The agent's side: at its first prompt (after a 30 s pause), it says it is ready."""

    def __init__(self, ready: CallTimeEvent) -> None:
        self.ready = ready

    async def respond(self, prompt: InputPrompt) -> CallerAction:
        self.ready.set()
        return Press("9")

    def hangs_up_at(self) -> float | None:
        return None


def test_a_call_waits_in_call_time_for_an_event_another_call_sets() -> None:
    log: list[str] = []
    pages = {
        "/customer": "<Response><Gather numDigits='1' timeout='60' action='/done'/></Response>",
        "/agent": "<Response><Pause length='30'/><Gather numDigits='1' action='/done'/></Response>",
        "/done": "<Response><Hangup/></Response>",
    }

    async def main() -> tuple[CallSession, CallSession]:
        async with Switchboard() as board:
            served = board.serve_in_process(app(log, pages))
            ready = board.event()
            customer = board.session(
                CallSettings(url=f"{BASE}/customer"),
                WaitsForAgent(ready),
                fetcher=board.fetcher("token", app=served),
            )
            agent = board.session(
                CallSettings(url=f"{BASE}/agent"),
                AgentGetsReady(ready),
                fetcher=board.fetcher("token", app=served),
            )
            async with anyio.create_task_group() as group:
                board.start(group, customer)
                board.start(group, agent)
                await anyio.lowlevel.checkpoint()
                assert set(board.live) == {customer.sid, agent.sid}
            assert board.live == {}
            return customer, agent

    customer, agent = anyio.run(main)
    assert customer.result is not None and agent.result is not None
    pressed = customer.result.timeline.of_kind("input")
    assert [(event.at, event.text) for event in pressed] == [(30.0, "caller presses 1 at 30.00 s")]
    assert agent.result.timeline.of_kind("input")[0].at == 30.0
    done = customer.result.requests[-1]
    assert (done.url, done.at, done.request.params["Digits"]) == (f"{BASE}/done", 30.0, "1")
