"""Benchmark: REST requests per second, create-call and list-calls, beside a bare Starlette
endpoint in the same run, all served by uvicorn on loopback and driven by one httpx client.

The bare endpoint answers a fixed JSON body with no authentication: the floor of what one
uvicorn worker costs per request here. ``POST .../Calls.json`` authenticates, checks the form,
stores the call (SQLite, synchronous=FULL, in a temporary directory) and hands it to the
exchange (virtual clock: the call runs to its end on the same core, so this counts the call's
cost too); ``GET .../Calls.json`` pages 50 calls. Usage:
``.venv/bin/python bench/bench_api.py [--requests 500] [--concurrency 8]``.

Measured on the shared 2-core machine (busy with other engineers' test runs), 2026-12-03, 300
requests, 8 at a time: bare endpoint 547 req/s; create-call 95 req/s (0.17x); list-calls 107
req/s (0.20x).
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from callbox.store import open_store
from callbox.web.app import Platform

ROOT = Path(__file__).resolve().parent.parent
TWIML = "<Response><Say>Hi</Say></Response>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(app: Any) -> tuple[str, uvicorn.Server, threading.Thread]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    return f"http://127.0.0.1:{port}", server, thread


async def rate(
    requests: int, concurrency: int, send: Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]
) -> float:
    """Requests per second: ``requests`` sends, ``concurrency`` at a time, each checked."""
    async with httpx.AsyncClient(timeout=30) as client:
        await send(client)  # warm the connection pool
        left = requests

        async def worker() -> None:
            nonlocal left
            while left > 0:
                left -= 1
                response = await send(client)
                if response.status_code >= 400:
                    raise RuntimeError(f"{response.status_code}: {response.text[:200]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return requests / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    async def bare(request: Request) -> Response:
        return JSONResponse({"sid": "CA" + "0" * 32, "status": "queued"})

    bare_url, bare_server, bare_thread = serve(Starlette(routes=[Route("/bare", bare)]))
    with tempfile.TemporaryDirectory() as directory:
        store = open_store(str(Path(directory) / "bench.db"))
        platform = Platform.start(store, ROOT / "samples", "http://127.0.0.1", realtime=False)
        api_url, api_server, api_thread = serve(platform.app())
        account = platform.provisioned.account
        calls = f"{api_url}/2010-04-01/Accounts/{account.sid}/Calls.json"
        auth = (account.sid, account.auth_token)
        form = {"To": "+15005550006", "From": "+15550100001", "Twiml": TWIML}

        figures = {
            "bare Starlette JSON endpoint": asyncio.run(
                rate(args.requests, args.concurrency, lambda c: c.get(f"{bare_url}/bare"))
            ),
            "POST Calls.json (create)": asyncio.run(
                rate(args.requests, args.concurrency, lambda c: c.post(calls, data=form, auth=auth))
            ),
            "GET Calls.json (a page of 50)": asyncio.run(
                rate(args.requests, args.concurrency, lambda c: c.get(calls, auth=auth))
            ),
        }
        api_server.should_exit = True
        api_thread.join()
        store.close()
    bare_server.should_exit = True
    bare_thread.join()
    baseline = figures["bare Starlette JSON endpoint"]
    print(f"{args.requests} requests, {args.concurrency} at a time, one uvicorn worker each:")
    for name, value in figures.items():
        print(f"  {name:34s} {value:8.0f} req/s   {value / baseline:5.2f}x the bare endpoint")


if __name__ == "__main__":
    main()
