"""The timeline of a call: what the caller heard and did, each request, each warning and error.

Events are frozen records stamped with call time (``at``, seconds from the start). The text form is
what ``callflow call`` prints; ``as_dict`` is its JSON form.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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


class Timeline:
    """An append-only list of events, in call-time order of recording."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, at: float, kind: str, text: str, **data: Any) -> Event:
        event = Event(at, kind, text, data)
        self.events.append(event)
        return event

    def of_kind(self, *kinds: str) -> list[Event]:
        return [event for event in self.events if event.kind in kinds]

    def heard(self) -> list[str]:
        """What the caller heard, in order: spoken text, played URLs, tones."""
        return [event.text for event in self.events if event.kind in ("say", "play", "tones")]

    def format(self) -> str:
        return "\n".join(event.format() for event in self.events)
