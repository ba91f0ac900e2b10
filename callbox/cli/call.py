"""``callbox call URL``: place one simulated call against an app and print what happened.

The first document comes from the URL, or from a file, standard input (``-``) or ``--twiml``
inline, as the REST API's ``Twiml`` parameter gives it. The caller is scripted from ``--press``/``--say`` (each answers the next input prompt, in the
order given) and/or a ``--script`` file. The call runs in virtual time unless ``--realtime``,
with real audio (espeak-ng, cached) unless ``--estimate``; recordings go to the data directory
and ``RecordingUrl`` names them on the callbox server (``--public-url``). A NUMBER of the
platform is called through a running ``callbox serve`` instead (``number_call``).
Exit status: 0 for a call that ran, 1 when an error ended or interrupted the call (fetch or parse
failure, loop cap), 2 for usage errors (and an ``--audio`` file that could not be written).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import signal
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import anyio
import httpx

from callbox.cli import number_call
from callbox.cli.call_report import TextReport, refusal_notes, render_json
from callbox.cli.color import Painter
from callbox.interpreter import params as webhook_params
from callbox.interpreter import settings as config
from callbox.interpreter.caller import CallerAction, Press, Speak
from callbox.interpreter.callers import ScriptedCaller
from callbox.interpreter.fetch import make_client
from callbox.interpreter.media.plane import MediaPlane
from callbox.interpreter.params import STATUS_CALLBACK_EVENTS
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.script import Script, ScriptError, load_script
from callbox.interpreter.session import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_FROM,
    DEFAULT_TO,
    CallResult,
    CallSession,
    CallSettings,
    SettingsError,
)
from callbox.markup.limits import MAX_DOCUMENT_BYTES
from callbox.switchboard import Switchboard, open_media_plane

if TYPE_CHECKING:
    from callbox.interpreter.media.call_audio import CallAudio

HELP = "Simulate a phone call to a voice URL and print what the caller hears and does."

ACCOUNT_SID_VARIABLES = config.ACCOUNT_SID_VARIABLES
AUTH_TOKEN_VARIABLES = config.AUTH_TOKEN_VARIABLES
DTMF = re.compile(r"^[0-9*#wW]+$")
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
PARAM_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
FLAG_OF_PARAM = {
    webhook_params.ACCOUNT_SID: "--account-sid",
    webhook_params.FROM: "--from",
    webhook_params.CALLER: "--from",
    webhook_params.TO: "--to",
    webhook_params.CALLED: "--to",
}


class UsageError(Exception):
    """Arguments that cannot describe a call (exit status 2)."""


def _press(value: str) -> tuple[str, str]:
    if not DTMF.match(value):
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a sequence of keys (0-9, *, #, and w/W for pauses)"
        )
    return ("press", value)


def _say(value: str) -> tuple[str, str]:
    if not value.strip():
        raise argparse.ArgumentTypeError("--say needs some text")
    return ("say", value)


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError("seconds cannot be negative")
    if not math.isfinite(seconds):
        raise argparse.ArgumentTypeError(f"{value!r} is not a finite number of seconds")
    return seconds


def _param(value: str) -> tuple[str, str]:
    name, equals, given = value.partition("=")
    if not equals or not PARAM_NAME.match(name):
        raise argparse.ArgumentTypeError(f"{value!r} is not KEY=VALUE (FromState=CA, for one)")
    if name in webhook_params.CALL_IDENTITY_PARAMS:
        flag = FLAG_OF_PARAM.get(name)
        how = f"set it with {flag}" if flag else "callbox sets it for each request"
        raise argparse.ArgumentTypeError(f"{name} is a parameter of the call itself: {how}")
    return (name, given)


def _from_environment(names: Sequence[str]) -> str | None:
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "url",
        nargs="?",
        metavar="URL|FILE|-|NUMBER",
        help="the voice URL of the application (http or https), or a TwiML file, or - for "
        "standard input, or a NUMBER of the platform (+15550100001) to call through a running "
        "`callbox serve`",
    )
    parser.add_argument(
        "--twiml",
        metavar="TWIML",
        help="the first document inline ('<Response><Say>Hi</Say></Response>'), instead of a URL",
    )
    parser.add_argument(
        "--param",
        dest="params",
        action="append",
        type=_param,
        default=[],
        metavar="KEY=VALUE",
        help="add a parameter to every request (repeatable): FromState=CA, CallerName=Alice...; "
        "a From*/To* place is also sent as Caller*/Called*, as Twilio does",
    )
    parser.add_argument("--from", dest="from_", default=DEFAULT_FROM, help="the caller's number")
    parser.add_argument("--to", default=DEFAULT_TO, help="the number called")
    parser.add_argument(
        "--method",
        type=str.upper,
        choices=("GET", "POST"),
        default="POST",
        help="HTTP method for the voice URL (default POST)",
    )
    parser.add_argument(
        "--press",
        dest="answers",
        action="append",
        type=_press,
        default=[],
        metavar="DIGITS",
        help="press DIGITS at the next input prompt (repeatable, in order with --say)",
    )
    parser.add_argument(
        "--say",
        dest="answers",
        action="append",
        type=_say,
        metavar="TEXT",
        help="say TEXT at the next input prompt (repeatable, in order with --press)",
    )
    parser.add_argument(
        "--script",
        metavar="FILE",
        help="a caller script (see docs/call.md); --press/--say follow it",
    )
    parser.add_argument(
        "--hangup-after",
        type=_seconds,
        metavar="SECONDS",
        help="the caller hangs up this many seconds into the call",
    )
    parser.add_argument(
        "--realtime", action="store_true", help="run on the wall clock instead of virtual time"
    )
    parser.add_argument(
        "--account-sid",
        help="account SID sent as AccountSid (default: $CALLBOX_ACCOUNT_SID, "
        "$TWILIO_ACCOUNT_SID, or a test SID)",
    )
    parser.add_argument(
        "--auth-token",
        help="auth token that signs X-Twilio-Signature (default: $CALLBOX_AUTH_TOKEN, "
        "$TWILIO_AUTH_TOKEN, or a test token)",
    )
    parser.add_argument(
        "--fallback-url", help="fetched when the voice URL fails (Twilio's FallbackUrl)"
    )
    parser.add_argument(
        "--fallback-method", type=str.upper, choices=("GET", "POST"), default="POST"
    )
    parser.add_argument("--status-callback", metavar="URL", help="where call status events go")
    parser.add_argument(
        "--status-callback-event",
        dest="status_callback_events",
        action="append",
        choices=STATUS_CALLBACK_EVENTS,
        metavar="EVENT",
        help="status events to send (repeatable: initiated, ringing, answered, completed; "
        "default completed)",
    )
    parser.add_argument(
        "--status-callback-method", type=str.upper, choices=("GET", "POST"), default="POST"
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="allow fetching private network addresses (10/8, 172.16/12, 192.168/16...)",
    )
    parser.add_argument(
        "--allow-loopback",
        action="store_true",
        help="allow fetching loopback addresses even when the call's URL is not on loopback "
        "(a call to http://localhost... may use loopback anyway)",
    )
    parser.add_argument(
        "--audio",
        metavar="FILE",
        help="write the call as a stereo WAV file: left what the caller heard, right what the "
        "caller said",
    )
    parser.add_argument(
        "--estimate",
        action="store_true",
        help="make no audio: estimate durations (150 words a minute) for speed; recordings "
        "get a duration but no file",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where recordings are stored (default: ${config.DATA_DIR_VARIABLE}, "
        "$XDG_DATA_HOME/callbox, ~/.local/share/callbox)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="base URL of the callbox server that serves the recordings, used in RecordingUrl "
        f"(default: ${config.PUBLIC_URL_VARIABLE}, {config.DEFAULT_PUBLIC_URL})",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    number_call.add_arguments(parser)


def _check_url(url: str, option: str) -> str:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as exc:
        raise UsageError(f"{option} {url!r} is not a valid URL: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise UsageError(f"{option} must be an absolute http:// or https:// URL, not {url!r}")
    return url


def _caller(args: argparse.Namespace, script: Script | None) -> ScriptedCaller:
    steps: list[CallerAction] = []
    for kind, value in args.answers:
        steps.append(Press(value) if kind == "press" else Speak(value))
    if script is None:
        return ScriptedCaller(steps, hangup_after=args.hangup_after)
    times = [t for t in (script.hangup_at, args.hangup_after) if t is not None]
    return ScriptedCaller(
        [*script.steps, *steps],
        when=script.when,
        timed=script.timed,
        hangup_after=min(times) if times else None,
    )


def _read_document(label: str, stream: BinaryIO) -> bytes:
    data = stream.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UsageError(f"{label} is over {MAX_DOCUMENT_BYTES:,} bytes, Twilio's limit for TwiML")
    return data


def first_document(args: argparse.Namespace) -> tuple[str | None, bytes | None, str]:
    """Where the call starts: ``(url, None, ...)`` or ``(None, twiml, ...)``, and how to say it."""
    given = args.url
    if given is not None and args.twiml is not None:
        raise UsageError("give a URL or FILE, or --twiml, not both")
    if args.twiml is not None:
        return None, args.twiml.encode("utf-8"), "inline TwiML (--twiml)"
    if given is None:
        raise UsageError("give the app's voice URL, a TwiML FILE, - (standard input) or --twiml")
    if given == "-":
        return None, _read_document("standard input", sys.stdin.buffer), "TwiML from standard input"
    if URL_LIKE.match(given):
        return _check_url(given, "URL"), None, f"{args.method} {given}"
    path = Path(given)
    if not path.is_file():
        raise UsageError(
            f"{given!r} is neither an http(s) URL nor a file"
            + ("" if path.exists() else " (no such file)")
        )
    try:
        with path.open("rb") as stream:
            return None, _read_document(given, stream), f"TwiML from {given}"
    except OSError as exc:
        raise UsageError(f"cannot read {given}: {exc.strerror or exc}") from None


FirstDocument = tuple[str | None, bytes | None, str]


def settings_from(args: argparse.Namespace, first: FirstDocument | None = None) -> CallSettings:
    """The call described by the command line (``first``: its ``first_document``, read once);
    raises ``UsageError``."""
    url, twiml, _source = first or first_document(args)
    try:
        public_url = config.public_url(getattr(args, "public_url", None))
    except config.SettingsValueError as exc:
        raise UsageError(f"--public-url: {exc}") from None
    for option, value in (
        ("--fallback-url", args.fallback_url),
        ("--status-callback", args.status_callback),
    ):
        if value is not None:
            _check_url(value, option)
    events = frozenset(args.status_callback_events or ("completed",))
    try:
        return CallSettings(
            url=url,
            twiml=twiml,
            method=args.method,
            from_=args.from_,
            to=args.to,
            account_sid=args.account_sid
            or _from_environment(ACCOUNT_SID_VARIABLES)
            or DEFAULT_ACCOUNT_SID,
            auth_token=args.auth_token
            or _from_environment(AUTH_TOKEN_VARIABLES)
            or DEFAULT_AUTH_TOKEN,
            fallback_url=args.fallback_url,
            fallback_method=args.fallback_method,
            status_callback=args.status_callback,
            status_callback_method=args.status_callback_method,
            status_callback_events=events,
            api_base_url=public_url,
            extra_params=webhook_params.with_legacy_twins(dict(args.params)),
        )
    except SettingsError as exc:
        raise UsageError(str(exc)) from None


async def place_call(
    settings: CallSettings,
    caller: ScriptedCaller,
    *,
    script: Script | None = None,
    realtime: bool = False,
    policy: FetchPolicy | None = None,
    client: httpx.AsyncClient | None = None,
    media: MediaPlane | None = None,
    audio: CallAudio | None = None,
    on_start: Callable[[CallSession], None] | None = None,
) -> CallResult:
    """Run one call to its end through a switchboard, signing as ``settings.auth_token``.

    ``media`` defaults to estimated media (timings, no sound; the command itself uses real
    media unless ``--estimate``); with ``audio`` every sound heard and said is placed on it.
    A ``client`` given stays open; otherwise the switchboard's own is closed at the end.
    ``on_start`` sees the session before it runs (to follow its timeline as it is written).
    """
    board = Switchboard(
        policy=policy,
        client=client or make_client(policy=policy),
        media=media,
        realtime=realtime,
    )
    try:
        session = board.session(
            settings,
            caller,
            far_ends=script.far_ends if script is not None else None,
            audio=audio,
        )
        if on_start is not None:
            on_start(session)
        return await board.run(session)
    finally:
        if client is None:
            await board.aclose()


async def _interruptible(place: Callable[[], Awaitable[CallResult]]) -> CallResult:
    """Run the call; Ctrl-C cancels all of it (an anyio cancel scope reaches every task of the
    call, where asyncio's own handler cancels one task once) and raises KeyboardInterrupt."""
    loop = asyncio.get_running_loop()
    with anyio.CancelScope() as scope:
        loop.add_signal_handler(signal.SIGINT, scope.cancel)
        try:
            return await place()
        finally:
            loop.remove_signal_handler(signal.SIGINT)
    raise KeyboardInterrupt  # reached only when the scope was cancelled: by Ctrl-C


def _token_source(args: argparse.Namespace) -> str:
    if args.auth_token:
        return "the token from --auth-token"
    found = config.first_variable(AUTH_TOKEN_VARIABLES)
    if found is not None:
        return f"${found[0]}"
    return f"callbox's test token {DEFAULT_AUTH_TOKEN}"


def run(args: argparse.Namespace) -> int:
    if number_call.is_number(args.url):
        return number_call.run(args)
    if args.server is not None:
        print("callbox call: error: --server goes with a NUMBER of the platform", file=sys.stderr)
        return 2
    try:
        first = first_document(args)
        source = first[2]
        settings = settings_from(args, first)
        script = load_script(args.script) if args.script else None
        caller = _caller(args, script)
    except (UsageError, ScriptError, ValueError) as exc:
        print(f"callbox call: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"callbox call: error: cannot read the script: {exc}", file=sys.stderr)
        return 2
    policy = FetchPolicy(allow_private=args.allow_private, allow_loopback=args.allow_loopback)
    paths = config.resolve(data_dir_option=args.data_dir)
    try:
        if not args.estimate:  # fail now, not when the first recording is saved
            paths.recordings_dir.mkdir(parents=True, exist_ok=True)
        media = open_media_plane(paths.data_dir, paths.speech_cache_dir, estimated=args.estimate)
    except OSError as exc:
        print(
            f"callbox call: error: cannot use {exc.filename or 'a directory'}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    audio: CallAudio | None = None
    if args.audio:
        if Path(args.audio).is_dir():
            print(f"callbox call: error: --audio {args.audio} is a directory", file=sys.stderr)
            return 2
        from callbox.interpreter.media.call_audio import CallAudio

        audio = CallAudio()
    if not args.estimate or audio is not None:
        for reason in media.degraded():
            print(f"callbox call: note: {reason}", file=sys.stderr)
    report = TextReport(sys.stdout, Painter.for_stream(sys.stdout))

    def follow(session: CallSession) -> None:  # the timeline streams as the call runs
        report.start(session.sid, settings.from_, settings.to, source)
        session.timeline.subscribe(report.event)

    result = anyio.run(
        _interruptible,
        lambda: place_call(
            settings,
            caller,
            script=script,
            realtime=args.realtime,
            policy=policy,
            media=media,
            audio=audio,
            on_start=follow if args.format == "text" else None,
        ),
    )
    for note in refusal_notes(result, _token_source(args)):
        print(f"callbox call: note: {note}", file=sys.stderr)
    status = 1 if result.ended_on_error else 0
    if audio is not None:
        try:
            written = audio.write(args.audio)
        except OSError as exc:  # the call ran: its timeline is still printed below
            print(
                f"callbox call: error: cannot write the call audio to {args.audio}: "
                f"{exc.strerror or exc}",
                file=sys.stderr,
            )
            status = 2
        else:
            print(
                f"callbox call: wrote {audio.duration:.1f} s of call audio to {written}",
                file=sys.stderr,
            )
    if args.format == "json":
        render_json(settings, result, sys.stdout)
    else:
        report.finish(result)
    return status
