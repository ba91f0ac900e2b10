"""The timeline of a call: what the caller heard and did, each request, each warning and error.

Events are frozen records stamped with call time (``at``, seconds from the start), kept in call-time
order. An event known ahead of time (the caller's key press, decided when the caller is asked) is
announced with ``expect`` and written when call time reaches it. The text form is what
``callbox call`` prints; ``as_dict`` is its JSON form.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from callbox.interpreter.quick_init import quick_init


@quick_init
@dataclass(frozen=True, slots=True)
class Event:
    """One thing that happened on a call.

    ``kind`` is one of: ``status`` (call status change), ``request`` (HTTP request to the app, with
    method/url/status_code), ``say``, ``play``, ``tones``, ``pause``, ``silence``, ``input``
    (the caller pressed, said, stayed silent or hung up), ``record``, ``dial``, ``message``,
    ``callback`` (status callback sent), ``warning``, ``error``, ``note``.
    """

    at: float
    kind: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def format(self) -> str:
        return f"{self.at:8.2f}s  {self.kind:<8} {self.text}"


class DerivedEvent(Event):
    """An event whose text and data are written, when read, from a record the call keeps anyway
    (a request's exchange, a status change): thousands of live calls then hold no second copy
    of each. It reads, compares, converts and copies as the plain ``Event`` it stands for.
    Subclasses define ``text`` and ``data``."""

    __slots__ = ()

    def __init__(self, at: float, kind: str) -> None:
        object.__setattr__(self, "at", at)
        object.__setattr__(self, "kind", kind)

    @property
    def text(self) -> str:
        raise NotImplementedError

    @property
    def data(self) -> dict[str, Any]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Event):
            return NotImplemented
        return (self.at, self.kind, self.text, self.data) == (
            other.at,
            other.kind,
            other.text,
            other.data,
        )

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[Event], tuple[float, str, str, dict[str, Any]]]:
        """Copied or pickled as the plain event it reads as."""
        return Event, (self.at, self.kind, self.text, self.data)


class Timeline:
    """An append-only list of events, in call-time order. Listeners (``subscribe``) see each
    event as it is written, which is how ``callbox call`` prints the call while it runs."""

    __slots__ = ("_expected", "_listeners", "events")

    def __init__(self) -> None:
        self.events: list[Event] = []
        self._expected: list[tuple[float, int, Event]] | None = None  # made when first needed
        self._listeners: tuple[Callable[[Event], None], ...] = ()  # rarely any: no list each

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        """Call ``listener`` with every event written from now on, in timeline order."""
        self._listeners = (*self._listeners, listener)

    def _write(self, event: Event) -> None:
        self.events.append(event)
        for listener in self._listeners:
            listener(event)

    def stamp(self, at: float) -> float:
        """The time an event that happens at call time ``at`` is written with: ``at`` itself
        (a subclass may count from elsewhere)."""
        return at

    def add(self, at: float, kind: str, text: str, **data: Any) -> Event:
        """Record what happens at call time ``at`` (now, for the caller of this method)."""
        event = Event(self.stamp(at), kind, text, data)
        self.append(event)
        return event

    def append(self, event: Event) -> None:
        """Record ``event``, which happens now (``add`` makes one; an event made elsewhere is
        stamped with ``stamp``)."""
        if self._expected:
            self.reach(event.at)
        self.events.append(event)
        for listener in self._listeners:
            listener(event)

    def expect(self, at: float, kind: str, text: str, **data: Any) -> Event:
        """Announce what will happen at call time ``at``: the event is written once call time
        reaches it (before anything recorded at ``at`` or later), and dropped by ``close`` if the
        call ends first."""
        event = Event(at, kind, text, data)
        if self._expected is None:
            self._expected = []
        insort(self._expected, (at, len(self.events) + len(self._expected), event))
        return event

    def reach(self, at: float) -> None:
        """Call time has reached ``at``: write the announced events due by then."""
        while self._expected and self._expected[0][0] <= at:
            self._write(self._expected.pop(0)[2])

    def close(self, at: float) -> None:
        """The call ends at ``at``: write what was due by then and drop what never happened."""
        self.reach(at)
        self._expected = None

    def of_kind(self, *kinds: str) -> list[Event]:
        return [event for event in self.events if event.kind in kinds]

    def heard(self) -> list[str]:
        """What the caller heard, in order: spoken text, played URLs, tones."""
        return [event.text for event in self.events if event.kind in ("say", "play", "tones")]

    def format(self) -> str:
        return "\n".join(event.format() for event in self.events)
