"""The SIP final-code table: which call status each code ends an attempt with, and whether the
switch tries the next carrier. Only faults fail over (408 and 5xx), and never once the far end
sent early media (the caller already heard it); busy, no-answer and a caller's cancel (487) are
outcomes of the call, not of the carrier.
"""

from __future__ import annotations

from typing import NamedTuple


class CodeRule(NamedTuple):
    status: str  # the Twilio call status an attempt ending with this code has
    fault: bool  # a carrier fault: counts against CCR and fails over
    reason: str


CODE_TABLE: dict[int, CodeRule] = {
    200: CodeRule("completed", False, "answered"),
    403: CodeRule("failed", False, "forbidden by the far end"),
    404: CodeRule("failed", False, "number does not exist"),
    408: CodeRule("no-answer", True, "request timeout: the carrier did not answer the INVITE"),
    410: CodeRule("failed", False, "number gone"),
    480: CodeRule("no-answer", False, "temporarily unavailable: nobody answered"),
    484: CodeRule("failed", False, "address incomplete"),
    486: CodeRule("busy", False, "busy here"),
    487: CodeRule("canceled", False, "request terminated: the caller hung up"),
    488: CodeRule("failed", False, "not acceptable here"),
    500: CodeRule("failed", True, "server internal error"),
    502: CodeRule("failed", True, "bad gateway"),
    503: CodeRule("failed", True, "service unavailable"),
    504: CodeRule("failed", True, "server timeout"),
    600: CodeRule("busy", False, "busy everywhere"),
    603: CodeRule("busy", False, "declined"),
    604: CodeRule("failed", False, "does not exist anywhere"),
}

FAULTS: frozenset[int] = frozenset(code for code, rule in CODE_TABLE.items() if rule.fault)


def rule_for(code: int) -> CodeRule:
    """The rule for any final code: listed ones as above; other 5xx are faults, other codes fail."""
    rule = CODE_TABLE.get(code)
    if rule is not None:
        return rule
    if 500 <= code < 600:
        return CodeRule("failed", True, f"server error {code}")
    if 600 <= code < 700:
        return CodeRule("busy", False, f"global failure {code}")
    return CodeRule("failed", False, f"request failure {code}")


def is_fault(code: int) -> bool:
    return code == 408 or 500 <= code < 600


def fails_over(code: int, *, early_media: bool) -> bool:
    """Whether an attempt ending with ``code`` is retried on the next carrier."""
    return is_fault(code) and not early_media
