"""Messaging Services: a pool of senders one message is sent from, chosen as Twilio chooses
(sticky sender first, then a sender with the recipient's area code, then one in the
recipient's country, then the pool's first sender of the best kind), with the service's
settings (smart encoding, validity period, where inbound messages go)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from callbox.messaging.addresses import SenderKind, area_code, calling_code, sender_kind
from callbox.messaging.errors import MessagingServiceError

DEFAULT_VALIDITY_PERIOD = 36000
"""Seconds a queued message may wait before it fails with 30001 (Twilio's default and maximum)."""

_KIND_PREFERENCE = (
    SenderKind.SHORT_CODE,
    SenderKind.TOLL_FREE,
    SenderKind.LONG_CODE,
    SenderKind.ALPHANUMERIC,
)


@dataclass
class MessagingService:
    """A Messaging Service (``MG`` SID) and its sender pool."""

    sid: str
    senders: Sequence[str]
    sticky_sender: bool = True
    area_code_geomatch: bool = True
    country_geomatch: bool = True
    smart_encoding: bool = True
    validity_period: int = DEFAULT_VALIDITY_PERIOD
    inbound_request_url: str | None = None
    inbound_method: str = "POST"
    fallback_url: str | None = None
    fallback_method: str = "POST"
    status_callback: str | None = None
    _sticky: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        bad = [sender for sender in self.senders if sender_kind(sender) is None]
        if bad:
            raise MessagingServiceError(f"not a sender address: {', '.join(bad)}")

    def choose_sender(self, to: str) -> str:
        """The sender a message to ``to`` goes out from; remembered when sticky."""
        if not self.senders:
            raise MessagingServiceError(f"Messaging Service {self.sid} has no senders in its pool")
        if self.sticky_sender and self._sticky.get(to) in self.senders:
            return self._sticky[to]
        chosen = self._geomatch(to) or self._best_kind(to)
        if self.sticky_sender:
            self._sticky[to] = chosen
        return chosen

    def _geomatch(self, to: str) -> str | None:
        numbers = [s for s in self.senders if sender_kind(s) is SenderKind.LONG_CODE]
        wanted_area = area_code(to)
        if self.area_code_geomatch and wanted_area is not None:
            for sender in numbers:
                if area_code(sender) == wanted_area:
                    return sender
        wanted_country = calling_code(to)
        if self.country_geomatch and wanted_country is not None:
            same_country = [
                s for s in self.senders if s.startswith("+") and calling_code(s) == wanted_country
            ]
            if same_country:
                return self._by_kind(same_country)
        return None

    def _best_kind(self, to: str) -> str:
        # short codes and toll-free numbers only reach their own country
        wanted_country = calling_code(to)
        usable = [
            s
            for s in self.senders
            if sender_kind(s) in (SenderKind.ALPHANUMERIC, SenderKind.LONG_CODE)
            or (sender_kind(s) is SenderKind.TOLL_FREE and wanted_country == "1")
            or (sender_kind(s) is SenderKind.SHORT_CODE and wanted_country == "1")
        ]
        return self._by_kind(usable or list(self.senders))

    @staticmethod
    def _by_kind(senders: Sequence[str]) -> str:
        return min(
            senders, key=lambda s: _KIND_PREFERENCE.index(sender_kind(s) or SenderKind.LONG_CODE)
        )
