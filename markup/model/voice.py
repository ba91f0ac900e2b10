"""The voice verbs that prompt, listen and control the call: ``<Say>``, ``<Play>``, ``<Pause>``,
``<Gather>``, ``<Record>``, ``<Hangup>``, ``<Redirect>``, ``<Reject>``, ``<Enqueue>`` (and its
``<Task>``), ``<Leave>``, ``<Echo>`` and ``<Sms>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from callbox.markup.model.common import (
    COMPLETED_RECORDING,
    NOWHERE,
    HttpMethod,
    Parameter,
    RecordingEvent,
    Trim,
    Unknown,
)
from callbox.markup.model.ssml import SayContent
from callbox.markup.source import Position


class GatherInput(StrEnum):
    DTMF = "dtmf"
    SPEECH = "speech"


class RejectReason(StrEnum):
    REJECTED = "rejected"
    BUSY = "busy"


_GATHER_DTMF = frozenset({GatherInput.DTMF})


# --- Say, Play, Pause: the prompts ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Say:
    """``<Say>``: text to speech. ``text`` is what is spoken (``spoken_text(children)``);
    ``children`` is the mixed content as written (text and SSML nodes)."""

    voice: str = "man"
    language: str = "en-US"
    loop: int = 1
    text: str = ""
    children: tuple[SayContent, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Play:
    """``<Play>``: an audio URL (``url``, stripped) or, with ``digits``, DTMF tones."""

    loop: int = 1
    digits: str | None = None
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Pause:
    length: int = 1
    position: Position = field(default=NOWHERE, compare=False)


GatherChild = Say | Play | Pause | Unknown


@dataclass(frozen=True, slots=True)
class Gather:
    """``<Gather>``: collect DTMF and/or speech. ``action`` None means the current document;
    ``num_digits`` None means unlimited; ``speech_timeout`` None means the same as ``timeout``;
    ``speech_model`` ``default`` lets Twilio pick the recognizer."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    input: frozenset[GatherInput] = _GATHER_DTMF
    timeout: int = 5
    finish_on_key: str = "#"
    num_digits: int | None = None
    speech_timeout: int | Literal["auto"] | None = None
    max_speech_time: int = 60
    speech_model: str = "default"
    enhanced: bool = False
    language: str = "en-US"
    hints: str | None = None
    profanity_filter: bool = True
    barge_in: bool = True
    partial_result_callback: str | None = None
    partial_result_callback_method: HttpMethod = HttpMethod.POST
    action_on_empty_result: bool = False
    debug: bool = False
    children: tuple[GatherChild, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Record:
    """``<Record>``: record the caller. ``action`` None means the current document."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    timeout: int = 5
    finish_on_key: str = "1234567890*#"
    max_length: int = 3600
    play_beep: bool = True
    trim: Trim = Trim.TRIM_SILENCE
    recording_status_callback: str | None = None
    recording_status_callback_method: HttpMethod = HttpMethod.POST
    recording_status_callback_event: frozenset[RecordingEvent] = COMPLETED_RECORDING
    transcribe: bool = False
    transcribe_callback: str | None = None
    recording_configuration_id: str | None = None
    position: Position = field(default=NOWHERE, compare=False)


# --- Call control: Hangup, Redirect, Reject, Enqueue, Leave, Echo, Sms ---------------------------


@dataclass(frozen=True, slots=True)
class Hangup:
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Redirect:
    """``<Redirect>``: fetch ``url`` (stripped text; ``""`` re-requests the current document)."""

    method: HttpMethod = HttpMethod.POST
    url: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Reject:
    reason: RejectReason = RejectReason.REJECTED
    parameters: tuple[Parameter, ...] = ()
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Task:
    """``<Task>`` of ``<Enqueue workflowSid>``: TaskRouter attributes as JSON text (``body``)."""

    priority: int | None = None
    timeout: int | None = None
    body: str = ""
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Enqueue:
    """``<Enqueue>``: put the caller in the queue ``name`` (or a TaskRouter ``task``).
    ``wait_url`` None means Twilio's hold music."""

    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    wait_url: str | None = None
    wait_url_method: HttpMethod = HttpMethod.POST
    workflow_sid: str | None = None
    max_queue_size: int | None = None
    name: str = ""
    task: Task | None = None
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Leave:
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Echo:
    position: Position = field(default=NOWHERE, compare=False)


@dataclass(frozen=True, slots=True)
class Sms:
    """``<Sms>`` in a voice document (deprecated): send ``text`` during the call."""

    to: str | None = None
    from_: str | None = None
    action: str | None = None
    method: HttpMethod = HttpMethod.POST
    status_callback: str | None = None
    text: str = ""
    position: Position = field(default=NOWHERE, compare=False)
