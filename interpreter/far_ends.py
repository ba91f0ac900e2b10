"""Far ends of a ``<Dial>``: how a dialed number, client or SIP address behaves in a simulation.

By default every party answers after 2 seconds of ringing and talks for 30 seconds, then hangs up.
Twilio's magic test numbers behave as they do with test credentials: ``+15005550001`` (invalid),
``+15005550002`` (cannot route), ``+15005550003`` (no international permission) and
``+15005550004`` (blocked) fail. Scripts and tests set other behaviours per address. On the
platform, a number it serves is a far end of its own (``platform``): a call to its application.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from callbox.interpreter.context import FarEnd

OUTCOMES = ("answer", "busy", "no-answer", "failed")

DEFAULT_ANSWER_AFTER = 2.0
DEFAULT_TALK_FOR = 30.0


@dataclass(slots=True)
class ScriptedFarEnd:
    """One dialed party: ``outcome`` is ``answer``, ``busy``, ``no-answer`` or ``failed``.

    ``answer_after`` is the ringing time before it answers; ``talk_for`` how long it stays on the
    line once answered (None: until the caller hangs up or the ``<Dial>`` time limit);
    ``presses`` the keys it presses when its whisper (``<Number url>``) asks for input, one
    answer per ``<Gather>`` in order (an agent screening a call presses 1 to accept it).
    """

    outcome: str = "answer"
    answer_after: float = DEFAULT_ANSWER_AFTER
    talk_for: float | None = DEFAULT_TALK_FOR
    presses: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"far-end outcome must be one of {', '.join(OUTCOMES)}")
        if self.answer_after < 0 or (self.talk_for is not None and self.talk_for < 0):
            raise ValueError("far-end times cannot be negative")


DEFAULT_FAR_END = ScriptedFarEnd()

MAGIC_NUMBERS: dict[str, ScriptedFarEnd] = {
    "+15005550001": ScriptedFarEnd("failed"),  # invalid number
    "+15005550002": ScriptedFarEnd("failed"),  # cannot route to this number
    "+15005550003": ScriptedFarEnd("failed"),  # no international permissions
    "+15005550004": ScriptedFarEnd("failed"),  # blocked number
}
"""Twilio's test-credential numbers that fail; ``+15005550006`` (valid) gets the default."""

_PHONE = re.compile(r"^\+?[\d\s().\-]+$")


def normalize_address(address: str) -> str:
    """One spelling per party: ``+`` and digits for numbers (10 digits get ``+1``), lower-case
    ``client:``/``sip:`` addresses, anything else stripped."""
    text = address.strip()
    if _PHONE.match(text):
        digits = re.sub(r"\D", "", text)
        if not text.startswith("+") and len(digits) == 10:
            digits = "1" + digits
        return "+" + digits
    lowered = text.lower()
    if lowered.startswith(("client:", "sip:", "sips:")):
        scheme, _, rest = text.partition(":")
        return f"{scheme.lower()}:{rest}"
    return text


class FarEnds:
    """The far ends of one simulation: per-address behaviours over a default. ``platform``
    gives the far end of a number the platform serves (None for any other address); a rule set
    for the address still wins."""

    __slots__ = ("_magic", "_rules", "default", "platform")

    def __init__(
        self,
        rules: Mapping[str, ScriptedFarEnd] | None = None,
        default: ScriptedFarEnd = DEFAULT_FAR_END,
        *,
        magic_numbers: bool = True,
        platform: Callable[[str], FarEnd | None] | None = None,
    ) -> None:
        self.default = default
        self.platform = platform
        self._magic: Mapping[str, ScriptedFarEnd] = MAGIC_NUMBERS if magic_numbers else {}
        self._rules: dict[str, ScriptedFarEnd] | None = None  # most calls set none
        """The rules set here, over the magic numbers (shared, never changed)."""
        for address, far_end in (rules or {}).items():
            self.set(address, far_end)

    def set(self, address: str, far_end: ScriptedFarEnd) -> None:
        """Make ``address`` behave as ``far_end``."""
        if self._rules is None:
            self._rules = {}
        self._rules[normalize_address(address)] = far_end

    def for_address(self, address: str) -> FarEnd:
        """How ``address`` behaves (a ``<Client>`` identity also matches ``client:identity``)."""
        key = normalize_address(address)
        found = self._rule(key)
        if found is None and ":" not in key and not key.startswith("+"):
            found = self._rule(f"client:{key}")
        if found is None and self.platform is not None and key.startswith("+"):
            return self.platform(key) or self.default
        return found or self.default

    def _rule(self, key: str) -> ScriptedFarEnd | None:
        found = None if self._rules is None else self._rules.get(key)
        return self._magic.get(key) if found is None else found

    def __contains__(self, address: object) -> bool:
        if not isinstance(address, str):
            return False
        key = normalize_address(address)
        return (self._rules is not None and key in self._rules) or key in self._magic
