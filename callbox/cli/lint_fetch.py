"""``callbox lint URL``: documents fetched through the interpreter's fetcher on a switchboard, with
the call's host policy and limits. Imported only when a URL is given, so that linting files does
not load the HTTP client, the switchboard and the interpreter.
"""

from __future__ import annotations

from collections.abc import Sequence

import anyio

from callbox import codes
from callbox.cli.lint_inputs import Input, UnreadableInputError
from callbox.diagnostics import Diagnostic
from callbox.interpreter.documents import XML_TYPES
from callbox.interpreter.fetch import DEFAULT_LIMITS
from callbox.interpreter.policy import FetchPolicy
from callbox.interpreter.webhook import FetchResult
from callbox.switchboard import Switchboard


def fetch_all(urls: Sequence[str], allow_private: bool) -> dict[str, Input | UnreadableInputError]:
    """Every URL fetched at once, each as a call's first URL is fetched."""
    return anyio.run(_fetch_all, urls, FetchPolicy(allow_private=allow_private))


def _fetch_failure(url: str, result: FetchResult) -> UnreadableInputError:
    if result.error_code == codes.HTTP_RETRIEVAL_FAILURE.id and result.status_code:
        reason = f"HTTP {result.status_code}"
    elif result.error_code == codes.HTTP_TOO_MANY_REDIRECTS.id:
        reason = f"more than {DEFAULT_LIMITS.max_redirects} redirects"
    else:
        reason = result.message or f"error {result.error_code}"
    return UnreadableInputError(f"cannot fetch {url}: {reason}")


def _fetched(url: str, result: FetchResult) -> Input | UnreadableInputError:
    """What lint checks of a fetched URL: its body, and what Twilio would refuse of the response
    (12300 a content type that is not TwiML, 11750 a body over the cap) as diagnostics."""
    if result.error_code == codes.RESPONSE_TOO_LARGE.id:
        too_large = codes.RESPONSE_TOO_LARGE.diagnostic(
            f"The response is over {DEFAULT_LIMITS.document_cap:,} bytes (reading stopped there)",
            line=1,
            column=1,
            path=url,
            hint="Split the flow into several documents joined with <Redirect>.",
        )
        return Input(url, b"", result.url or url, (too_large,))
    if result.error_code == codes.EMPTY_RESPONSE.id:
        empty = codes.EMPTY_RESPONSE.diagnostic(
            "The response has an empty body", line=1, column=1, path=url
        )
        return Input(url, b"", result.url or url, (empty,))
    if not result.ok:
        return _fetch_failure(url, result)
    early: list[Diagnostic] = []
    if result.content_type not in XML_TYPES:
        early.append(
            codes.INVALID_CONTENT_TYPE.diagnostic(
                f"Content-Type is '{result.content_type or 'missing'}'; Twilio reads TwiML only "
                "from text/xml, application/xml or text/html",
                line=1,
                column=1,
                path=url,
                hint="Serve the document with Content-Type: text/xml.",
            )
        )
    return Input(url, result.body, result.url or url, tuple(early))


async def _fetch_all(
    urls: Sequence[str], policy: FetchPolicy
) -> dict[str, Input | UnreadableInputError]:
    """Every URL fetched at once through the interpreter's fetcher: the call's policy (which
    hosts), limits (64 KB, 10 redirects, 15 s in all) and one HTTP client."""
    found: dict[str, Input | UnreadableInputError] = {}
    async with Switchboard(policy=policy) as board:

        async def fetch(url: str) -> None:
            # each URL is fetched as a call's first URL is: loopback only for a loopback URL
            fetcher = board.fetcher(auth_token="", policy=policy.for_first_url(url))
            found[url] = _fetched(url, await fetcher.fetch_markup(url))

        async with anyio.create_task_group() as group:
            for url in dict.fromkeys(urls):
                group.start_soon(fetch, url)
    return found
