"""``callbox serve``: run the platform on one machine: hosted call-flow files, and the recordings
that ``callbox call`` stores in the data directory, at their ``RecordingUrl``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

from callbox.interpreter import settings as config
from callbox.interpreter.http.app import ServerSettings, create_app

HELP = "Serve call-flow files (plain TwiML or Jinja2 templates) and recordings over HTTP."
ANY_ADDRESS = ("0.0.0.0", "::", "")


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
        help=f"where recordings are read from (default: ${config.DATA_DIR_VARIABLE}, "
        "$XDG_DATA_HOME/callbox, ~/.local/share/callbox)",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help=f"this server's address as others reach it (default: ${config.PUBLIC_URL_VARIABLE}, "
        "then http://HOST:PORT)",
    )


def own_url(host: str, port: int) -> str:
    """The address this server answers at; for a wildcard host, loopback."""
    shown = "127.0.0.1" if host in ANY_ADDRESS else host
    if ":" in shown:
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


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
    app = create_app(
        ServerSettings(flows_dir=flows_dir, data_dir=paths.data_dir, public_url=paths.public_url)
    )
    base = paths.public_url
    print(f"callbox: hosting flows from {flows_dir} at {base}/flows/NAME", file=sys.stderr)
    print(
        f"callbox: serving recordings from {paths.recordings_dir} at "
        f"{base}/2010-04-01/Accounts/ACCOUNT_SID/Recordings/RECORDING_SID[.wav|.mp3|.json]",
        file=sys.stderr,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
