"""``callbox sms URL|NUMBER --body TEXT``: text an SMS app once and print what it did.

The target is the app's SmsUrl, or a number of the platform: texted through a running ``callbox
serve`` (``--server``, as ``callbox call NUMBER`` does), where the message is recorded and its
replies delivered; or, with ``--store``/``--data-dir``, at the SmsUrl (and fallback) that store
keeps for it, run here. The inbound message is sent with Twilio's parameters, signed; the
replies are queued and delivered on the simulated network, in virtual time unless
``--realtime``, with their status callbacks. Exit status: 0 when the exchange ran, 1 when an
error ended it (the app failed to answer, a document could not be used, a cap was hit), 2 for
usage errors (and no server to text a number through).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

import anyio
import httpx

from callbox.cli import platform_server as server
from callbox.cli.call import (
    ACCOUNT_SID_VARIABLES,
    AUTH_TOKEN_VARIABLES,
    UsageError,
    _check_url,
    _from_environment,
)
from callbox.interpreter import settings as config
from callbox.interpreter.fetch import make_client
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.session import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    DEFAULT_FROM,
    DEFAULT_TO,
)
from callbox.interpreter.timeline import Event
from callbox.messaging.addresses import is_e164
from callbox.messaging.exchange import ExchangeResult, Route
from callbox.messaging.messenger import Messenger
from callbox.messaging.numbers import number_record, route_of
from callbox.messaging.time import MessagingTime
from callbox.switchboard import Switchboard

HELP = "Text an SMS app (a URL, or a number of the platform) and print its replies."
STORE_FILE = "callbox.db"
"""The store ``callbox serve`` keeps in the data directory unless told otherwise."""
SERVER_APPLIES: tuple[tuple[str, object, str], ...] = (
    ("to", None, "--to"),
    ("method", "POST", "--method"),
    ("fallback_url", None, "--fallback-url"),
    ("fallback_method", "POST", "--fallback-method"),
    ("realtime", False, "--realtime"),
    ("no_delivery", False, "--no-delivery"),
    ("allow_private", False, "--allow-private"),
    ("allow_loopback", False, "--allow-loopback"),
)
"""Options that a number texted through the server takes from the number and the server."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target", metavar="URL|NUMBER", help="the app's SmsUrl, or a number of the platform"
    )
    parser.add_argument("--body", required=True, help="the text of the message")
    parser.add_argument(
        "--media",
        action="append",
        default=[],
        metavar="URL",
        help="a media URL (repeatable, up to 10)",
    )
    parser.add_argument("--from", dest="from_", default=DEFAULT_FROM, help="the sender's number")
    parser.add_argument("--to", help="the number texted (default: NUMBER, or a test number)")
    parser.add_argument(
        "--method",
        type=str.upper,
        choices=("GET", "POST"),
        default="POST",
        help="HTTP method for the URL",
    )
    parser.add_argument(
        "--fallback-url", help="fetched when the SmsUrl fails (Twilio's SmsFallbackUrl)"
    )
    parser.add_argument(
        "--fallback-method", type=str.upper, choices=("GET", "POST"), default="POST"
    )
    parser.add_argument("--realtime", action="store_true", help="deliver on the wall clock")
    parser.add_argument(
        "--no-delivery", action="store_true", help="do not wait for the replies' delivery"
    )
    parser.add_argument(
        "--account-sid", help="AccountSid (default: $CALLBOX_ACCOUNT_SID, $TWILIO_ACCOUNT_SID)"
    )
    parser.add_argument(
        "--auth-token",
        help="signs X-Twilio-Signature (default: $CALLBOX_AUTH_TOKEN, $TWILIO_AUTH_TOKEN)",
    )
    parser.add_argument(
        "--allow-private", action="store_true", help="allow fetching private network addresses"
    )
    parser.add_argument(
        "--allow-loopback",
        action="store_true",
        help="allow loopback URLs in the documents even when the SmsUrl is not on loopback "
        "(an SmsUrl on http://localhost... may use loopback anyway)",
    )
    parser.add_argument(
        "--store",
        metavar="LOCATION",
        help=f"look NUMBER up in this store and text it here, without a server "
        f"(DATA_DIR/{STORE_FILE} with --data-dir)",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"the data directory whose {STORE_FILE} NUMBER is looked up in, without a server "
        f"(default for --store: ${config.DATA_DIR_VARIABLE})",
    )
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default text)"
    )
    server.add_server_argument(parser)


def _route_of_number(args: argparse.Namespace) -> tuple[Route, str, str | None]:
    """The SmsUrl of the platform's number ``args.target``, and its account's SID and token."""
    from callbox.records import Account
    from callbox.store import StoreError, open_store

    location = args.store
    if location is None:
        location = str(config.resolve(data_dir_option=args.data_dir).data_dir / STORE_FILE)
        if not Path(location).is_file():
            raise UsageError(f"no store at {location}: run `callbox serve` first, or text a URL")
    try:
        store = open_store(location)
        number = number_record(store, args.target)
        account = store.get(Account, number.account_sid) if number is not None else None
        store.close()
    except StoreError as exc:
        raise UsageError(f"cannot read the store {location}: {exc}") from None
    if number is None:
        raise UsageError(f"the platform has no number {args.target} (in {location})")
    route = route_of(number)
    if route is None:
        raise UsageError(f"the number {args.target} has no SmsUrl")
    return route, number.account_sid, account.auth_token if account else None


