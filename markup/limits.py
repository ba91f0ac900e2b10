"""What Twilio accepts in one TwiML document, kept here once: the parser, the lint rules, the
model builder, the interpreter's fetcher and its verbs all check against these."""

from __future__ import annotations

MAX_DOCUMENT_BYTES = 64 * 1024
"""A document (a webhook's response) is read up to 64 KB; beyond it, 11750."""
MAX_SAY_CHARACTERS = 4096
"""The most characters one ``<Say>`` speaks."""
