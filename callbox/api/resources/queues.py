"""Queues and their Members: the call queues ``<Enqueue>`` fills (create, list, fetch, update,
delete a queue; list and fetch the calls waiting, and dequeue one to a URL)."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response
from starlette.routing import Route

from callbox.api.context import ApiContext
from callbox.api.errors import UNKNOWN_PARAMETER, ApiError, invalid
from callbox.api.handlers import ApiRequest, api_route, json
from callbox.api.resources.rooms_listing import found, page_of, rooms_of
from callbox.api.wire import account_path, rfc2822
from callbox.switchboard.queues import DEFAULT_MAX_SIZE, MAX_NAME_LENGTH, CallQueue, Seat

MAX_QUEUE_SIZE = 5000
"""Twilio's largest ``MaxSize``."""
QUEUE_NAME_IN_USE = UNKNOWN_PARAMETER
"""A second queue with the same FriendlyName: names find queues (``<Enqueue>support``), so they
are unique per account; Twilio's generic invalid-parameter code."""
QUEUE_NOT_EMPTY = UNKNOWN_PARAMETER
"""Deleting a queue that calls still wait in."""


def queue_json(queue: CallQueue) -> dict[str, Any]:
    path = f"{account_path(_account(queue))}/Queues/{queue.sid}"
    return {
        "account_sid": _account(queue),
        "average_wait_time": queue.average_wait_time(),
        "current_size": queue.size,
        "date_created": rfc2822(queue.date_created),
        "date_updated": rfc2822(queue.date_updated),
        "friendly_name": queue.friendly_name,
        "max_size": queue.max_size,
        "sid": queue.sid,
        "uri": f"{path}.json",
    }


def member_json(queue: CallQueue, seat: Seat) -> dict[str, Any]:
    path = f"{account_path(_account(queue))}/Queues/{queue.sid}/Members/{seat.call_sid}"
    return {
        "call_sid": seat.call_sid,
        "date_enqueued": rfc2822(seat.date_enqueued),
        "position": seat.position(),
        "queue_sid": queue.sid,
        "uri": f"{path}.json",
        "wait_time": round(seat.wait_time()),
    }


def _account(queue: CallQueue) -> str:
    return queue.account_sid


def _queue(request: ApiRequest) -> CallQueue:
    return found(request, rooms_of(request).queue_by_sid(request.arg("sid")))


def _name(request: ApiRequest, required: bool) -> str | None:
    name = request.params.get("FriendlyName")
    if name is None:
        if required:
            raise ApiError(20001, "Missing required parameter FriendlyName in the post body")
        return None
    if not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise invalid("FriendlyName", f"1 to {MAX_NAME_LENGTH} characters")
    return name


def _max_size(request: ApiRequest, default: int) -> int:
    return request.params.integer("MaxSize", default, low=1, high=MAX_QUEUE_SIZE)


async def create(request: ApiRequest) -> Response:
    rooms = rooms_of(request)
    name = _name(request, required=True)
    assert name is not None
    if name in rooms.queues:
        raise ApiError(QUEUE_NAME_IN_USE, f"A queue named {name} already exists")
    queue = rooms.queue(name, _max_size(request, DEFAULT_MAX_SIZE))
    return json(queue_json(queue), 201)


async def listing(request: ApiRequest) -> Response:
    queues = list(rooms_of(request).queues.values())
    return json(page_of(request, "queues", queues, queue_json))


async def fetch(request: ApiRequest) -> Response:
    return json(queue_json(_queue(request)))


async def update(request: ApiRequest) -> Response:
    rooms, queue = rooms_of(request), _queue(request)
    name = _name(request, required=False)
    if name is not None and name != queue.friendly_name:
        if name in rooms.queues:
            raise ApiError(QUEUE_NAME_IN_USE, f"A queue named {name} already exists")
        rooms.rename_queue(queue, name)
    queue.max_size = _max_size(request, queue.max_size)
    return json(queue_json(queue))


async def delete(request: ApiRequest) -> Response:
    queue = _queue(request)
    if not rooms_of(request).remove_queue(queue.sid):
        raise ApiError(QUEUE_NOT_EMPTY, f"Queue {queue.sid} has calls waiting in it")
    return Response(status_code=204)


def _member(request: ApiRequest, queue: CallQueue) -> Seat:
    wanted = request.arg("call_sid")
    if wanted == "Front":
        return found(request, queue.members[0] if queue.members else None)
    return found(request, next((s for s in queue.members if s.call_sid == wanted), None))


async def members(request: ApiRequest) -> Response:
    queue = _queue(request)
    return json(
        page_of(request, "queue_members", list(queue.members), lambda s: member_json(queue, s))
    )


async def member(request: ApiRequest) -> Response:
    queue = _queue(request)
    return json(member_json(queue, _member(request, queue)))


async def dequeue(request: ApiRequest) -> Response:
    """Send the member to ``Url``: it leaves the queue and runs that document."""
    queue = _queue(request)
    seat = _member(request, queue)
    url = request.params.url("Url")
    if url is None:
        raise ApiError(21205, "Url is required to dequeue a member")
    shown = member_json(queue, seat)
    seat_sent = queue.send(seat.call_sid, url, request.params.method("Method").value)
    if seat_sent is None:
        raise ApiError(20404, f"The requested resource {request.path} was not found", 404)
    return json({**shown, "position": 0, "wait_time": round(seat.wait_time())})


def routes(context: ApiContext) -> list[Route]:
    base = "/2010-04-01/Accounts/{account_sid}/Queues"
    one = f"{base}/{{sid}}"
    return [
        api_route(context, f"{base}.json", listing, ["GET"]),
        api_route(context, f"{base}.json", create, ["POST"]),
        api_route(context, f"{one}.json", fetch, ["GET"]),
        api_route(context, f"{one}.json", update, ["POST"]),
        api_route(context, f"{one}.json", delete, ["DELETE"]),
        api_route(context, f"{one}/Members.json", members, ["GET"]),
        api_route(context, f"{one}/Members/{{call_sid}}.json", member, ["GET"]),
        api_route(context, f"{one}/Members/{{call_sid}}.json", dequeue, ["POST"]),
    ]
