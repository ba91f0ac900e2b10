"""Reaching a running ``callbox serve`` from the command line, as ``callbox call NUMBER`` and
``callbox sms NUMBER`` do: its address (``--server``, else ``$CALLBOX_PUBLIC_URL``, else
http://127.0.0.1:5000), the credentials sent, and what its refusals and its absence mean.
"""

from __future__ import annotations

import argparse
import json
import re

import httpx

from callbox.interpreter import settings as config
from callbox.interpreter.far_ends import normalize_address

E164 = re.compile(r"^\+[1-9]\d{6,14}$")
CONNECT_SECONDS = 10.0


class ServerError(Exception):
    """The server could not be asked, or refused (exit status 2: nothing was placed)."""


def add_server_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--server",
        metavar="URL",
        help="with a NUMBER: the callbox server that serves it (default: "
        f"${config.PUBLIC_URL_VARIABLE}, {config.DEFAULT_PUBLIC_URL})",
    )


def server_url(option: str | None) -> str:
    try:
        return config.public_url(option)
    except config.SettingsValueError as exc:
        raise ServerError(f"--server: {exc}") from None


def e164(given: str) -> str:
    """``given`` as an E.164 number (``5550100001`` is read as ``+1…``), or ServerError."""
    number = normalize_address(given)
    if not E164.match(number):
        raise ServerError(f"{given!r} is not a phone number in E.164 form (+15550100001)")
    return number


def refuse_local_options(
    args: argparse.Namespace, options: tuple[tuple[str, object, str], ...]
) -> None:
    """ServerError for the first option given (not at its default) that a server applies itself."""
    for dest, default, flag in options:
        if getattr(args, dest, default) not in (default, None):
            raise ServerError(
                f"{flag} does not apply to a number of the platform: the number's own settings "
                "on the server do (update it over REST)"
            )


def _variable(names: tuple[str, ...]) -> str | None:
    found = config.first_variable(names)
    return found[1] if found else None


def credentials(args: argparse.Namespace) -> tuple[str, str] | None:
    """The account SID and auth token to send: ``--account-sid``/``--auth-token``, else
    ``$CALLBOX_*``, else ``$TWILIO_*``; None unless both are known (the hooks need none)."""
    sid = args.account_sid or _variable(config.ACCOUNT_SID_VARIABLES)
    token = args.auth_token or _variable(config.AUTH_TOKEN_VARIABLES)
    return (sid, token) if sid and token else None


def refusal(response: httpx.Response, server: str) -> str:
    """What a server's error answer says, with its Twilio code."""
    try:
        body = json.loads(response.read())
        code, message = body["code"], body["message"]
    except (ValueError, KeyError, TypeError):
        return f"the server at {server} answered {response.status_code}: not a callbox server?"
    hint = ""
    if response.status_code == 401:
        hint = (
            "; the account SID and auth token sent (--account-sid/--auth-token, "
            "$CALLBOX_ACCOUNT_SID/$CALLBOX_AUTH_TOKEN, $TWILIO_*) must be those `callbox serve` "
            "printed, or none"
        )
    return f"{message} (error {code}: https://www.twilio.com/docs/errors/{code}){hint}"


def unreachable(server: str, error: Exception) -> ServerError:
    return ServerError(
        f"no callbox server answers at {server} ({error}): start one with `callbox serve`, "
        f"or point --server (or ${config.PUBLIC_URL_VARIABLE}) at it"
    )


def timeout() -> httpx.Timeout:
    """Connecting is quick or fails; an answer comes when the call or exchange has run."""
    return httpx.Timeout(CONNECT_SECONDS, read=None)
