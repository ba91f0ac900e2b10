"""What every part of the model shares: the naming rule, the enumerations several verb families
use, ``Unknown``, and the ``<Parameter>`` and ``<Config>`` nouns.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from callbox.markup.source import Position

NOWHERE = Position(0, 0)

_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def snake_case(name: str) -> str:
    """The Python name of a TwiML attribute: the one naming rule of the model.

    camelCase becomes snake_case (``finishOnKey`` -> ``finish_on_key``), ``:`` and ``-`` become
    ``_`` (``xml:lang`` -> ``xml_lang``, ``interpret-as`` -> ``interpret_as``), and a Python
    keyword gets a trailing ``_`` (``from`` -> ``from_``, ``for`` -> ``for_``).
    """
    python = _CAMEL_HUMP.sub("_", name.replace(":", "_").replace("-", "_")).lower()
    return python + "_" if keyword.iskeyword(python) else python


# --- Enumerations: values are the wire strings ------------------------------------------------------


class HttpMethod(StrEnum):
    GET = "GET"
    POST = "POST"


class DialRecord(StrEnum):
    """``<Dial record>`` (legacy ``true``/``false`` are read as record-from-answer / do-not-record)."""

    DO_NOT_RECORD = "do-not-record"
    RECORD_FROM_ANSWER = "record-from-answer"
    RECORD_FROM_RINGING = "record-from-ringing"
    RECORD_FROM_ANSWER_DUAL = "record-from-answer-dual"
    RECORD_FROM_RINGING_DUAL = "record-from-ringing-dual"


class Trim(StrEnum):
    TRIM_SILENCE = "trim-silence"
    DO_NOT_TRIM = "do-not-trim"


class RecordingEvent(StrEnum):
    """``recordingStatusCallbackEvent`` values (space-separated list)."""

    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    ABSENT = "absent"


class RecordingTrack(StrEnum):
    """``<Dial recordingTrack>`` and ``<Recording track>``."""

    BOTH = "both"
    INBOUND = "inbound"
    OUTBOUND = "outbound"


AUTO: Literal["auto"] = "auto"
"""``<Gather speechTimeout="auto">``."""

COMPLETED_RECORDING = frozenset({RecordingEvent.COMPLETED})


# --- Unknown and shared nouns ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Unknown:
    """An element the model does not know (or one out of its place); the interpreter warns on it.

    ``attributes`` are the attributes as written, in document order.
    """

    tag: str
    attributes: tuple[tuple[str, str], ...] = ()
    position: Position = field(default=NOWHERE, compare=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The value of attribute ``name`` as written."""
        for key, value in self.attributes:
            if key == name:
                return value
        return default


@dataclass(frozen=True, slots=True)
class Parameter:
    """``<Parameter name value/>``: a custom parameter passed on (Stream, Client, Pay, Hangup...)."""

    name: str | None = None
    value: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Config:
    """``<Config name value/>`` of ``<Transcription>`` and ``<VirtualAgent>``."""

    name: str | None = None
    value: str | None = None
    position: Position = field(default=NOWHERE, compare=False)
