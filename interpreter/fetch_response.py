"""Reading an application's response as the fetcher does: the headers it needs in one pass, the
body under a size cap, closing even while cancelled and letting go of the exchange; a failure
carries Twilio's error code."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import anyio
import httpx

from callbox import codes


class FetchFailure(Exception):
    """A fetch that ended without a usable response; turned into a ``FetchResult`` at the top."""

    def __init__(self, code: str, message: str, status_code: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status_code = status_code


_READ = frozenset({b"content-type", b"content-length", b"location", b"set-cookie"})


@dataclass(frozen=True, slots=True)
class ResponseHead:
    """What the fetcher reads of a response's headers, read in one pass (each lookup in httpx's
    ``Headers`` lower-cases the name and walks every header)."""

    content_type: str
    """The media type, lower-case, without parameters ("" when missing)."""
    content_length: str
    location: str | None
    sets_cookie: bool

    @classmethod
    def of(cls, response: httpx.Response) -> ResponseHead:
        """The head of ``response``; a header sent more than once reads as its values joined
        with ", ", as ``Headers.get`` gives it."""
        found: dict[bytes, list[bytes]] = {}
        for name, value in response.headers.raw:
            name = name.lower()
            if name in _READ:
                found.setdefault(name, []).append(value)
        encoding = response.headers.encoding

        def text(name: bytes) -> str | None:
            values = found.get(name)
            return None if values is None else b", ".join(values).decode(encoding)

        content_type = text(b"content-type") or ""
        return cls(
            content_type=content_type.split(";", 1)[0].strip().lower(),
            content_length=text(b"content-length") or "",
            location=text(b"location"),
            sets_cookie=b"set-cookie" in found,
        )


async def read_capped(
    response: httpx.Response, content_length: str, cap: int, url: httpx.URL
) -> bytes:
    """The body, read in chunks; stops at ``cap`` bytes (a 10 MB body is never held in memory);
    ``content_length`` is the header's value ("" when missing)."""
    declared = content_length.strip()
    digits = declared.lstrip("0") or "0"
    # ASCII digits only ('²'.isdigit() too), compared by length first: int() refuses 4,300 digits
    if digits.isascii() and digits.isdigit() and (len(digits) > len(str(cap)) or int(digits) > cap):
        shown = digits if len(digits) <= 20 else f"{digits[:20]}... ({len(digits)} digits)"
        raise FetchFailure(
            codes.RESPONSE_TOO_LARGE.id,
            f"{url} answered with {shown} bytes; the limit is {cap} bytes",
            response.status_code,
        )
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchFailure(
                    codes.RESPONSE_TOO_LARGE.id,
                    f"{url} answered with more than {cap} bytes",
                    response.status_code,
                )
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchFailure(
            codes.HTTP_CONNECTION_FAILURE.id, f"{url} stopped sending its body (read timeout)"
        ) from exc
    except (httpx.DecodingError, httpx.RemoteProtocolError) as exc:
        raise FetchFailure(
            codes.HTTP_PROTOCOL_VIOLATION.id, f"bad response body from {url}: {exc}"
        ) from exc
    except httpx.HTTPError as exc:
        raise FetchFailure(
            codes.HTTP_RETRIEVAL_FAILURE.id, f"reading the body of {url} failed: {exc}"
        ) from exc
    return b"".join(chunks)


_RELEASED = httpx.ByteStream(b"")


async def close_response(response: httpx.Response) -> None:
    """Close a streamed response, even while the fetch is being cancelled (total timeout), and let
    it go: httpx's stream refers back to its response (``BoundAsyncStream``), a cycle of ~22
    objects per request that only the cycle collector would free; without it reference counting
    frees the exchange at once (and the collector runs less often)."""
    if not response.is_closed:
        # closing a broken connection must not mask the real outcome
        with anyio.CancelScope(shield=True), contextlib.suppress(Exception):
            await response.aclose()
    response.stream = _RELEASED
