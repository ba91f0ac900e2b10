"""Queues, members, conferences and participants over REST with the official twilio client, on
a platform running on the wall clock (calls really wait in queues and rooms)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException

from callbox.records import Recording, RecordingSource, RecordingStatus
from callbox.store import MemoryStore, Query
from callbox.testing.contract import StrictTwin
from callbox.testing.twilio_http import twilio_client
from callbox.web.app import Platform

from .conftest import BASE_URL, SAMPLES, serve


def until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    """Wait for ``condition`` on the wall clock (generous: the machine may be loaded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("the condition never held")


def finished(client: Any, sid: str) -> Any:
    """The call once it has ended."""
    until(lambda: client.calls(sid).fetch().status in FINAL)
    return client.calls(sid).fetch()


FINAL = {"completed", "busy", "failed", "no-answer", "canceled"}
ENQUEUE = (
    "<Response><Enqueue waitUrl=''>support</Enqueue><Say>Back from the queue.</Say></Response>"
)
SENT_TO = "<Response><Say>You were sent here.</Say></Response>"


@pytest.fixture
def live(twin: StrictTwin) -> Iterator[tuple[Any, Platform]]:
    platform = Platform.start(MemoryStore(), SAMPLES, BASE_URL, realtime=True)
    account = platform.provisioned.account
    for http in serve(platform, twin):
        yield twilio_client(http, account.sid, account.auth_token, BASE_URL), platform


def test_queues_are_created_listed_fetched_updated_and_deleted(live: tuple[Any, Platform]) -> None:
    client, _ = live
    queue = client.queues.create(friendly_name="support", max_size=10)
    assert queue.sid.startswith("QU") and (queue.current_size, queue.max_size) == (0, 10)
    assert [q.sid for q in client.queues.list()] == [queue.sid]
    assert client.queues(queue.sid).update(max_size=20).max_size == 20
    with pytest.raises(TwilioRestException) as taken:
        client.queues.create(friendly_name="support")
    assert taken.value.code == 20001 and taken.value.status == 400
    client.queues(queue.sid).delete()
    assert client.queues.list() == []


def test_a_waiting_caller_is_a_member_and_can_be_sent_to_a_url(live: tuple[Any, Platform]) -> None:
    client, _ = live
    call = client.calls.create(to="+15005550006", from_="+15550100001", twiml=ENQUEUE)
    until(lambda: any(q.current_size == 1 for q in client.queues.list()))
    [queue] = client.queues.list()
    [member] = client.queues(queue.sid).members.list()
    assert (member.call_sid, member.position) == (call.sid, 1)
    assert client.queues(queue.sid).members("Front").fetch().call_sid == call.sid
    sent = (
        client.queues(queue.sid)
        .members(call.sid)
        .update(url=f"{BASE_URL}/flows/voicemail", method="POST")
    )
    assert sent.call_sid == call.sid
    assert finished(client, call.sid).status == "completed"
    assert client.queues(queue.sid).fetch().current_size == 0


def test_participants_join_by_rest_and_the_conference_ends_over_rest(
    live: tuple[Any, Platform],
) -> None:
    client, _ = live
    first = client.conferences("standup").participants.create(
        from_="+15550100001", to="+15005550006", muted=True
    )
    assert first.call_sid.startswith("CA") and first.status == "queued"
    until(lambda: len(client.conferences.list(friendly_name="standup")) == 1)
    [room] = client.conferences.list(friendly_name="standup")
    today = room.date_created.date()
    assert [c.sid for c in client.conferences.list(date_created=today)] == [room.sid]
    assert client.conferences.list(date_created_after=today + timedelta(days=1)) == []
    until(lambda: len(client.conferences(room.sid).participants.list()) == 1)
    assert client.conferences(room.sid).fetch().status == "init"
    second = client.conferences(room.sid).participants.create(
        from_="+15550100001", to="+15005550006"
    )
    until(lambda: client.conferences(room.sid).fetch().status == "in-progress")
    people = client.conferences(room.sid).participants.list()
    assert {p.call_sid for p in people} == {first.call_sid, second.call_sid}
    assert {p.call_sid: p.muted for p in people}[first.call_sid] is True
    changed = client.conferences(room.sid).participants(first.call_sid).update(muted=False)
    assert changed.muted is False
    client.conferences(room.sid).participants(second.call_sid).delete()
    until(lambda: len(client.conferences(room.sid).participants.list()) == 1)
    ended = client.conferences(room.sid).update(status="completed")
    assert ended.status == "completed"
    assert finished(client, first.call_sid).status == "completed"
    assert finished(client, second.call_sid).status == "completed"
    room = client.conferences(room.sid).fetch()
    assert room.reason_conference_ended == "conference-ended-via-api"


def test_an_unknown_conference_or_queue_is_twilios_404(live: tuple[Any, Platform]) -> None:
    client, _ = live
    for resource in (client.conferences("CF" + "0" * 32), client.queues("QU" + "0" * 32)):
        with pytest.raises(TwilioRestException) as missing:
            resource.fetch()
        assert (missing.value.status, missing.value.code) == (404, 20404)


def test_a_recorded_conference_leaves_a_recording_of_the_room(live: tuple[Any, Platform]) -> None:
    client, platform = live
    first = client.conferences("recorded").participants.create(
        from_="+15550100001", to="+15005550006", conference_record="record-from-start"
    )
    second = client.conferences("recorded").participants.create(
        from_="+15550100001", to="+15005550006"
    )
    until(lambda: any(c.status == "in-progress" for c in client.conferences.list()))
    [room] = client.conferences.list(friendly_name="recorded")
    client.conferences(room.sid).update(status="completed")
    finished(client, first.call_sid)
    finished(client, second.call_sid)
    query = Query(Recording, platform.provisioned.account.sid)
    [recording] = [r for r in platform.store.list(query).records if r.conference_sid == room.sid]
    assert recording.source is RecordingSource.CONFERENCE
    assert recording.call_sid == first.call_sid
    assert recording.status is RecordingStatus.COMPLETED
    audio = platform.store.recording_audio(recording.sid)
    assert audio is not None and audio.startswith(b"RIFF")
    [listed] = client.conferences(room.sid).recordings.list()
    assert (listed.sid, listed.source, listed.call_sid) == (
        recording.sid,
        "Conference",
        first.call_sid,
    )
    assert client.conferences(room.sid).recordings(recording.sid).fetch().conference_sid == room.sid
