"""The one table of the ways the REST API may answer other than Twilio's spec says, when
schemathesis fuzzes it from that spec: each waiver is tied to the Twilio error code the answer
carries and says why Twilio answers so too (the spec, not the API, is what falls short).

A waiver covers a failed check only for a Twilio error body with its code (and, when one code
covers several cases, a message matching its pattern); a server error is never waived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

STATUS = "status_code_conformance"
"""The check that the status is one the spec lists (it lists only 2xx for every operation)."""
ACCEPTANCE = "positive_data_acceptance"
"""The check that data the spec allows gets a 2xx (or 401/403/404/409/429)."""


@dataclass(frozen=True)
class Waiver:
    """An answer accepted although a check refuses it: ``status`` with Twilio's error ``code``."""

    name: str
    status: int
    code: int
    checks: tuple[str, ...]
    reason: str
    message: str = ""
    """A pattern the error's message must contain, when ``code`` covers more than this case."""
    operations: tuple[str, ...] = ()
    """The operations (``"GET /2010-04-01/..."``) it applies to; every one when empty."""

    def covers(self, check: str, operation: str, status: int, body: Any) -> bool:
        """Whether this waiver accepts ``check`` failing on this answer of ``operation``."""
        if check not in self.checks or status != self.status or not isinstance(body, dict):
            return False
        if self.operations and operation not in self.operations:
            return False
        text = body.get("message")
        return body.get("code") == self.code and bool(
            isinstance(text, str) and re.search(self.message, text)
        )


NO_ERRORS_IN_SPEC = (
    "Twilio's spec lists only the success status of every operation; Twilio answers with its "
    "error body and this code"
)

WAIVERS: tuple[Waiver, ...] = (
    # Answers to data the spec forbids too (schemathesis's negative cases), with Twilio's codes.
    Waiver(
        "invalid-parameter",
        400,
        20001,
        (STATUS,),
        f"{NO_ERRORS_IN_SPEC}: a parameter of the wrong type or outside its enum is refused, "
        "naming the parameter",
        message=r"^Invalid [\w<>]+( or \w+)?:",
    ),
    Waiver(
        "url-not-valid",
        400,
        21205,
        (STATUS,),
        f"{NO_ERRORS_IN_SPEC}: a URL parameter that is not an absolute http(s) URL is refused",
    ),
    Waiver(
        "unknown-sid",
        404,
        20404,
        (STATUS,),
        f"{NO_ERRORS_IN_SPEC}: a SID that names no resource of the account is 404",
    ),
    Waiver(
        "unknown-messaging-service",
        404,
        21701,
        (STATUS,),
        f"{NO_ERRORS_IN_SPEC}: a MessagingServiceSid that names no service is 404 (callbox has "
        "no Messaging Services yet, so every one is unknown)",
    ),
    # Answers to data the spec allows, which Twilio refuses too: the spec cannot say why.
    Waiver(
        "missing-required-parameter",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec lists a required field (a queue's FriendlyName) but "
        "marks the request body itself optional, so a request without one counts as valid",
        message=r"^Missing required parameter \w+",
    ),
    Waiver(
        "required-parameter-empty",
        400,
        21201,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec marks To (From...) required but allows the empty "
        "string, which Twilio refuses as missing",
    ),
    Waiver(
        "to-not-a-phone-number",
        400,
        21211,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec's To is any string (format `phone-number` or `endpoint`, "
        "which JSON Schema does not check); Twilio refuses one that is not a number",
    ),
    Waiver(
        "from-not-a-phone-number",
        400,
        21212,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec's From is any string; Twilio refuses one that is not a "
        "number",
    ),
    Waiver(
        "message-to-required",
        400,
        21604,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec requires a message's To but allows the empty string "
        "(and marks the body optional), which Twilio refuses as missing",
    ),
    Waiver(
        "message-body-required",
        400,
        21602,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: a message needs Body, MediaUrl or ContentSid, an either-or the "
        "spec cannot say (it requires none)",
    ),
    Waiver(
        "message-from-required",
        400,
        21603,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: a message needs From or MessagingServiceSid, an either-or the "
        "spec cannot say (it requires only To)",
    ),
    Waiver(
        "participant-from-required",
        400,
        21213,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec marks a participant's From required but allows the "
        "empty string (or no body at all), which Twilio refuses as missing",
    ),
    Waiver(
        "message-body-only-redacted",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: updating a message's Body only redacts it (Body set to the "
        "empty string); the spec's Body is any string",
        message=r"^Invalid Body: .*redacted",
    ),
    Waiver(
        "phone-number-or-area-code",
        400,
        21421,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: buying a number needs PhoneNumber or AreaCode, an either-or "
        "the spec cannot say (it requires neither)",
    ),
    Waiver(
        "phone-number-not-available",
        400,
        21422,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: a number can be bought only when no account holds it and it is "
        "in the platform's range, which depends on the store, not on the request",
    ),
    Waiver(
        "application-not-of-the-account",
        400,
        21218,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: an ApplicationSid of the right shape must still name one of the "
        "account's applications",
    ),
    Waiver(
        "call-not-in-progress",
        400,
        21220,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: only a live call can be redirected or hung up; whether it is "
        "live depends on the call, not on the request",
    ),
    Waiver(
        "message-too-late-to-cancel",
        400,
        30409,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: only a scheduled message can be canceled",
    ),
    Waiver(
        "account-cannot-close-itself",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: an account suspends or closes its subaccounts, not itself",
        message=r"cannot suspend or close itself",
    ),
    Waiver(
        "queue-name-taken",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: a queue's FriendlyName names it (<Enqueue> finds it by name), so "
        "two queues of an account cannot share one",
        message=r"^A queue named .* already exists",
    ),
    Waiver(
        "page-out-of-range",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec's Page and PageSize are any integer; Twilio refuses a "
        "page number that is not a whole number in range",
        message=r"^Invalid (Page|PageSize):",
    ),
    Waiver(
        "page-token-not-issued",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec's PageToken is any string; only tokens of a previous "
        "page's next_page_uri name a page",
        message=r"^Invalid PageToken:",
    ),
    Waiver(
        "value-out-of-documented-range",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: Twilio's docs bound these integers (Log is 0 or 1, a queue's "
        "MaxSize 1 to 5000); the spec gives no minimum or maximum",
        message=r"^Invalid (Log|MaxSize): .* (is outside|is not a whole number)",
    ),
    Waiver(
        "friendly-name-length",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: a queue's FriendlyName is 1 to 64 characters (Twilio's docs); the "
        "spec gives no length",
        message=r"^Invalid FriendlyName:",
    ),
    Waiver(
        "usage-category-not-metered",
        400,
        20001,
        (STATUS, ACCEPTANCE),
        f"{NO_ERRORS_IN_SPEC}: the spec enumerates Twilio's 637 usage categories; callbox meters "
        "calls, SMS, MMS, recordings and totalprice and refuses the others rather than invent "
        "their units (a departure from Twilio, which lists zeros)",
        message=r"^Invalid Category:",
    ),
)


def waiver_for(check: str, operation: str, status: int, body: Any) -> Waiver | None:
    """The waiver that accepts ``check`` failing on this answer, or None."""
    return next((w for w in WAIVERS if w.covers(check, operation, status, body)), None)
