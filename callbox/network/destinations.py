"""How the far end of an outbound call behaves, by the number called: the table users rely on to
test busy, unanswered, failing and machine-answered calls (docs/network.md shows it).

Every number not in the table answers as a person after ``ANSWER_AFTER`` seconds of ringing.
Twilio's magic test numbers that fail at creation (``+15005550001``...) are refused by the REST
API itself with their documented codes; they never reach this table.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from callbox.records import AnsweredBy, CallStatus

ANSWER_AFTER = 2.0


class Outcome(StrEnum):
    ANSWER = "answer"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Destination:
    """A far end: what it does, after how many seconds of ringing, and who answers."""

    outcome: Outcome = Outcome.ANSWER
    ring_for: float = ANSWER_AFTER
    answered_by: AnsweredBy = AnsweredBy.HUMAN
    description: str = "answers as a person after 2 s of ringing"

    @property
    def final_status(self) -> CallStatus | None:
        """The status an unanswered call ends with; None when it is answered."""
        return {
            Outcome.ANSWER: None,
            Outcome.BUSY: CallStatus.BUSY,
            Outcome.NO_ANSWER: CallStatus.NO_ANSWER,
            Outcome.FAILED: CallStatus.FAILED,
        }[self.outcome]


DEFAULT = Destination()
TABLE: dict[str, Destination] = {
    "+15005550006": Destination(
        ring_for=0.0, description="Twilio's valid test number: answers at once"
    ),
    "+15550190001": Destination(Outcome.BUSY, 0.0, description="busy"),
    "+15550190002": Destination(
        Outcome.NO_ANSWER, description="rings until the call's Timeout, no answer"
    ),
    "+15550190003": Destination(Outcome.FAILED, 0.0, description="fails (unreachable carrier)"),
    "+15550190004": Destination(
        answered_by=AnsweredBy.MACHINE_END_BEEP,
        description="an answering machine: answered_by machine_end_beep with MachineDetection",
    ),
    "+15550190005": Destination(
        ring_for=10.0, description="answers as a person after 10 s of ringing"
    ),
}


def destination(number: str) -> Destination:
    """How a call to ``number`` is answered (the default: a person, after 2 s)."""
    return TABLE.get(number, DEFAULT)
