"""Conference rooms: ``<Dial><Conference>`` brings calls into a named room of the account.

A room starts once two calls are in it and one of them has ``startConferenceOnEnter``; until
then its calls hear the ``waitUrl``. It ends when a call with ``endConferenceOnExit`` leaves,
when the last call leaves, or over REST; everyone still in it is let go. Each change is a
conference status callback with Twilio's event names and parameters, sent to the
``statusCallback`` of the first call that joined with one (and for the events it asked for).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime

from callbox.interpreter import rooms

EVENT_NAMES: Mapping[str, tuple[str, ...]] = {
    "start": ("conference-start",),
    "end": ("conference-end",),
    "join": ("participant-join",),
    "leave": ("participant-leave",),
    "mute": ("participant-mute", "participant-unmute"),
    "hold": ("participant-hold", "participant-unhold"),
    "modify": ("participant-modify",),
    "speaker": ("participant-speech-start", "participant-speech-stop"),
    "announcement": ("announcement-end", "announcement-fail"),
}
"""``statusCallbackEvent`` values and the ``StatusCallbackEvent`` names each one asks for."""

REASON_API = "conference-ended-via-api"
REASON_MODERATOR_LEFT = "participant-with-end-conference-on-exit-left"
REASON_MODERATOR_KICKED = "participant-with-end-conference-on-exit-kicked"
REASON_LAST_LEFT = "last-participant-left"
REASON_LAST_KICKED = "last-participant-kicked"


@dataclass(frozen=True, slots=True)
class ConferenceRecording:
    """What ``record="record-from-start"`` made: the room from its start to its end. In
    simulation the calls make no sound, so its audio is silence of that length."""

    sid: str
    conference_sid: str
    account_sid: str
    call_sid: str
    """The call that asked for the recording (the first to join with ``record``)."""
    started: datetime
    duration: float


class ConferenceStatus:
    INIT = "init"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"


class Participant:
    """One call in a room (``rooms.Member``), with what REST shows of it."""

    def __init__(
        self,
        spec: rooms.MemberSpec,
        removed: rooms.Signal,
        new_signal: Callable[[], rooms.Signal],
    ) -> None:
        self.spec = spec
        self.call_sid = spec.call_sid
        self.label = spec.label
        self.muted = spec.muted
        self.hold = False
        self.coaching = spec.coach is not None
        self.call_sid_to_coach = spec.coach
        self.status = "connected"
        self.removed = removed
        self.kicked = False
        self._new_signal = new_signal
        self.attention = new_signal()
        self.hold_music: tuple[str, str] | None = None
        """The ``HoldUrl`` (and method) the call hears while on hold."""
        self._announcements: list[tuple[str, str]] = []
        self.date_created = datetime.now(UTC)
        self.date_updated = self.date_created

    def release(self) -> None:
        """The call leaves the room from outside (the room ended, or it was kicked)."""
        self.removed.set()
        self.attention.set()

    def announce(self, url: str, method: str) -> None:
        self._announcements.append((url, method))
        self.attention.set()

    def take_announcements(self) -> list[tuple[str, str]]:
        taken, self._announcements = self._announcements, []
        self.attention = self._new_signal()
        if self.removed.is_set():
            self.attention.set()
        return taken


@dataclass
class Conference:
    """One room (``rooms.ConferenceRoom``)."""

    sid: str
    friendly_name: str
    account_sid: str
    new_signal: Callable[[], rooms.Signal]
    date_created: datetime = field(default_factory=lambda: datetime.now(UTC))
    status: str = ConferenceStatus.INIT
    region: str = "us1"
    reason_ended: str | None = None
    call_sid_ending: str | None = None
    participants: dict[str, Participant] = field(default_factory=dict)
    everyone: list[Participant] = field(default_factory=list)
    """Every call that was ever in the room, in the order they joined (REST lists the present)."""
    recordings: list[ConferenceRecording] = field(default_factory=list)
    on_recording: Callable[[ConferenceRecording], None] | None = None
    """Told of each recording when the room ends (the platform stores it)."""
    now: Callable[[], float] = field(default=lambda: 0.0)
    """Seconds on the rooms' clock (call time, or the wall clock), for recording lengths."""
    _recorder: str | None = None
    _started_at: tuple[float, datetime] | None = None
    _announcing: dict[str, int] = field(default_factory=dict)
    """Announcements playing now, by URL: how many calls have yet to hear them to the end."""
    _callback: tuple[str, str, frozenset[str]] | None = None
    _sender: Callable[[str, str, Mapping[str, str]], None] | None = None
    _sequence: int = 0

    def __post_init__(self) -> None:
        self.started = self.new_signal()
        self.ended = self.new_signal()
        self.date_updated = self.date_created

    # --- calls come and go -----------------------------------------------------------------
    def join(self, spec: rooms.MemberSpec) -> Participant | str:
        if self.ended.is_set():
            return "ended"
        if len(self.participants) >= spec.max_participants:
            return "full"
        if not self.account_sid:
            self.account_sid = spec.account_sid
        if spec.region and not self.participants:
            self.region = spec.region
        participant = Participant(spec, self.new_signal(), self.new_signal)
        self.participants[spec.call_sid] = participant
        self.everyone.append(participant)
        if self._recorder is None and spec.record:
            self._recorder = spec.call_sid
        if self._callback is None and spec.status_callback:
            self._callback = (
                spec.status_callback,
                spec.status_callback_method,
                spec.status_callback_events,
            )
        self._sender = spec.sends
        self._touch()
        self._notify("participant-join", participant)
        if self.started.is_set():
            self._beep_for(participant, entering=True)
        elif len(self.participants) >= 2 and any(
            p.spec.start_on_enter for p in self.participants.values()
        ):
            self._start()
        return participant

    def leave(self, call_sid: str, reason: str = "hangup") -> None:
        participant = self.participants.pop(call_sid, None)
        if participant is None:
            return
        participant.status = "complete"
        participant.date_updated = datetime.now(UTC)
        self._sender = participant.spec.sends
        self._touch()
        self._notify("participant-leave", participant)
        if self.ended.is_set():
            if not self.participants:
                self._notify("conference-end", None)  # once everyone has left, as Twilio does
            return
        if participant.spec.end_on_exit and self.started.is_set():
            kicked = participant.kicked
            self.end(REASON_MODERATOR_KICKED if kicked else REASON_MODERATOR_LEFT, call_sid)
        elif not self.participants:
            self.end(REASON_LAST_KICKED if participant.kicked else REASON_LAST_LEFT, call_sid)
        elif self.started.is_set():
            self._beep_for(participant, entering=False)

    def kick(self, call_sid: str) -> bool:
        """REST: remove the call from the room (its ``<Dial>`` goes on after it)."""
        participant = self.participants.get(call_sid)
        if participant is None:
            return False
        participant.kicked = True
        participant.release()
        return True

    def end(self, reason: str = REASON_API, by: str | None = None) -> None:
        """End the room: every call still in it leaves it."""
        if self.ended.is_set():
            return
        self.reason_ended, self.call_sid_ending = reason, by
        self.status = ConferenceStatus.COMPLETED
        self._save_recording()
        self._touch()
        self.started.set()  # a call still waiting for the start stops waiting
        self.ended.set()
        for participant in list(self.participants.values()):
            participant.release()
        if not self.participants:
            self._notify("conference-end", None)

    def _save_recording(self) -> None:
        if self._recorder is None or self._started_at is None:
            return  # nobody asked for one, or the room never started
        since, started = self._started_at
        recording = ConferenceRecording(
            "RE" + uuid.uuid4().hex,
            self.sid,
            self.account_sid,
            self._recorder,
            started,
            max(0.0, self.now() - since),
        )
        self.recordings.append(recording)
        if self.on_recording is not None:
            self.on_recording(recording)

    # --- REST updates ------------------------------------------------------------------------
    def modify(
        self, call_sid: str, *, coaching: bool | None = None, call_sid_to_coach: str | None = None
    ) -> bool:
        """REST: change whom the call coaches (``participant-modify``)."""
        participant = self.participants.get(call_sid)
        if participant is None:
            return False
        if coaching is not None:
            participant.coaching = coaching
        if call_sid_to_coach:
            participant.call_sid_to_coach = call_sid_to_coach
        participant.date_updated = datetime.now(UTC)
        self._notify("participant-modify", participant)
        return True

    def announce(self, url: str, method: str = "POST", call_sid: str | None = None) -> bool:
        """REST ``AnnounceUrl``: the calls in the room (or the one ``call_sid``) hear the
        document at ``url``; ``announcement-end`` once they all have."""
        targets = [
            p for p in self.participants.values() if call_sid is None or p.call_sid == call_sid
        ]
        if not targets:
            return False
        self._announcing[url] = self._announcing.get(url, 0) + len(targets)
        for participant in targets:
            participant.announce(url, method)
        return True

    def announced(self, call_sid: str, url: str) -> None:
        left = self._announcing.get(url, 0) - 1
        if left > 0:
            self._announcing[url] = left
            return
        self._announcing.pop(url, None)
        self._notify("announcement-end", None)

    def update(
        self,
        call_sid: str,
        *,
        muted: bool | None = None,
        hold: bool | None = None,
        hold_music: tuple[str, str] | None = None,
    ) -> bool:
        """REST: mute or unmute the call; put it on hold (hearing ``hold_music``, the
        ``HoldUrl`` and its method, when given) or take it off."""
        participant = self.participants.get(call_sid)
        if participant is None:
            return False
        if hold_music is not None:
            participant.hold_music = hold_music
        if muted is not None and muted != participant.muted:
            participant.muted = muted
            self._notify("participant-mute" if muted else "participant-unmute", participant)
            participant.spec.hears("note", "muted" if muted else "unmuted")
        if hold is not None and hold != participant.hold:
            participant.hold = hold
            self._notify("participant-hold" if hold else "participant-unhold", participant)
            participant.spec.hears("note", "on hold" if hold else "off hold")
            participant.attention.set()  # its call starts or stops the hold music
        participant.date_updated = datetime.now(UTC)
        return True

    # --- what the calls hear and the app is told ---------------------------------------------
    def _start(self) -> None:
        self._started_at = (self.now(), datetime.now(UTC))
        self.status = ConferenceStatus.IN_PROGRESS
        self._touch()
        self.started.set()
        self._notify("conference-start", None)
        for participant in self.participants.values():
            participant.spec.hears("conference", f"conference {self.friendly_name} started")

    def _beep_for(self, who: Participant, *, entering: bool) -> None:
        beep = who.spec.beep
        if beep == "true" or beep == ("onEnter" if entering else "onExit"):
            for participant in self.participants.values():
                if participant is not who:
                    participant.spec.hears("beep", "beep")

    def _touch(self) -> None:
        self.date_updated = datetime.now(UTC)

    def _notify(self, event: str, participant: Participant | None) -> None:
        if self._callback is None or self._sender is None:
            return
        url, method, wanted = self._callback
        asked = {name for value in wanted for name in EVENT_NAMES.get(value, ())}
        if event not in asked:
            return
        self._sequence += 1
        params = {
            "AccountSid": self.account_sid,
            "ConferenceSid": self.sid,
            "FriendlyName": self.friendly_name,
            "StatusCallbackEvent": event,
            "SequenceNumber": str(self._sequence),
            "Timestamp": format_datetime(datetime.now(UTC), usegmt=True),
        }
        if participant is not None:
            params.update(
                CallSid=participant.call_sid,
                Muted=_flag(participant.muted),
                Hold=_flag(participant.hold),
                Coaching=_flag(participant.coaching),
                EndConferenceOnExit=_flag(participant.spec.end_on_exit),
                StartConferenceOnEnter=_flag(participant.spec.start_on_enter),
            )
            if participant.label:
                params["ParticipantLabel"] = participant.label
        if event == "conference-end":
            params["ReasonConferenceEnded"] = self.reason_ended or REASON_API
            if self.call_sid_ending:
                params["CallSidEndingConference"] = self.call_sid_ending
        self._sender(url, method, params)


def _flag(value: bool) -> str:
    return "true" if value else "false"
