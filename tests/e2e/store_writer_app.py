"""A minimal server that writes through a callbox store, for the kill -9 test: ``POST /calls``
creates a Call record and answers ``201 {"sid": ...}`` once the store has it, as the REST API
does. Run: ``python tests/e2e/store_writer_app.py --store LOCATION --port PORT``."""

from __future__ import annotations

import argparse

import anyio.to_thread
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from callbox.records import Call, CallDirection, CallStatus, SidPrefix, new_sid, utc_now
from callbox.store import Store, open_store

ACCOUNT_SID = "AC" + "5a" * 16


def app(store: Store) -> Starlette:
    async def create_call(request: Request) -> Response:
        form = await request.form()
        now = utc_now()
        call = Call(
            sid=new_sid(SidPrefix.CALL),
            account_sid=ACCOUNT_SID,
            to=str(form.get("To", "+15550100001")),
            from_="+15005550006",
            status=CallStatus.QUEUED,
            direction=CallDirection.OUTBOUND_API,
            date_created=now,
            date_updated=now,
        )
        await anyio.to_thread.run_sync(store.create, call)
        return JSONResponse({"sid": call.sid}, status_code=201)

    async def healthz(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/calls", create_call, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    uvicorn.run(
        app(open_store(options.store)), host="127.0.0.1", port=options.port, log_level="warning"
    )


if __name__ == "__main__":
    main()
