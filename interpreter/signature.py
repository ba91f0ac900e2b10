"""``X-Twilio-Signature``: how callbox signs each request to an app, and how a signature is checked.

The algorithm is Twilio's (reference section 5): HMAC-SHA1 keyed with the auth token over the full
URL as requested, followed by each form parameter's name and value in sorted order; base64.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from urllib.parse import parse_qs, urlsplit, urlunsplit

SIGNATURE_HEADER = "X-Twilio-Signature"

Params = Mapping[str, str | list[str]]


def signing_string(url: str, params: Params | None = None) -> str:
    """The text that is signed: the URL, then ``name + value`` for each sorted name and each of
    its sorted distinct values (repeated keys contribute every value)."""
    parts = [url]
    if params:
        for name in sorted(params):
            value = params[name]
            if isinstance(value, str):
                parts.append(name + value)
            else:
                parts.extend(name + item for item in sorted(set(value)))
    return "".join(parts)


def sign(auth_token: str, url: str, params: Params | None = None, algorithm: str = "sha1") -> str:
    """The ``X-Twilio-Signature`` for a request to ``url`` with form ``params``.

    For a POST, ``params`` is the form body; for a GET the parameters are already in ``url`` and
    ``params`` is empty. ``algorithm`` is ``sha1`` (auth token) or ``sha256`` (shared key).
    """
    message = signing_string(url, params).encode("utf-8")
    digest = hmac.digest(auth_token.encode("utf-8"), message, algorithm)
    return base64.b64encode(digest).decode("ascii")


def _port_variants(url: str) -> tuple[str, str]:
    """``url`` without any port and with the scheme's default port made explicit."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    userinfo = parts.netloc[: len(parts.netloc) - len(host)]
    bare = host[: host.index("]") + 1] if host.startswith("[") else host.split(":", 1)[0]
    without = urlunsplit(parts._replace(netloc=userinfo + bare))
    if parts.port is not None:
        with_port = url
    else:
        default = 443 if parts.scheme == "https" else 80
        with_port = urlunsplit(parts._replace(netloc=f"{userinfo}{bare}:{default}"))
    return without, with_port


def is_valid(
    auth_token: str,
    url: str,
    params: Params | str | None,
    signature: str,
    algorithm: str = "sha1",
) -> bool:
    """Whether ``signature`` signs this request, as Twilio's validators decide.

    ``params`` is the form (POST), empty (GET), or the raw body as a string for JSON requests, in
    which case the URL must carry ``bodySHA256`` and the body's SHA-256 must match it. The URL is
    accepted both with and without the scheme's default port.
    """
    body_ok = True
    form: Params | None
    if isinstance(params, str):
        query = parse_qs(urlsplit(url).query)
        expected = query.get("bodySHA256", [""])[0]
        actual = hashlib.sha256(params.encode("utf-8")).hexdigest()
        body_ok = bool(expected) and hmac.compare_digest(actual, expected)
        form = None
    else:
        form = params
    candidates = _port_variants(url)
    matches = [
        hmac.compare_digest(sign(auth_token, candidate, form, algorithm), signature)
        for candidate in candidates
    ]
    return body_ok and any(matches)
