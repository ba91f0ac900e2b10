"""The errors Twilio answers a new outbound message with, before it is queued: a missing or
invalid ``To``/``From``, a body over 1,600 characters, more than 10 media, a recipient who
opted out (21610), and the magic test numbers ``+15005550001``..``+15005550009``."""

from __future__ import annotations

from collections.abc import Sequence

from callbox.messaging.addresses import is_e164, sender_kind
from callbox.messaging.errors import MessageRefusedError
from callbox.messaging.segments import MAX_BODY_CHARACTERS

MAX_MEDIA = 10

MAGIC_FROM: dict[str, tuple[int, str]] = {
    "+15005550001": (21212, "The 'From' number {} is not a valid phone number"),
    "+15005550007": (21606, "The 'From' phone number {} is not a valid, SMS-capable number"),
    "+15005550008": (
        21611,
        "The 'From' number {} has exceeded the maximum number of queued messages",
    ),
}
"""Twilio's magic senders (test credentials) and the error each gives; ``+15005550006`` and
every other number pass."""
MAGIC_TO: dict[str, tuple[int, str]] = {
    "+15005550001": (21211, "The 'To' number {} is not a valid phone number"),
    "+15005550002": (21612, "The 'To' phone number {} is not currently reachable via SMS"),
    "+15005550003": (21408, "Permission to send an SMS has not been enabled for the region of {}"),
    "+15005550004": (21610, "Attempt to send to unsubscribed recipient {}"),
    "+15005550009": (21614, "'To' number {} is not a valid mobile number"),
}
"""Twilio's magic recipients and the error each gives."""


def _refuse(table: dict[str, tuple[int, str]], number: str) -> None:
    if number in table:
        code, text = table[number]
        raise MessageRefusedError(code, text.format(number))


def check_new_message(
    to: str | None,
    from_: str | None,
    body: str | None,
    media: Sequence[str] = (),
    *,
    messaging_service_sid: str | None = None,
) -> None:
    """Raise ``MessageRefusedError`` with Twilio's code when the message cannot be created."""
    if not to:
        raise MessageRefusedError(21604, "A 'To' phone number is required.")
    if not from_ and not messaging_service_sid:
        raise MessageRefusedError(21603, "A 'From' phone number is required.")
    if not body and not media:
        raise MessageRefusedError(21602, "Message body is required.")
    if not (is_e164(to) or (sender_kind(to) is not None and to.isdigit())):
        raise MessageRefusedError(21211, f"The 'To' number {to} is not a valid phone number.")
    _refuse(MAGIC_TO, to)
    if from_:
        if sender_kind(from_) is None:
            raise MessageRefusedError(
                21212, f"The 'From' number {from_} is not a valid phone number"
            )
        _refuse(MAGIC_FROM, from_)
    if body is not None and len(body) > MAX_BODY_CHARACTERS:
        raise MessageRefusedError(
            21617,
            f"The concatenated message body exceeds the {MAX_BODY_CHARACTERS} character limit.",
        )
    if len(media) > MAX_MEDIA:
        raise MessageRefusedError(21623, f"A message can carry at most {MAX_MEDIA} media URLs.")
