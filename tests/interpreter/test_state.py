"""The call state table: legal transitions move the status, illegal ones raise and change nothing."""

from __future__ import annotations

import copy
import pickle

import pytest

from callbox.interpreter.state import (
    END_EVENTS,
    TRANSITIONS,
    CallEvent,
    CallState,
    IllegalTransitionError,
    StatusEvent,
)
from callbox.interpreter.status import FINAL_STATUSES, CallStatus
from callbox.interpreter.timeline import Event


def test_inbound_call_rings_is_answered_and_completes() -> None:
    state = CallState()
    assert state.process(CallEvent.RING) is CallStatus.RINGING
    assert state.process(CallEvent.ANSWER) is CallStatus.IN_PROGRESS
    assert state.process(CallEvent.HANG_UP) is CallStatus.COMPLETED
    assert [t.event for t in state.history] == [CallEvent.RING, CallEvent.ANSWER, CallEvent.HANG_UP]
    assert state.answered and state.is_final


def test_outbound_call_is_dialed_before_it_rings() -> None:
    state = CallState()
    state.process(CallEvent.DIAL)
    assert state.status is CallStatus.INITIATED
    state.process(CallEvent.RING)
    assert state.process(CallEvent.BUSY) is CallStatus.BUSY
    assert not state.answered


@pytest.mark.parametrize(
    ("event", "final"),
    [
        (CallEvent.BUSY, CallStatus.BUSY),
        (CallEvent.NO_ANSWER, CallStatus.NO_ANSWER),
        (CallEvent.FAIL, CallStatus.FAILED),
        (CallEvent.CANCEL, CallStatus.CANCELED),
        (CallEvent.HANG_UP, CallStatus.CANCELED),
    ],
)
def test_ringing_call_can_end_without_an_answer(event: CallEvent, final: CallStatus) -> None:
    state = CallState(CallStatus.RINGING)
    assert state.process(event) is final
    assert not state.answered


def test_illegal_transition_names_status_and_event_and_changes_nothing() -> None:
    state = CallState()
    state.process(CallEvent.RING)
    state.process(CallEvent.ANSWER)
    with pytest.raises(IllegalTransitionError) as caught:
        state.process(CallEvent.BUSY)
    message = str(caught.value)
    assert "'in-progress'" in message and "'busy'" in message
    assert caught.value.status is CallStatus.IN_PROGRESS
    assert caught.value.event is CallEvent.BUSY
    assert state.status is CallStatus.IN_PROGRESS
    assert len(state.history) == 2


@pytest.mark.parametrize("final", sorted(FINAL_STATUSES))
@pytest.mark.parametrize("event", list(CallEvent))
def test_final_statuses_accept_no_event(final: CallStatus, event: CallEvent) -> None:
    state = CallState(final)
    assert not state.can(event)
    with pytest.raises(IllegalTransitionError, match="final status"):
        state.process(event)
    assert state.status is final


def test_every_final_status_is_reachable_from_queued() -> None:
    reachable = {CallStatus.QUEUED}
    frontier = [CallStatus.QUEUED]
    while frontier:
        status = frontier.pop()
        for (before, _), after in TRANSITIONS.items():
            if before is status and after not in reachable:
                reachable.add(after)
                frontier.append(after)
    assert reachable >= FINAL_STATUSES


def test_end_events_lead_from_in_progress_or_ringing_to_their_status() -> None:
    for status, event in END_EVENTS.items():
        ends = {TRANSITIONS.get((before, event)) for before in CallStatus}
        assert status in ends


def test_a_status_change_on_the_timeline_reads_as_the_plain_event_it_stands_for() -> None:
    state = CallState()
    state.process(CallEvent.RING)
    entry = StatusEvent(2.5, state.history[-1])
    plain = Event(2.5, "status", "queued → ringing (ring)", {"event": "ring", "status": "ringing"})
    assert entry == plain and plain == entry
    assert entry.as_dict() == plain.as_dict()
    assert entry.format() == plain.format()
    assert type(copy.deepcopy(entry)) is Event and copy.deepcopy(entry) == plain
    assert pickle.loads(pickle.dumps(entry)) == plain
    entry.data["status"] = "changed"  # a reader's copy: the entry itself does not change
    assert entry.data["status"] == "ringing"
