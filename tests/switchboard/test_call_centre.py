"""Calls that meet in queues and conference rooms, in virtual time, through one switchboard: a
call centre keeps strict first in, first out; a moderated conference ends when the moderator
leaves."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.session import CallResult, CallSession, CallSettings
from callbox.switchboard import Switchboard

BASE = "http://testserver"
Requests = list[tuple[str, dict[str, str]]]


def app(pages: dict[str, str], log: Requests) -> Starlette:
    """Serves ``pages`` by path (``{n}`` filled from the query), logging each request's form."""

    async def page(request: Request) -> Response:
        form = {key: str(value) for key, value in (await request.form()).items()}
        log.append((request.url.path, form))
        body = pages[request.url.path].replace("{n}", request.query_params.get("n", "0"))
        return Response(body, media_type="text/xml")

    return Starlette(routes=[Route(path, page, methods=["GET", "POST"]) for path in pages])


CALL_CENTRE = {
    "/caller": "<Response><Pause length='{n}'/>"
    "<Enqueue waitUrl='/wait' action='/after-queue'>support</Enqueue></Response>",
    "/wait": "<Response><Say>Please hold.</Say><Pause length='20'/></Response>",
    "/after-queue": "<Response><Hangup/></Response>",
    "/agent": "<Response><Dial timeLimit='60' timeout='30' action='/agent-done'>"
    "<Queue url='/connect'>support</Queue></Dial></Response>",
    "/connect": "<Response><Say>Connecting you to an agent.</Say></Response>",
    "/agent-done": "<Response><Redirect>/agent</Redirect></Response>",
}


Beside = Callable[[Switchboard, list[CallSession]], Awaitable[None]]
"""Something done beside the calls, in call time (a supervisor acting over REST would)."""


def run_calls(
    pages: dict[str, str],
    calls: list[tuple[str, ScriptedCaller]],
    log: Requests,
    beside: Beside | None = None,
) -> list[CallResult]:
    """Place ``calls`` (path, caller) through one switchboard; ``beside`` runs meanwhile,
    holding the shared clock from before it starts (``scheduler.sleep`` lets it go)."""

    async def main() -> list[CallResult]:
        async with Switchboard() as board:
            served = board.serve_in_process(app(pages, log))
            sessions = [
                board.session(
                    CallSettings(url=f"{BASE}{path}", max_documents=500),
                    caller,
                    fetcher=board.fetcher("token", app=served),
                )
                for path, caller in calls
            ]

            async def aside(work: Beside) -> None:
                try:
                    await work(board, sessions)
                finally:
                    board.scheduler.release()

            async with anyio.create_task_group() as group:
                for session in sessions:
                    board.start(group, session)
                if beside is not None:
                    board.scheduler.acquire()
                    group.start_soon(aside, beside)
            return [session.result for session in sessions if session.result is not None]

    return anyio.run(main)


def first(result: CallResult, kind: str, starts: str) -> float:
    return next(
        e.at for e in result.timeline.events if e.kind == kind and e.text.startswith(starts)
    )


def test_a_call_centre_of_50_callers_and_5_agents_serves_callers_first_in_first_out() -> None:
    log: Requests = []
    callers = [(f"/caller?n={n}", ScriptedCaller()) for n in range(1, 51)]
    agents = [("/agent", ScriptedCaller(hangup_after=1200)) for _ in range(5)]
    results = run_calls(CALL_CENTRE, callers + agents, log)
    served, staff = results[:50], results[50:]
    assert all(result.status.value == "completed" for result in results)

    enqueued = [first(result, "queue", "enqueued") for result in served]
    dequeued = [first(result, "queue", "dequeued") for result in served]
    assert enqueued == sorted(enqueued)  # caller n waited n seconds before queueing
    assert dequeued == sorted(dequeued), "a later caller was answered before an earlier one"
    # five agents, one minute a call: the 50th caller is answered in the tenth round
    assert 9 * 60 <= dequeued[-1] <= 10 * 60 + 5

    sids = {result.sid for result in served}
    after_queue = [form for path, form in log if path == "/after-queue"]
    assert sorted(form["CallSid"] for form in after_queue) == sorted(sids)
    assert {form["QueueResult"] for form in after_queue} == {"bridged"}
    connects = [form for path, form in log if path == "/connect"]
    assert sorted(form["CallSid"] for form in connects) == sorted(sids)
    assert all(form["DequeingCallSid"] in {r.sid for r in staff} for form in connects)
    bridged = [f for p, f in log if p == "/agent-done" and f["DialCallStatus"] == "completed"]
    assert sorted(form["DialCallSid"] for form in bridged) == sorted(sids)
    assert {form["DialCallDuration"] for form in bridged} == {"60"}
    waits = [form for path, form in log if path == "/wait"]
    assert {"QueuePosition", "QueueTime", "AvgQueueTime"} <= set(waits[0])
    # the wait music is requested again each time it ends (every ~21 s while a caller waits)
    last = [form for form in waits if form["CallSid"] == served[-1].sid]
    assert len(last) >= 20
    assert int(last[-1]["QueueTime"]) > int(last[0]["QueueTime"])


