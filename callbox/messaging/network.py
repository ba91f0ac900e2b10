"""The simulated carrier network an outbound message is delivered over: it delivers, unless the
recipient is set to fail with one of Twilio's delivery errors (30003 unreachable handset, 30004
blocked, 30005 unknown handset, 30006 landline or unreachable carrier, 30007 filtered, 30008
unknown error), and says how long each hop takes."""

from __future__ import annotations

from dataclasses import dataclass, field

from callbox.messaging.errors import UnknownDeliveryCodeError

DELIVERY_ERRORS: dict[int, str] = {
    30003: "Unreachable destination handset",
    30004: "Message blocked",
    30005: "Unknown destination handset",
    30006: "Landline or unreachable carrier",
    30007: "Message filtered by the carrier",
    30008: "Unknown error",
}


@dataclass
class SimulatedNetwork:
    """Where messages go and how long it takes: ``sending_delay`` from leaving the queue to the
    carrier accepting it (``sent``), ``delivery_delay`` from then to the handset's receipt."""

    sending_delay: float = 0.1
    delivery_delay: float = 1.0
    failures: dict[str, int] = field(default_factory=dict)
    """Recipients whose messages fail, with the delivery error each gets."""

    def fail(self, recipient: str, code: int) -> None:
        """Make messages to ``recipient`` fail with delivery error ``code`` (30003-30008)."""
        if code not in DELIVERY_ERRORS:
            raise UnknownDeliveryCodeError(
                f"{code} is not a delivery error; use one of {', '.join(map(str, DELIVERY_ERRORS))}"
            )
        self.failures[recipient] = code

    def heal(self, recipient: str) -> None:
        """Deliver to ``recipient`` again."""
        self.failures.pop(recipient, None)

    def outcome(self, recipient: str) -> int | None:
        """The delivery error a message to ``recipient`` ends with, None when it is delivered."""
        return self.failures.get(recipient)
