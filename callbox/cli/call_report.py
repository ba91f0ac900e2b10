"""What ``callbox call`` prints: the timeline as text, line by line while the call runs (coloured
on a terminal), or as one JSON document at the end; and the notes that explain a refused call."""

from __future__ import annotations

import json
from typing import Any, TextIO

from callbox.cli.color import Painter
from callbox.interpreter.session import CallResult, CallSettings
from callbox.interpreter.timeline import Event

EVENT_STYLES = {"error": "error", "warning": "warning", "note": "note"}

FORBIDDEN = 403


class TextReport:
    """The readable timeline: a header, one line per event as it happens, then the outcome."""

    def __init__(self, out: TextIO, painter: Painter | None = None) -> None:
        self.out = out
        self.painter = painter or Painter(False)

    def start(self, sid: str, from_: str, to: str, source: str) -> None:
        self._write(f"Call {sid} from {from_} to {to}\n  {source}\n\n")

    def event(self, event: Event) -> None:
        self._write(self.painter.paint(event.format(), EVENT_STYLES.get(event.kind, "")) + "\n")

    def finish(self, result: CallResult) -> None:
        self.finish_data(result.as_dict())

    def finish_data(self, result: dict[str, Any]) -> None:
        """The outcome from a result's JSON form (``CallResult.as_dict``, or a server's)."""
        ending = f"\nCall {result['status']} after {float(result['duration']):.2f} s"
        if result.get("reason"):
            ending += f" ({result['reason']})"
        lines = [ending]
        if result.get("error_code"):
            lines.append(self.painter.paint(f"Error {result['error_code']} on this call.", "error"))
        for recording in result.get("recordings", ()):
            where = recording.get("path") or "no file (estimated audio)"
            lines.append(f"Recording {recording['sid']}: {recording['duration']:.1f} s, {where}")
        self._write("\n".join(lines) + "\n")

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.out.flush()  # each line shows when it happens, also through a pipe


def render_json(settings: CallSettings, result: CallResult, out: TextIO) -> None:
    """The same timeline as data, with the call SID, final status and duration."""
    data: dict[str, Any] = {
        "url": settings.url,
        "method": settings.method,
        "from": settings.from_,
        "to": settings.to,
        **result.as_dict(),
    }
    json.dump(data, out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


def refusal_notes(result: CallResult, token_source: str) -> list[str]:
    """Why the app refused the call's requests, when it answered 403 Forbidden: most often it
    checks ``X-Twilio-Signature`` with an auth token other than the one callbox signed with."""
    refused = [request for request in result.requests if request.status_code == FORBIDDEN]
    if not refused:
        return []
    first = refused[0]
    return [
        f"the app answered 403 Forbidden to {first.method} {first.url}. If it checks "
        f"X-Twilio-Signature, sign with its auth token: the requests were signed with "
        f"{token_source}; pass --auth-token TOKEN or set CALLBOX_AUTH_TOKEN (or TWILIO_AUTH_TOKEN)"
    ]
