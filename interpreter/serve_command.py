"""``callflow serve``: run the platform on one machine (today: hosting of call-flow files)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import uvicorn

from interpreter.http.app import ServerSettings, create_app

HELP = "Serve call-flow files (plain TwiML or Jinja2 templates) over HTTP."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on")
    parser.add_argument(
        "--flows",
        type=Path,
        default=Path("samples"),
        help="directory of flow files (*.xml, *.xml.j2) to host at /flows/NAME",
    )


def run(args: argparse.Namespace) -> int:
    flows_dir: Path = args.flows
    if not flows_dir.is_dir():
        print(f"callflow serve: {flows_dir} is not a directory", file=sys.stderr)
        return 2
    app = create_app(ServerSettings(flows_dir=flows_dir))
    base = f"http://{args.host}:{args.port}"
    print(f"callflow: hosting flows from {flows_dir} at {base}/flows/NAME", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
