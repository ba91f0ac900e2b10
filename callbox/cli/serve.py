"""``callbox serve``: run the platform on one machine: Twilio's REST API over a store, the
platform's phone numbers, hosted call-flow files, recordings, and the test hooks.

The first start creates an account and a few numbers and prints them; later starts with the same
store find them again. Ctrl-C (SIGINT) or SIGTERM ends live calls, records them, then exits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import uvicorn

from callbox.interpreter import settings as config
from callbox.interpreter.http.guard import BODY_SECONDS, MAX_REQUEST_BYTES, GuardSettings
from callbox.interpreter.http.slow_clients import HEAD_SECONDS, head_deadline_protocol
from callbox.interpreter.http.templates import MAX_TEMPLATE_OUTPUT, MAX_TEMPLATE_SECONDS
from callbox.interpreter.policy import FetchPolicy
from callbox.store import StoreError, open_store
from callbox.switchboard import open_media_plane
from callbox.web.app import Platform
from callbox.web.hooks import INBOUND_PATH
from callbox.web.sms_hook import INBOUND_MESSAGES_PATH

HELP = "Run the platform: Twilio's REST API, phone numbers, hosted call flows and recordings."
ANY_ADDRESS = ("0.0.0.0", "::", "")
BASIC_AUTH_VARIABLE = "CALLBOX_BASIC_AUTH"
AUTH_TOKEN_VARIABLES = ("CALLBOX_AUTH_TOKEN", "TWILIO_AUTH_TOKEN")
MAX_CONNECTIONS = 1000
"""Connections and requests served at once; beyond, uvicorn answers 503."""
STORE_FILE = "callbox.db"


def _positive(kind: type[int] | type[float]) -> Callable[[str], float]:
    def parse(value: str) -> float:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
        if not number > 0:
            raise argparse.ArgumentTypeError(f"{value!r} must be more than 0")
        return number

    return parse


def _credentials(value: str) -> tuple[str, str]:
    user, colon, password = value.partition(":")
    if not colon or not user:
        raise argparse.ArgumentTypeError("give USER:PASSWORD")
    return user, password


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (0-65535)")
    return port


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=config.DEFAULT_HOST, help="address to listen on")
    parser.add_argument("--port", type=_port, default=config.DEFAULT_PORT, help="port to listen on")
    parser.add_argument(
        "--flows",
        type=Path,
        default=Path("samples"),
        help="directory of flow files (*.xml, *.xml.j2) to host at /flows/NAME",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"where the store and recordings live (default: ${config.DATA_DIR_VARIABLE}, "
        "$XDG_DATA_HOME/callbox, ~/.local/share/callbox)",
    )
    parser.add_argument(
        "--store",
        metavar="LOCATION",
        help=f"where records are kept: a SQLite path, sqlite:PATH, postgresql://..., or memory "
        f"(default: DATA_DIR/{STORE_FILE})",
    )
    parser.add_argument(
        "--clock",
        choices=("real", "virtual"),
        default="real",
        help="real: calls last as long as they would; virtual: they finish as fast as they can",
    )
    parser.add_argument(
        "--estimate",
        action="store_true",
        help="estimate audio durations instead of rendering speech (no espeak-ng, faster)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=f"this server's address as others reach it (default: ${config.PUBLIC_URL_VARIABLE}, "
        "then http://HOST:PORT)",
    )
    parser.add_argument(
        "--basic-auth",
        metavar="USER:PASSWORD",
        type=_credentials,
        help=f"require these HTTP Basic credentials on the hosted flows' webhooks (/flows/) "
        f"(default: ${BASIC_AUTH_VARIABLE}; none)",
    )
    parser.add_argument(
        "--check-signature",
        action="store_true",
        help="refuse webhooks to /flows/ without a valid X-Twilio-Signature (403)",
    )
    parser.add_argument(
        "--auth-token",
        help="the auth token signatures are checked with (default: $CALLBOX_AUTH_TOKEN, "
        "$TWILIO_AUTH_TOKEN, then the platform account's own)",
    )
    parser.add_argument(
        "--max-request-bytes",
        type=_positive(int),
        default=MAX_REQUEST_BYTES,
        metavar="N",
        help=f"largest request body served, larger ones get 413 (default {MAX_REQUEST_BYTES})",
    )
    parser.add_argument(
        "--body-timeout",
        type=_positive(float),
        default=BODY_SECONDS,
        metavar="SECONDS",
        help=f"time a client has to send a request body, then 408 (default {BODY_SECONDS:g})",
    )
    parser.add_argument(
        "--head-timeout",
        type=_positive(float),
        default=HEAD_SECONDS,
        metavar="SECONDS",
        help=f"time a client has to send a request's headers, then the connection is closed "
        f"(default {HEAD_SECONDS:g})",
    )
    parser.add_argument(
        "--max-connections",
        type=_positive(int),
        default=MAX_CONNECTIONS,
        metavar="N",
        help=f"connections served at once, beyond them 503 (default {MAX_CONNECTIONS})",
    )
    parser.add_argument(
        "--template-timeout",
        type=_positive(float),
        default=MAX_TEMPLATE_SECONDS,
        metavar="SECONDS",
        help=f"time one template may render (default {MAX_TEMPLATE_SECONDS:g})",
    )
    parser.add_argument(
        "--max-template-output",
        type=_positive(int),
        default=MAX_TEMPLATE_OUTPUT,
        metavar="N",
        help=f"characters one template may write (default {MAX_TEMPLATE_OUTPUT})",
    )
    parser.add_argument(
        "--allow-private",
        action="store_true",
        help="let calls fetch private-network addresses (loopback: only a call whose URL is on "
        "loopback, as the platform's own hosted flows are)",
    )


def own_url(host: str, port: int) -> str:
    """The address this server answers at; for a wildcard host, loopback."""
    shown = "127.0.0.1" if host in ANY_ADDRESS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def announce(platform: Platform, store_location: str, flows_dir: Path) -> None:
    """What a user needs to use the platform: credentials, numbers, how to call them."""
    account = platform.provisioned.account
    base = platform.public_url
    out = sys.stderr
    verb = "created" if platform.provisioned.created else "using"
    print(f"callbox: {verb} account {account.sid} in {store_location}", file=out)
    print(f"callbox:   auth token {account.auth_token}", file=out)
    for number in platform.provisioned.numbers:
        target = number.voice_url or "(no VoiceUrl yet)"
        texts = f", texts -> {number.sms_url}" if number.sms_url else ""
        print(f"callbox:   number {number.phone_number} -> {target}{texts}", file=out)
    if platform.provisioned.numbers:
        first = platform.provisioned.numbers[0].phone_number
        server = "" if base == config.DEFAULT_PUBLIC_URL else f" --server {base}"
        print(f"callbox: call a number: callbox call {first} --press 1{server}", file=out)
    print(
        f"callbox: REST API at {base}/2010-04-01 (twilio: client.api.base_url = {base!r})", file=out
    )
    print(f"callbox: inbound-call hook at {base}{INBOUND_PATH}", file=out)
    print(f"callbox: inbound-message hook at {base}{INBOUND_MESSAGES_PATH}", file=out)
    print(f"callbox: hosting flows from {flows_dir} at {base}/flows/NAME", file=out)


def run(args: argparse.Namespace) -> int:
    flows_dir: Path = args.flows
    if not flows_dir.is_dir():
        print(f"callbox serve: {flows_dir} is not a directory", file=sys.stderr)
        return 2
    try:
        paths = config.resolve(
            data_dir_option=args.data_dir,
            public_url_option=args.public_url,
            default_public_url=own_url(args.host, args.port),
        )
    except config.SettingsValueError as exc:
        print(f"callbox serve: --public-url: {exc}", file=sys.stderr)
        return 2
    basic_auth = args.basic_auth
    if basic_auth is None and os.environ.get(BASIC_AUTH_VARIABLE):
        try:
            basic_auth = _credentials(os.environ[BASIC_AUTH_VARIABLE])
        except argparse.ArgumentTypeError as exc:
            print(f"callbox serve: ${BASIC_AUTH_VARIABLE}: {exc}", file=sys.stderr)
            return 2
    location = args.store or str(paths.data_dir / STORE_FILE)
    try:
        if args.store is None:
            paths.data_dir.mkdir(parents=True, exist_ok=True)
        store = open_store(location)
    except (StoreError, OSError) as exc:
        print(f"callbox serve: --store: {exc}", file=sys.stderr)
        return 2
    try:
        platform = Platform.start(
            store,
            flows_dir,
            paths.public_url,
            data_dir=paths.data_dir,
            realtime=args.clock == "real",
            media=open_media_plane(paths.data_dir, paths.speech_cache_dir, estimated=args.estimate),
            policy=FetchPolicy(allow_private=args.allow_private),
            settle_collector=True,
        )
        token = args.auth_token or next(
            (os.environ[name] for name in AUTH_TOKEN_VARIABLES if os.environ.get(name)),
            platform.provisioned.account.auth_token,
        )
        platform.guard = GuardSettings(
            max_request_bytes=args.max_request_bytes,
            body_seconds=args.body_timeout,
            basic_auth=basic_auth,
            auth_token=token if args.check_signature else None,
            # signatures are checked for the URL the caller used unless a public URL is given
            public_url=paths.public_url
            if args.public_url or os.environ.get(config.PUBLIC_URL_VARIABLE)
            else None,
        )
        platform.max_template_output = args.max_template_output
        platform.max_template_seconds = args.template_timeout
        announce(platform, location, flows_dir)
        uvicorn.run(
            platform.app(),
            host=args.host,
            port=args.port,
            log_level="info",
            http=head_deadline_protocol(args.head_timeout),
            limit_concurrency=args.max_connections,
        )
    finally:
        store.close()
    return 0
