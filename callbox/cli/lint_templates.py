"""Flow templates (``*.xml.j2``) for lint: rendered as ``callbox serve`` renders them, with sample
webhook parameters, so that the TwiML they serve is what gets linted.

A template that cannot be rendered (a syntax error, an undefined name, a failing filter) is a
CF004 finding at its template line, since the application would answer that request with a 500.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import anyio
from jinja2 import TemplateSyntaxError

from callbox import codes
from callbox.diagnostics import Diagnostic
from callbox.interpreter import params as p
from callbox.interpreter.http.flows import TEMPLATE_SUFFIX, Flow, FlowDirectory, FlowError

SAMPLE_PARAMETERS: Mapping[str, str] = {
    p.CALL_SID: "CA" + "0" * 32,
    p.ACCOUNT_SID: "AC" + "0" * 32,
    p.FROM: "+14155550100",
    p.TO: "+14155550199",
    p.CALLER: "+14155550100",
    p.CALLED: "+14155550199",
    p.CALL_STATUS: "in-progress",
    p.API_VERSION_PARAM: p.API_VERSION,
    p.DIRECTION: "inbound",
    p.DIGITS: "1",
    p.SPEECH_RESULT: "sales",
    p.CONFIDENCE: "0.9",
    p.RECORDING_URL: "https://api.twilio.com/2010-04-01/Accounts/AC/Recordings/RE",
    p.RECORDING_SID: "RE" + "0" * 32,
    p.RECORDING_DURATION: "7",
    p.DIAL_CALL_STATUS: "completed",
    p.DIAL_CALL_SID: "CA" + "1" * 32,
    p.DIAL_CALL_DURATION: "42",
    "MessageSid": "SM" + "0" * 32,
    "Body": "hello",
    "NumMedia": "0",
}
"""What a template sees when linted: a voice request that pressed 1 (or said "sales") and the
parameters of an SMS reply; ``[tool.callbox.lint] template-parameters`` adds or replaces some."""

SAMPLE_URL = "https://example.com/flows/"


@dataclass(frozen=True)
class Rendered:
    """A template's TwiML, or the finding that says why there is none."""

    data: bytes | None
    failure: Diagnostic | None = None


def is_template(path: Path) -> bool:
    return path.name.endswith(TEMPLATE_SUFFIX)


def render(path: Path, label: str, extra: Mapping[str, str] | None = None) -> Rendered:
    """The template at ``path`` rendered with the sample parameters (and ``extra``)."""
    parameters = {**SAMPLE_PARAMETERS, **(extra or {})}
    path = path.resolve()
    directory = FlowDirectory(path.parent)
    name = path.name[: -len(TEMPLATE_SUFFIX)]
    try:
        # rendered as serve renders it: in its own thread, within the output and time limits
        text = anyio.run(directory.render, Flow(name, path), parameters, SAMPLE_URL + name)
        return Rendered(text)
    except FlowError as error:
        cause = error.__cause__ if isinstance(error.__cause__, Exception) else error
        return _failure(cause, path, label)
    except (OSError, UnicodeDecodeError) as error:
        return Rendered(
            None,
            codes.TEMPLATE_ERROR.diagnostic(
                f"The template cannot be read: {error}", line=0, column=0, path=label
            ),
        )
    except Exception as error:  # a filter or a method that raised: the request would get a 500
        return _failure(error, path, label)


def _failure(error: Exception, path: Path, label: str) -> Rendered:
    line = _template_line(error, path)
    reason = getattr(error, "message", None) or str(error) or type(error).__name__
    return Rendered(
        None,
        codes.TEMPLATE_ERROR.diagnostic(
            f"The template cannot be rendered: {reason}",
            line=line,
            column=1 if line else 0,
            path=label,
            hint="Lint renders templates with sample webhook parameters (From, To, Digits, "
            "SpeechResult, Body...); set others under [tool.callbox.lint.template-parameters].",
        ),
    )


def _template_line(error: BaseException, path: Path) -> int:
    """The template line an error happened on: a syntax error knows it; a render error's
    traceback has a frame in the template (Jinja2 maps it to template lines)."""
    if isinstance(error, TemplateSyntaxError) and error.lineno:
        return int(error.lineno)
    line = 0
    resolved = str(path.resolve())
    for frame, number in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename == resolved or filename.endswith(path.name):
            line = number
    return line