def test_a_caller_leaves_the_queue_with_leave_in_the_wait_music() -> None:
    log: Requests = []
    pages = {
        "/caller": "<Response><Enqueue waitUrl='/wait'>support</Enqueue>"
        "<Say>You left the queue.</Say></Response>",
        "/wait": "<Response><Say>Press any key to leave.</Say>"
        "<Gather numDigits='1' action='/leave'/></Response>",
        "/leave": "<Response><Leave/></Response>",
    }
    [result] = run_calls(pages, [("/caller", ScriptedCaller.from_answers([("press", "5")]))], log)
    assert "You left the queue." in result.timeline.heard()
    assert [path for path, _ in log] == ["/caller", "/wait", "/leave"]


def test_a_full_queue_sends_the_next_caller_to_the_action_with_queue_full() -> None:
    log: Requests = []
    pages = {
        "/caller": "<Response><Pause length='{n}'/>"
        "<Enqueue maxQueueSize='1' action='/full'>tiny</Enqueue></Response>",
        "/full": "<Response><Say>Sorry, we are busy.</Say></Response>",
    }
    calls = [("/caller?n=1", ScriptedCaller(hangup_after=100)), ("/caller?n=2", ScriptedCaller())]
    run_calls(pages, calls, log)
    results = [(form["QueueResult"], form["QueueTime"]) for path, form in log if path == "/full"]
    # the second caller finds the queue full; the first, queued at 1 s, hangs up at 100 s
    assert results == [("queue-full", "0"), ("hangup", "99")]


MODERATED = {
    "/member": "<Response><Dial action='/after'><Conference startConferenceOnEnter='false' "
    "waitUrl='/music' statusCallback='/events' statusCallbackEvent='start end join leave'>"
    "standup</Conference></Dial></Response>",
    "/moderator": "<Response><Pause length='30'/><Dial action='/after'>"
    "<Conference endConferenceOnExit='true'>standup</Conference></Dial></Response>",
    "/music": "<Response><Play>http://testserver/music.wav</Play><Pause length='5'/></Response>",
    "/after": "<Response><Hangup/></Response>",
    "/events": "<Response/>",
}


def test_a_conference_of_four_waits_for_its_moderator_and_ends_when_the_moderator_leaves() -> None:
    log: Requests = []
    members = [("/member", ScriptedCaller()) for _ in range(3)]
    moderator = ("/moderator", ScriptedCaller(hangup_after=90))
    results = run_calls(MODERATED, [*members, moderator], log)
    assert len(results) == 4
    for member in results[:3]:
        assert first(member, "conference", "conference standup started") == 30.0
        ended = first(member, "conference", "conference standup ended")
        assert ended == 90.0
        assert "participant-with-end-conference-on-exit-left" in next(
            e.text for e in member.timeline.events if e.text.startswith("conference standup ended")
        )
    afters = [form for path, form in log if path == "/after"]
    assert len(afters) == 4  # requested for the moderator too, who hung up (as Twilio does)
    assert {form["DialCallStatus"] for form in afters} == {"answered"}
    events = [form["StatusCallbackEvent"] for path, form in log if path == "/events"]
    assert events[:3] == ["participant-join"] * 3
    assert "conference-start" in events and events[-1] == "conference-end"
    assert any(path == "/music" for path, _ in log)


def test_an_announcement_is_played_to_everyone_in_the_conference() -> None:
    log: Requests = []
    pages = {
        "/member": "<Response><Dial><Conference>news</Conference></Dial></Response>",
        "/news": "<Response><Say>The office closes early today.</Say></Response>",
    }

    async def announcer(board: Switchboard, sessions: list[CallSession]) -> None:
        await board.scheduler.sleep(20)
        [room] = board.rooms.of(sessions[0].account_sid).conferences.values()
        room.announce(f"{BASE}/news")

    callers = [("/member", ScriptedCaller(hangup_after=60)) for _ in range(2)]
    results = run_calls(pages, callers, log, announcer)
    for result in results:
        assert "The office closes early today." in result.timeline.heard()
        [said] = [e for e in result.timeline.of_kind("say") if e.text.startswith("The office")]
        assert 20.0 <= said.at < 21.0
    assert [path for path, _ in log].count("/news") == 2


def test_a_call_put_on_hold_hears_the_hold_url_until_it_is_taken_off() -> None:
    log: Requests = []
    pages = {
        "/member": "<Response><Dial><Conference>desk</Conference></Dial></Response>",
        "/hold": "<Response><Say>Please hold.</Say><Pause length='5'/></Response>",
    }

    async def supervisor(board: Switchboard, sessions: list[CallSession]) -> None:
        await board.scheduler.sleep(10)
        [room] = board.rooms.of(sessions[0].account_sid).conferences.values()
        room.update(sessions[0].sid, hold=True, hold_music=(f"{BASE}/hold", "POST"))
        await board.scheduler.sleep(20)
        room.update(sessions[0].sid, hold=False)

    callers = [("/member", ScriptedCaller(hangup_after=60)) for _ in range(2)]
    held, other = run_calls(pages, callers, log, supervisor)
    holds = [e.at for e in held.timeline.of_kind("say") if e.text == "Please hold."]
    assert holds and holds[0] >= 10.0 and holds[-1] < 30.0
    assert len(holds) >= 3  # the hold document is requested again each time it ends
    assert "Please hold." not in other.timeline.heard()
    assert {path for path, _ in log if path == "/hold"} == {"/hold"}
