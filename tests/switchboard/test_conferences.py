"""Conference rooms: when they start and end, who hears what, and the callbacks the app gets."""

from __future__ import annotations

from collections.abc import Mapping

from callbox.interpreter.rooms import MemberSpec
from callbox.switchboard.conferences import (
    REASON_LAST_LEFT,
    REASON_MODERATOR_LEFT,
    Conference,
    Participant,
)
from callbox.switchboard.rooms import Rooms, WallClockSignal


class Line:
    """One call's side of the room: what it heard and the callbacks it sent."""

    def __init__(self, sid: str) -> None:
        self.sid = sid
        self.heard: list[str] = []
        self.sent: list[dict[str, str]] = []

    def hears(self, kind: str, text: str) -> None:
        self.heard.append(kind)

    def sends(self, url: str, method: str, params: Mapping[str, str]) -> None:
        self.sent.append(dict(params, url=url))


def spec(line: Line, **options: object) -> MemberSpec:
    return MemberSpec(call_sid=line.sid, hears=line.hears, sends=line.sends, **options)  # type: ignore[arg-type]


def room() -> Conference:
    return Rooms(WallClockSignal, lambda: 0.0, "AC1").conference("standup")


def test_a_lone_caller_waits_and_the_second_one_starts_the_room() -> None:
    standup = room()
    alice, bob = Line("CAalice"), Line("CAbob")
    standup.join(spec(alice))
    assert not standup.started.is_set() and standup.status == "init"
    standup.join(spec(bob))
    assert standup.started.is_set() and standup.status == "in-progress"


def test_a_room_without_anyone_who_starts_it_keeps_waiting() -> None:
    standup = room()
    for sid in ("CA1", "CA2", "CA3"):
        standup.join(spec(Line(sid), start_on_enter=False))
    assert not standup.started.is_set()
    standup.join(spec(Line("CAhost"), start_on_enter=True))
    assert standup.started.is_set()


def test_the_moderator_leaving_ends_the_room_for_everyone() -> None:
    standup = room()
    host = Line("CAhost")
    others = [Line(f"CA{i}") for i in range(3)]
    joined = [standup.join(spec(line, start_on_enter=False)) for line in others]
    standup.join(spec(host, end_on_exit=True))
    standup.leave("CAhost")
    assert standup.ended.is_set() and standup.status == "completed"
    assert standup.reason_ended == REASON_MODERATOR_LEFT
    assert standup.call_sid_ending == "CAhost"
    assert all(isinstance(p, Participant) and p.removed.is_set() for p in joined)


def test_the_last_one_out_ends_the_room() -> None:
    standup = room()
    standup.join(spec(Line("CA1")))
    standup.join(spec(Line("CA2")))
    standup.leave("CA1")
    assert not standup.ended.is_set()
    standup.leave("CA2")
    assert standup.reason_ended == REASON_LAST_LEFT


def test_a_full_room_refuses_a_call() -> None:
    standup = room()
    standup.join(spec(Line("CA1"), max_participants=2))
    standup.join(spec(Line("CA2"), max_participants=2))
    assert standup.join(spec(Line("CA3"), max_participants=2)) == "full"


def test_others_hear_a_beep_when_someone_joins_or_leaves() -> None:
    standup = room()
    alice, bob, carol = Line("CAa"), Line("CAb"), Line("CAc")
    standup.join(spec(alice))
    standup.join(spec(bob))
    standup.join(spec(carol, beep="onEnter"))
    standup.leave("CAc")  # onEnter: no beep on the way out
    assert alice.heard.count("beep") == 1 and bob.heard.count("beep") == 1
    assert carol.heard.count("beep") == 0


def test_callbacks_go_to_the_first_callback_and_only_for_the_events_asked() -> None:
    standup = room()
    alice, bob = Line("CAa"), Line("CAb")
    standup.join(
        spec(
            alice,
            status_callback="http://app.test/events",
            status_callback_events=frozenset({"start", "end", "join"}),
        )
    )
    standup.join(spec(bob, status_callback="http://app.test/other"))
    standup.update("CAb", muted=True)  # mute was not asked for
    standup.end()
    assert alice.sent[-1]["StatusCallbackEvent"] != "conference-end"  # not before all left
    standup.leave("CAa")
    standup.leave("CAb")
    sent = alice.sent + bob.sent
    events = [params["StatusCallbackEvent"] for params in sent]
    assert events == ["participant-join", "participant-join", "conference-start", "conference-end"]
    assert {params["url"] for params in sent} == {"http://app.test/events"}
    assert [params["SequenceNumber"] for params in sent] == ["1", "2", "3", "4"]
    assert sent[-1]["ReasonConferenceEnded"] == "conference-ended-via-api"
    assert sent[0]["CallSid"] == "CAa" and sent[0]["ConferenceSid"] == standup.sid


def test_a_room_that_ended_is_not_reused_by_its_name() -> None:
    rooms = Rooms(WallClockSignal, lambda: 0.0, "AC1")
    first = rooms.conference("standup")
    first.end()
    assert rooms.conference("standup") is not first


def test_a_recorded_room_leaves_one_recording_from_its_start_to_its_end() -> None:
    clock = [0.0]
    recorded: list[object] = []
    rooms = Rooms(WallClockSignal, lambda: clock[0], "AC1", recorded.append)
    standup = rooms.conference("standup")
    standup.join(spec(Line("CAa"), record=True))
    clock[0] = 10.0
    standup.join(spec(Line("CAb")))  # the room starts: the recording with it
    clock[0] = 70.0
    standup.end()
    [recording] = standup.recordings
    assert recorded == [recording]
    assert (recording.call_sid, recording.duration) == ("CAa", 60.0)
    assert recording.conference_sid == standup.sid and recording.sid.startswith("RE")


def test_an_unrecorded_room_leaves_no_recording() -> None:
    standup = room()
    standup.join(spec(Line("CAa")))
    standup.join(spec(Line("CAb")))
    standup.end()
    assert standup.recordings == []


def test_an_announcement_reaches_every_call_and_ends_once_all_heard_it() -> None:
    standup = room()
    alice, bob = Line("CAa"), Line("CAb")
    events = frozenset({"announcement"})
    a = standup.join(
        spec(alice, status_callback="http://app.test/events", status_callback_events=events)
    )
    b = standup.join(spec(bob))
    assert isinstance(a, Participant) and isinstance(b, Participant)
    assert standup.announce("http://app.test/news")
    assert a.attention.is_set() and b.attention.is_set()
    assert a.take_announcements() == [("http://app.test/news", "POST")]
    assert not a.attention.is_set()  # armed again
    standup.announced("CAa", "http://app.test/news")
    assert not [p for p in alice.sent + bob.sent if p["StatusCallbackEvent"] == "announcement-end"]
    b.take_announcements()
    standup.announced("CAb", "http://app.test/news")
    ends = [p for p in alice.sent + bob.sent if p["StatusCallbackEvent"] == "announcement-end"]
    assert len(ends) == 1