def _route(args: argparse.Namespace) -> tuple[Route, str, str, str]:
    """Where the message goes, the account, its auth token and the number texted."""
    account_sid = args.account_sid or _from_environment(ACCOUNT_SID_VARIABLES)
    auth_token = args.auth_token or _from_environment(AUTH_TOKEN_VARIABLES)
    if args.fallback_url is not None:
        _check_url(args.fallback_url, "--fallback-url")
    if len(args.media) > 10:
        raise UsageError("a message carries at most 10 media URLs (21623)")
    if is_e164(args.target):
        route, number_account, number_token = _route_of_number(args)
        if args.fallback_url:
            route = Route(route.url, route.method, args.fallback_url, args.fallback_method)
        return (
            route,
            account_sid or number_account,
            auth_token or number_token or DEFAULT_AUTH_TOKEN,
            args.to or args.target,
        )
    _check_url(args.target, "URL")
    route = Route(args.target, args.method, args.fallback_url, args.fallback_method)
    return (
        route,
        account_sid or DEFAULT_ACCOUNT_SID,
        auth_token or DEFAULT_AUTH_TOKEN,
        args.to or DEFAULT_TO,
    )


async def text_app(
    route: Route,
    *,
    from_: str,
    to: str,
    body: str,
    media: list[str],
    account_sid: str,
    auth_token: str,
    policy: FetchPolicy,
    realtime: bool = False,
    deliver: bool = True,
) -> ExchangeResult:
    """Send one inbound message to ``route`` and run its exchange (and the replies' delivery)."""
    board = Switchboard(policy=policy, client=make_client(policy=policy), realtime=realtime)
    try:
        messenger = Messenger(
            account_sid=account_sid,
            new_fetcher=lambda url: board.fetcher(auth_token, policy=policy.for_first_url(url)),
            time=MessagingTime(None if realtime else board.scheduler),
        )
        messenger.route(
            to,
            route.url,
            route.method,
            fallback_url=route.fallback_url,
            fallback_method=route.fallback_method,
        )
        async with messenger:
            result = await messenger.receive(from_, to, body, media)
            if deliver:
                await messenger.drain()
            else:
                messenger.cancel_deliveries()
        return result
    finally:
        await board.aclose()


def render_text(source: str, result: dict[str, Any], out: TextIO) -> None:
    """The exchange (``ExchangeResult.as_dict``, here or from a server) as text."""
    out.write(f"Message {result['sid']} from {result['from']} to {result['to']}: ")
    out.write(f"{result['body']!r}\n  {source}\n\n")
    for event in result["timeline"]:
        out.write(Event(**event).format() + "\n")
    replies = result["replies"]
    out.write(f"\n{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}")
    delivered = sum(1 for reply in replies if reply["status"] == "delivered")
    if replies:
        out.write(f", {delivered} delivered")
    out.write("\n")
    if result["error_code"]:
        out.write(f"Error {result['error_code']} ended this exchange.\n")


def text_through_server(args: argparse.Namespace) -> int:
    """Text the platform's number ``args.target`` through a running server's inbound-message
    hook: the server runs the number's SmsUrl, records the message and delivers the replies."""
    try:
        server.refuse_local_options(args, SERVER_APPLIES)
        to = server.e164(args.target)
        base = server.server_url(args.server)
        if len(args.media) > 10:
            raise server.ServerError("a message carries at most 10 media URLs (21623)")
        from callbox.web.sms_hook import INBOUND_MESSAGES_PATH  # the server's side: on use

        form = {"To": to, "From": args.from_, "Body": args.body, "MediaUrl": args.media}
        try:
            response = httpx.post(
                base + INBOUND_MESSAGES_PATH,
                data=form,
                auth=server.credentials(args),
                timeout=server.timeout(),
            )
        except httpx.ConnectError as exc:
            raise server.unreachable(base, exc) from None
        if response.status_code != 200:
            raise server.ServerError(server.refusal(response, base))
    except server.ServerError as exc:
        print(f"callbox sms: error: {exc}", file=sys.stderr)
        return 2
    except httpx.HTTPError as exc:
        print(f"callbox sms: error: the server at {base} did not answer: {exc}", file=sys.stderr)
        return 1
    result: dict[str, Any] = response.json()
    if args.format == "json":
        json.dump({"server": base, **result}, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        render_text(f"through the callbox server at {base}", result, sys.stdout)
    return 1 if result["error_code"] else 0


def render_json(route: Route, result: ExchangeResult, out: TextIO) -> None:
    data: dict[str, Any] = {"url": route.url, "method": route.method, **result.as_dict()}
    json.dump(data, out, indent=2, ensure_ascii=False, default=str)
    out.write("\n")


def run(args: argparse.Namespace) -> int:
    by_store = args.store is not None or args.data_dir is not None
    if is_e164(args.target) and not by_store:
        return text_through_server(args)
    if args.server is not None:
        print(
            "callbox sms: error: --server goes with a NUMBER texted through the server (not with "
            "a URL, --store or --data-dir)",
            file=sys.stderr,
        )
        return 2
    try:
        route, account_sid, auth_token, to = _route(args)
    except UsageError as exc:
        print(f"callbox sms: error: {exc}", file=sys.stderr)
        return 2
    policy = FetchPolicy(allow_private=args.allow_private, allow_loopback=args.allow_loopback)
    result = anyio.run(
        lambda: text_app(
            route,
            from_=args.from_,
            to=to,
            body=args.body,
            media=args.media,
            account_sid=account_sid,
            auth_token=auth_token,
            policy=policy,
            realtime=args.realtime,
            deliver=not args.no_delivery,
        )
    )
    if args.format == "json":
        render_json(route, result, sys.stdout)
    else:
        render_text(f"{route.method} {route.url}", result.as_dict(), sys.stdout)
    return 1 if result.error_code else 0
