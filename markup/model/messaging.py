"""The messaging dialect's ``<Message>`` with its ``<Body>`` and ``<Media>``."""

from __future__ import annotations

from dataclasses import dataclass, field

from callbox.markup.model.common import NOWHERE, HttpMethod
from callbox.markup.source import Position


@dataclass(frozen=True, slots=True)
class Body:
    text: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Media:
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Message:
    """``<Message>``: a reply. ``body`` is the text of the message (its own text and every
    ``<Body>``); ``media`` the URLs of its ``<Media>``. ``to``/``from_`` None mean the sender and
    the number that received the message."""

    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback: str | None = None
    body: str = ""
    media: tuple[str, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)
