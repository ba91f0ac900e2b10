"""The call-centre and conference samples, served as ``callbox serve`` serves them, with callers
and agents placed through one switchboard in virtual time."""

from __future__ import annotations

from pathlib import Path

import anyio
from starlette.applications import Starlette

from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.http.app import ServerSettings, flow_routes
from callbox.interpreter.session import CallResult, CallSettings
from callbox.switchboard import Switchboard

SAMPLES = Path(__file__).parents[2] / "samples"
BASE = "http://testserver"


def run(calls: list[tuple[str, ScriptedCaller]]) -> list[CallResult]:
    app = Starlette(routes=flow_routes(ServerSettings(SAMPLES)))

    async def main() -> list[CallResult]:
        async with Switchboard() as board:
            served = board.serve_in_process(app, BASE)
            sessions = [
                board.session(
                    CallSettings(url=f"{BASE}/flows/{flow}"),
                    caller,
                    fetcher=board.fetcher("token", app=served),
                )
                for flow, caller in calls
            ]
            async with anyio.create_task_group() as group:
                for session in sessions:
                    board.start(group, session)
            return [s.result for s in sessions if s.result is not None]

    return anyio.run(main)


def test_the_support_samples_put_one_agent_through_to_one_of_two_callers() -> None:
    *callers, agent = run(
        [
            ("support-queue", ScriptedCaller(hangup_after=300)),
            ("support-queue", ScriptedCaller(hangup_after=300)),
            ("support-agent", ScriptedCaller(hangup_after=120)),
        ]
    )
    served = [c for c in callers if "Connecting you to an agent now." in c.timeline.heard()]
    [waiting] = [c for c in callers if c not in served]
    assert len(served) == 1 and "Thanks for calling. Goodbye." in served[0].timeline.heard()
    assert any("All our agents are busy" in text for text in waiting.timeline.heard())
    assert any(e.text.startswith("dequeued") for e in agent.timeline.of_kind("dial"))


def test_a_caller_presses_0_to_leave_the_queue_and_leave_a_message() -> None:
    [caller] = run([("support-queue", ScriptedCaller.from_answers([("press", "0")]))])
    heard = caller.timeline.heard()
    assert "Sorry we missed you. Please leave a message after the tone." in heard
    queue_results = [e.text for e in caller.timeline.of_kind("queue")]
    assert "QueueResult=leave" in queue_results


def test_the_team_conference_waits_for_its_moderator() -> None:
    member, moderator = run(
        [
            ("team-conference", ScriptedCaller()),
            ("team-conference-moderator", ScriptedCaller(hangup_after=60)),
        ]
    )
    texts = [e.text for e in member.timeline.of_kind("conference")]
    assert "conference team started" in texts
    assert any("participant-with-end-conference-on-exit-left" in text for text in texts)
    assert member.status.value == moderator.status.value == "completed"
