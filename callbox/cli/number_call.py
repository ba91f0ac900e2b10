"""``callbox call NUMBER``: call one of the platform's numbers through a running ``callbox serve``,
as a phone would: the number's application runs on the server, driven by this caller's script.

The call goes to the server's inbound-call hook (``--server``, else ``$CALLBOX_PUBLIC_URL``, else
http://127.0.0.1:5000), which streams its timeline back; it prints like a local call and is
recorded on the server (an inbound call over REST). Exit status as for a local call: 0 when the
call ran, 1 when an error ended it, 2 when no call could be placed (usage, no server, a number
the platform does not serve).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx

from callbox.cli import platform_server as server
from callbox.cli.call_report import TextReport
from callbox.cli.color import Painter
from callbox.interpreter.script import ScriptError, load_script
from callbox.interpreter.session import DEFAULT_TO
from callbox.interpreter.timeline import Event

PHONE_LIKE = re.compile(r"^\+?[\d\s().-]+$")
LOCAL_ONLY: tuple[tuple[str, object, str], ...] = (
    ("twiml", None, "--twiml"),
    ("to", DEFAULT_TO, "--to"),
    ("method", "POST", "--method"),
    ("params", [], "--param"),
    ("fallback_url", None, "--fallback-url"),
    ("fallback_method", "POST", "--fallback-method"),
    ("status_callback", None, "--status-callback"),
    ("status_callback_events", None, "--status-callback-event"),
    ("status_callback_method", "POST", "--status-callback-method"),
    ("realtime", False, "--realtime"),
    ("allow_private", False, "--allow-private"),
    ("allow_loopback", False, "--allow-loopback"),
    ("audio", None, "--audio"),
    ("estimate", False, "--estimate"),
    ("data_dir", None, "--data-dir"),
    ("public_url", None, "--public-url"),
)
"""Options of a local call that a call through the server does not take: the number's own
settings (its VoiceUrl, fallback, status callback) and the server's (clock, media) apply."""


def is_number(given: str | None) -> bool:
    """Whether ``callbox call``'s target is a phone number rather than a URL or a file: it
    starts with ``+``, or it looks like a number and names no file."""
    if not given or not PHONE_LIKE.match(given):
        return False
    digits = sum(char.isdigit() for char in given)
    return 7 <= digits <= 15 and (given.startswith("+") or not Path(given).exists())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    server.add_server_argument(parser)


def _script_text(args: argparse.Namespace) -> str:
    """The caller as one script: the ``--script`` file's lines, then ``--press``/``--say``."""
    lines: list[str] = []
    if args.script:
        load_script(args.script)  # its errors name the file and line
        lines.append(Path(args.script).read_text(encoding="utf-8"))
    for kind, value in args.answers:
        if kind == "press":
            lines.append(f"press {value}")
        else:
            quoted = value.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'say "{quoted}"')
    return "\n".join(lines)


def request_of(args: argparse.Namespace) -> tuple[str, dict[str, str], tuple[str, str] | None]:
    """The hook's URL, the form that describes the call, and the credentials to send."""
    server.refuse_local_options(args, LOCAL_ONLY)
    to = server.e164(args.url)
    base = server.server_url(args.server)
    form = {"To": to, "From": args.from_}
    script = _script_text(args)
    if script:
        form["Script"] = script
    if args.hangup_after is not None:
        form["HangupAfter"] = str(args.hangup_after)
    return base, form, server.credentials(args)


def place(
    base: str, form: dict[str, str], auth: tuple[str, str] | None, report: TextReport | None
) -> dict[str, Any]:
    """Place the call through the server's hook, each event to ``report`` as it happens; the
    last line of the stream (the call's record and result)."""
    from callbox.web.hooks import INBOUND_PATH, STREAM_TYPE  # the server's side: on use

    url = base + INBOUND_PATH
    final: dict[str, Any] | None = None
    try:
        with httpx.stream(
            "POST",
            url,
            data=form,
            auth=auth,
            headers={"Accept": STREAM_TYPE},
            timeout=server.timeout(),
        ) as response:
            if response.status_code != 200:
                raise server.ServerError(server.refusal(response, base))
            for line in response.iter_lines():
                if not line.strip():
                    continue
                item = json.loads(line)
                if "event" in item and report is not None:
                    report.event(Event(**item["event"]))
                elif "result" in item:
                    final = item
                elif "call" in item and report is not None:
                    call = item["call"]
                    source = f"through the callbox server at {base}"
                    report.start(call["sid"], call["from"], call["to"], source)
    except httpx.ConnectError as exc:
        raise server.unreachable(base, exc) from None
    except (httpx.HTTPError, ValueError) as exc:
        raise ConnectionError(f"the call's stream from {base} broke off: {exc}") from None
    if final is None:
        raise ConnectionError(f"the server at {base} ended the stream before the call ended")
    return final


def run(args: argparse.Namespace) -> int:
    try:
        base, form, auth = request_of(args)
    except (server.ServerError, ScriptError) as exc:
        print(f"callbox call: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"callbox call: error: cannot read the script: {exc}", file=sys.stderr)
        return 2
    report = TextReport(sys.stdout, Painter.for_stream(sys.stdout))
    try:
        final = place(base, form, auth, report if args.format == "text" else None)
    except server.ServerError as exc:
        print(f"callbox call: error: {exc}", file=sys.stderr)
        return 2
    except ConnectionError as exc:
        print(f"callbox call: error: {exc}", file=sys.stderr)
        return 1
    result: dict[str, Any] = final["result"]
    if args.format == "json":
        call = final["call"]
        data = {"server": base, "from": call["from"], "to": call["to"], "call": call, **result}
        json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        report.finish_data(result)
    return 1 if result.get("error_code") else 0
